import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createParser } from 'eventsource-parser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayNode } from '../../../src/fleet/gateway';
import { MemoryBus, MemoryHub, RedisBus } from '../../../src/fleet/gateway';
import { READ, opsUrl, publish, startNodes, stopNodes, wsUrl } from '../../helpers/gatewayFixture';
import { freePort, waitFor } from '../../helpers/ports';
import { startRedis } from '../../helpers/redisServer';
import type { RedisHandle } from '../../helpers/redisServer';
import { WsProbe, range } from '../../helpers/wsProbe';

let redis: RedisHandle;
let nodes: GatewayNode[] = [];
const probes: WsProbe[] = [];
const children: ChildProcess[] = [];
const aborts: AbortController[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  for (const p of probes.splice(0)) p.close();
  for (const a of aborts.splice(0)) a.abort();
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await stopNodes(nodes);
  nodes = [];
});
const probe = (url: string) => {
  const p = new WsProbe(url);
  probes.push(p);
  return p;
};

async function readEvents(n: GatewayNode, lastEventId?: string): Promise<{ events: { event?: string; id?: string; data: string }[]; comments: string[]; retry: number[] }> {
  const ac = new AbortController();
  aborts.push(ac);
  const res = await fetch(`${opsUrl(n)}/events`, { headers: { authorization: `Bearer ${READ}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) }, signal: ac.signal });
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  const out = { events: [] as { event?: string; id?: string; data: string }[], comments: [] as string[], retry: [] as number[] };
  const parser = createParser({ onEvent: (e) => out.events.push(e), onComment: (c) => out.comments.push(c), onRetry: (r) => out.retry.push(r) });
  void (async () => {
    const d = new TextDecoder();
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) parser.feed(d.decode(chunk, { stream: true }));
    } catch {
      /* aborted */
    }
  })();
  return out;
}

describe('presence', () => {
  it('goes online on connect, away on request or idle, offline on disconnect, with presence events', async () => {
    nodes = await startNodes(1, { config: { presenceIdleMs: 400 } });
    const n = nodes[0];
    const ev = await readEvents(n);
    const a = probe(wsUrl(n, 'ann'));
    const b = probe(wsUrl(n, 'bob'));
    await Promise.all([a.opened, b.opened]);
    expect(n.presence.summary()).toEqual({ online: 2, away: 0 });
    a.send({ type: 'presence', state: 'away' });
    await waitFor(() => n.presence.summary().away === 1);
    await waitFor(() => n.presence.summary().away === 2, 3000, 'bob idle → away');
    b.send({ type: 'publish', channel: 'p', data: 1 });
    await waitFor(() => n.presence.summary().online === 1, 2000, 'bob active again');
    b.close();
    await waitFor(() => n.presence.summary().online === 0 && n.presence.summary().away === 1);
    const presence = await waitFor(() => ev.events.filter((e) => e.event === 'presence').map((e) => JSON.parse(e.data)), 3000);
    await waitFor(() => ev.events.filter((e) => e.event === 'presence').length >= 2, 3000);
    const all = ev.events.filter((e) => e.event === 'presence').map((e) => JSON.parse(e.data) as { offline: number; sample: { user: string; to: string }[] });
    expect(presence.length).toBeGreaterThan(0);
    expect(all.flatMap((p) => p.sample)).toContainEqual({ user: 'bob', to: 'offline' });
    expect(all.reduce((s, p) => s + p.offline, 0)).toBe(1);
  });

  it('fleet presence over Redis expires the users of a node killed with SIGKILL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-presence-'));
    writeFileSync(join(dir, 'admin'), 'adm\n');
    const [port, opsPort] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, ['bin/switchboard.cjs', 'gateway', '--node-id', 'gw-k', '--port', String(port), '--ops-port', String(opsPort), '--redis', redis.url, '--admin-token-file', join(dir, 'admin'), '--presence-ttl-ms', '1500'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'silent' } });
    children.push(child);
    await waitFor(() => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false), 15_000, 'child gateway');
    const users = ['k1', 'k2', 'k3'].map((u) => probe(`ws://127.0.0.1:${port}/ws?user=${u}`));
    await Promise.all(users.map((p) => p.opened));
    const bus = new RedisBus(redis.url);
    await bus.start();
    try {
      await waitFor(async () => (await bus.presenceFleet()).size === 3, 5000, 'three users present fleet-wide');
      child.kill('SIGKILL');
      const t0 = Date.now();
      await waitFor(async () => (await bus.presenceFleet()).size === 0, 5000, 'presence to expire');
      expect(Date.now() - t0).toBeLessThan(3000);
    } finally {
      await bus.close();
    }
  });

  it('the memory bus keeps fleet presence too', async () => {
    const hub = new MemoryHub();
    const bus = new MemoryBus(hub);
    await bus.presenceRefresh('n1', new Map([['x', 'away'], ['y', 'online']]), 1000);
    await bus.presenceRefresh('n2', new Map([['x', 'online']]), 1000);
    expect(await bus.presenceFleet()).toEqual(new Map([['x', 'online'], ['y', 'online']]));
  });
});

describe('/events', () => {
  it('sends retry, vitals every second with the contract fields, lifecycle events, and <boot_id>:<seq> ids', async () => {
    nodes = await startNodes(1, { config: { vitalsIntervalMs: 200 } });
    const n = nodes[0];
    const ev = await readEvents(n);
    await waitFor(() => ev.events.filter((e) => e.event === 'vitals').length >= 2, 3000);
    expect(ev.retry).toEqual([1000]);
    const v = JSON.parse(ev.events.find((e) => e.event === 'vitals')!.data);
    expect(Object.keys(v).sort()).toEqual(['busConnected', 'connections', 'deliveryLatencyMs', 'eventLoopLagMs', 'limit', 'node', 'presence', 'pubsubLagMs', 'rates', 'rssBytes', 'state', 'ts'].sort());
    expect(Object.keys(v.rates).sort()).toEqual(['closed', 'delivered', 'dropped', 'opened', 'published', 'reconnects']);
    const ids = ev.events.map((e) => e.id!);
    const seqs = ids.map((id) => Number(id.split(':')[1]));
    expect(ids.every((id) => id.startsWith(`${n.bootId}:`))).toBe(true);
    expect(seqs).toEqual(range(seqs[0], seqs[0] + seqs.length - 1));
    await fetch(`${opsUrl(n)}/admin/drain`, { method: 'POST', headers: { authorization: 'Bearer admin-secret' }, body: JSON.stringify({ requestId: 'e', deadlineSeconds: 1, disconnectRatePerSecond: 1 }) });
    const kinds = await waitFor(() => {
      const k = ev.events.filter((e) => e.event === 'lifecycle').map((e) => JSON.parse(e.data).kind as string);
      return k.includes('drained') ? k : null;
    }, 3000);
    expect(kinds).toEqual(['drain_started', 'drained']);
  });

  it('replays what a reader missed from the same boot, and sends reset to one from another boot', async () => {
    nodes = await startNodes(1, { config: { vitalsIntervalMs: 100 } });
    const n = nodes[0];
    const first = await readEvents(n);
    await waitFor(() => first.events.length >= 3);
    const lastSeen = first.events[1].id!;
    aborts[0].abort();
    const again = await readEvents(n, lastSeen);
    await waitFor(() => again.events.length >= 3);
    expect(Number(again.events[0].id!.split(':')[1])).toBe(Number(lastSeen.split(':')[1]) + 1);
    expect(again.events.some((e) => e.event === 'reset')).toBe(false);
    const other = await readEvents(n, 'some-other-boot:7');
    await waitFor(() => other.events.length >= 1);
    expect(other.events[0].event).toBe('reset');
    expect(JSON.parse(other.events[0].data)).toMatchObject({ bootId: n.bootId, node: 'gw-1', state: 'serving' });
  });

  it('sends a heartbeat comment when nothing else was sent', async () => {
    nodes = await startNodes(1, { config: { vitalsIntervalMs: 60_000 } });
    const ev = await readEvents(nodes[0]);
    await waitFor(() => ev.comments.includes('hb'), 7000, 'the hb comment');
  }, 10_000);
});

describe('/metrics', () => {
  it('counts every delivery of a fan-out in the latency histogram and the delivered counter', async () => {
    nodes = await startNodes(1);
    const subs = ['a', 'b', 'c'].map((u) => probe(wsUrl(nodes[0], u)));
    await Promise.all(subs.map((p) => p.opened));
    for (const p of subs) p.send({ type: 'subscribe', channel: 'fan' });
    await Promise.all(subs.map((p) => p.waitFrame((f) => f.type === 'subscribed')));
    await publish(nodes[0], 'fan', 1);
    await publish(nodes[0], 'fan', 2);
    await waitFor(() => subs.every((p) => p.seqs('fan').length === 2));
    const body = await (await fetch(`${opsUrl(nodes[0])}/metrics`, { headers: { authorization: `Bearer ${READ}` } })).text();
    expect(body).toMatch(/^realtime_delivery_latency_seconds_count 6$/m);
    expect(body).toMatch(/^realtime_delivery_latency_seconds_bucket\{le="\+Inf"\} 6$/m);
    expect(body).toMatch(/^realtime_messages_delivered_total\{transport="ws"\} 6$/m);
    const sum = Number(/^realtime_delivery_latency_seconds_sum (\S+)$/m.exec(body)![1]);
    expect(sum).toBeGreaterThanOrEqual(0);
    expect(sum).toBeLessThan(6);
  });

  it('answers OpenMetrics when asked, text 0.0.4 otherwise, with the contract names', async () => {
    nodes = await startNodes(1);
    await publish(nodes[0], 'm', 1);
    const text = await fetch(`${opsUrl(nodes[0])}/metrics`, { headers: { authorization: `Bearer ${READ}` } });
    expect(text.headers.get('content-type')).toMatch(/text\/plain; version=0.0.4/);
    const body = await text.text();
    expect(body).toMatch(/^# TYPE realtime_messages_published_total counter$/m);
    expect(body).toMatch(/^realtime_messages_published_total 1$/m);
    const om = await fetch(`${opsUrl(nodes[0])}/metrics`, { headers: { authorization: `Bearer ${READ}`, accept: 'application/openmetrics-text; version=1.0.0' } });
    expect(om.headers.get('content-type')).toMatch(/application\/openmetrics-text/);
    const omBody = await om.text();
    expect(omBody).toMatch(/^# TYPE realtime_messages_published counter$/m);
    expect(omBody).toMatch(/^realtime_messages_published_total 1$/m);
    expect(omBody.endsWith('# EOF\n')).toBe(true);
    expect(omBody).not.toMatch(/\n\n/);
    for (const name of ['realtime_node_info', 'realtime_connections', 'realtime_pubsub_lag_seconds_bucket', 'realtime_delivery_latency_seconds_count', 'realtime_presence_users', 'realtime_drain_remaining_connections', 'process_resident_memory_bytes']) {
      expect(body).toContain(name);
    }
  });
});
