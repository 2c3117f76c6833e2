import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayNode } from '../../../src/fleet/gateway';
import { admin, publish, startNodes, stopNodes, wsUrl } from '../../helpers/gatewayFixture';
import { waitFor } from '../../helpers/ports';
import { startRedis } from '../../helpers/redisServer';
import type { RedisHandle } from '../../helpers/redisServer';
import { WsProbe, range } from '../../helpers/wsProbe';

let redis: RedisHandle;
let nodes: GatewayNode[] = [];
const probes: WsProbe[] = [];
const probe = (url: string) => {
  const p = new WsProbe(url);
  probes.push(p);
  return p;
};

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  for (const p of probes.splice(0)) p.close();
  await stopNodes(nodes);
  nodes = [];
});

describe('fan-out over Redis', () => {
  it('delivers a message published on one node to subscribers on all three, with one seq', async () => {
    nodes = await startNodes(3, { redisUrl: redis.url });
    const subs = nodes.map((n, i) => probe(wsUrl(n, `user-${i}`)));
    await Promise.all(subs.map((p) => p.opened));
    for (const p of subs) p.send({ type: 'subscribe', channel: 'fan1' });
    await Promise.all(subs.map((p) => p.waitFrame((f) => f.type === 'subscribed')));
    for (let i = 0; i < 20; i++) await publish(nodes[i % 3], 'fan1', { i });
    await waitFor(() => subs.every((p) => p.seqs('fan1').length === 20), 5000, 'all 20 on every node');
    for (const p of subs) {
      expect(p.seqs('fan1')).toEqual(range(1, 20));
      expect(p.of('message').map((f) => (f.data as { i: number }).i)).toEqual(range(0, 19));
    }
  });

  it('deduplicates publish ids within the window (a retry publishes once)', async () => {
    nodes = await startNodes(2, { redisUrl: redis.url });
    const a = await publish(nodes[0], 'dedup', 'x', 'pub-1');
    const b = await publish(nodes[1], 'dedup', 'x', 'pub-1');
    expect(a).toMatchObject({ seq: 1, duplicate: false });
    expect(b).toMatchObject({ seq: 1, duplicate: true });
    expect((await publish(nodes[1], 'dedup', 'y', 'pub-2')).seq).toBe(2);
  });
});

describe('resume', () => {
  it('resumes on another node from the last seq: what was missed, then live, no gap and no duplicate at the seam', async () => {
    nodes = await startNodes(2, { redisUrl: redis.url });
    const first = probe(wsUrl(nodes[0]));
    await first.opened;
    first.send({ type: 'subscribe', channel: 'r1' });
    await first.waitFrame((f) => f.type === 'subscribed');
    for (let i = 0; i < 5; i++) await publish(nodes[0], 'r1', i);
    await waitFor(() => first.seqs('r1').length === 5);
    first.close();
    for (let i = 5; i < 12; i++) await publish(nodes[0], 'r1', i);
    const second = probe(wsUrl(nodes[1]));
    await second.opened;
    second.send({ type: 'subscribe', channel: 'r1', since: 5 });
    // Publish while the resume is being served, to exercise the seam.
    const racing = Promise.all(range(12, 19).map((i) => publish(nodes[0], 'r1', i)));
    await racing;
    // 8 racing publishes: seqs 13..20, so 6..20 in all.
    await waitFor(() => second.seqs('r1').length >= 15, 5000, '15 messages after resume');
    expect(second.seqs('r1')).toEqual(range(6, 20));
    const sub = second.of('subscribed')[0];
    expect(sub.recovered).toBe(true);
    expect(sub.gap).toBeNull();
  });

  it('tells the client explicitly when history no longer holds its position', async () => {
    nodes = await startNodes(1, { redisUrl: redis.url, config: { history: { maxMessages: 5, maxAgeMs: 60_000, dedupWindowMs: 60_000 } } });
    for (let i = 0; i < 40; i++) await publish(nodes[0], 'short', i);
    const p = probe(wsUrl(nodes[0]));
    await p.opened;
    p.send({ type: 'subscribe', channel: 'short', since: 2 });
    const sub = await p.waitFrame((f) => f.type === 'subscribed');
    expect(sub.recovered).toBe(false);
    const gap = sub.gap as { from: number; to: number };
    expect(gap.from).toBe(3);
    expect(gap.to).toBeGreaterThanOrEqual(3);
    await waitFor(() => p.seqs('short').length > 0);
    expect(p.seqs('short')[0]).toBe(gap.to + 1);
    expect(p.seqs('short').at(-1)).toBe(40);
  });

  it('starts over from the latest seq when a position is beyond it (history was reset)', async () => {
    nodes = await startNodes(1, { redisUrl: redis.url });
    await publish(nodes[0], 'fresh', 'a');
    const p = probe(wsUrl(nodes[0]));
    await p.opened;
    p.send({ type: 'subscribe', channel: 'fresh', since: 500 });
    const sub = await p.waitFrame((f) => f.type === 'subscribed');
    expect(sub).toMatchObject({ seq: 1, recovered: false, gap: null });
    await publish(nodes[0], 'fresh', 'b');
    await waitFor(() => p.seqs('fresh').length === 1, 2000, 'the next message');
    expect(p.seqs('fresh')).toEqual([2]);
  });

  it('resumes after a drain of its node with no loss, duplicate or reordering', async () => {
    nodes = await startNodes(2, { redisUrl: redis.url });
    const p = probe(wsUrl(nodes[0]));
    await p.opened;
    p.send({ type: 'subscribe', channel: 'd1' });
    await p.waitFrame((f) => f.type === 'subscribed');
    let stop = false;
    let n = 0;
    const publisher = (async () => {
      while (!stop) {
        await publish(nodes[1], 'd1', n++);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await waitFor(() => p.seqs('d1').length >= 10);
    const r = await admin(nodes[0], 'drain', { requestId: 'drain-1', deadlineSeconds: 5, disconnectRatePerSecond: 100 });
    expect(r.status).toBe(202);
    const drainFrame = await p.waitFrame((f) => f.type === 'drain');
    expect(drainFrame.reconnectAfterMs).toBeGreaterThan(0);
    expect(await p.waitClosed()).toBe(1001);
    const last = p.seqs('d1').at(-1)!;
    const q = probe(wsUrl(nodes[1]));
    await q.opened;
    q.send({ type: 'subscribe', channel: 'd1', since: last });
    await new Promise((r2) => setTimeout(r2, 300));
    stop = true;
    await publisher;
    await waitFor(() => q.seqs('d1').at(-1) === n, 5000, 'the last message');
    expect([...p.seqs('d1'), ...q.seqs('d1')]).toEqual(range(1, n));
  });
});
