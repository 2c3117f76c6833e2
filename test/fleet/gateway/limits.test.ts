import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayNode } from '../../../src/fleet/gateway';
import { clientUrl, startNodes, stopNodes, wsUrl } from '../../helpers/gatewayFixture';
import { waitFor } from '../../helpers/ports';
import { WsProbe } from '../../helpers/wsProbe';

let nodes: GatewayNode[] = [];
const probes: WsProbe[] = [];
const probe = (url: string, opts = {}) => {
  const p = new WsProbe(url, opts);
  probes.push(p);
  return p;
};
afterEach(async () => {
  for (const p of probes.splice(0)) p.close();
  await stopNodes(nodes);
  nodes = [];
});

describe('limits', () => {
  it('refuses connections over the limit: WebSocket close 1013, SSE and long polling 503', async () => {
    nodes = await startNodes(1, { config: { maxConnections: 2 } });
    const n = nodes[0];
    await Promise.all([probe(wsUrl(n, 'a')).opened, probe(wsUrl(n, 'b')).opened]);
    const third = probe(wsUrl(n, 'c'));
    await third.opened;
    expect(await third.waitClosed()).toBe(1013);
    expect((await fetch(`${clientUrl(n)}/sse?user=d`)).status).toBe(503);
    const poll = await fetch(`${clientUrl(n)}/poll?user=e`);
    expect(poll.status).toBe(503);
    expect(((await poll.json()) as { error: string }).error).toMatch(/connection limit of 2/);
    expect(n.sessions.size).toBe(2);
  });

  it('closes a WebSocket that sends a frame over the message size with 1009', async () => {
    nodes = await startNodes(1, { config: { maxMessageBytes: 1024 } });
    const p = probe(wsUrl(nodes[0]));
    await p.opened;
    p.send({ type: 'publish', channel: 'big', data: 'x'.repeat(2000) });
    expect(await p.waitClosed()).toBe(1009);
  });

  it('rate-limits publishes per connection and counts the drops', async () => {
    nodes = await startNodes(1, { config: { publishRatePerSecond: 5, publishBurst: 5 } });
    const p = probe(wsUrl(nodes[0]));
    await p.opened;
    for (let i = 0; i < 12; i++) p.send({ type: 'publish', channel: 'rl', data: i, ref: i });
    await waitFor(() => p.of('ack').length + p.of('error').length === 12);
    expect(p.of('ack').length).toBe(5);
    const errors = p.of('error');
    expect(errors.length).toBe(7);
    expect(errors.every((e) => e.code === 'rate_limited')).toBe(true);
    expect(nodes[0].metrics.tallies.dropped.get('rate_limited')).toBe(7);
  });

  it('limits channels per connection', async () => {
    nodes = await startNodes(1, { config: { maxChannelsPerConnection: 2 } });
    const p = probe(wsUrl(nodes[0]));
    await p.opened;
    for (const c of ['a', 'b', 'c']) p.send({ type: 'subscribe', channel: c });
    const err = await p.waitFrame((f) => f.type === 'error');
    expect(err.message).toMatch(/at most 2 channels/);
    expect((await fetch(`${clientUrl(nodes[0])}/sse?channels=a,b,c`)).status).toBe(400);
  });
});

describe('malformed WebSocket input', () => {
  it('answers every bad frame with an error naming the problem, and stays open', async () => {
    nodes = await startNodes(1);
    const p = probe(wsUrl(nodes[0]));
    await p.opened;
    const bad: [unknown, RegExp][] = [
      ['{not json', /not valid JSON/],
      [{ type: 'dance' }, /type/],
      [{ channel: 'x' }, /type/],
      [{ type: 'subscribe', channel: 'has space' }, /^channel: /],
      [{ type: 'subscribe', channel: 'ok', since: -1 }, /^since: /],
      [{ type: 'publish', channel: 'ok', data: 1, sneaky: 1 }, /unknown field "sneaky"/],
      [{ type: 'presence', state: 'asleep' }, /^state: /],
      [{ type: 'unsubscribe', channel: 'never' }, /not subscribed to never/],
    ];
    for (const [frame] of bad) p.send(frame);
    p.ws.send(Buffer.from([1, 2, 3]));
    await waitFor(() => p.of('error').length === bad.length + 1, 3000, 'all errors');
    const messages = p.of('error').map((e) => e.message as string);
    bad.forEach(([, re], i) => expect(messages[i]).toMatch(re));
    expect(messages[bad.length]).toMatch(/binary frames/);
    expect(p.ws.readyState).toBe(p.ws.OPEN);
    p.send({ type: 'subscribe', channel: 'ok' });
    await p.waitFrame((f) => f.type === 'subscribed');
  });

  it('closes a connection that keeps sending garbage (4400)', async () => {
    nodes = await startNodes(1);
    const p = probe(wsUrl(nodes[0]));
    await p.opened;
    for (let i = 0; i < 25; i++) p.send('garbage');
    expect(await p.waitClosed()).toBe(4400);
  });

  it('rejects bad users and unknown upgrade paths', async () => {
    nodes = await startNodes(1);
    await expect(probe(`ws://127.0.0.1:${nodes[0].clientPort}/ws?user=${encodeURIComponent('<script>')}`).opened).rejects.toThrow(/400/);
    await expect(probe(`ws://127.0.0.1:${nodes[0].clientPort}/other`).opened).rejects.toThrow(/404/);
  });
});

describe('heartbeats', () => {
  it('closes a WebSocket zombie that misses two pings and counts it', async () => {
    nodes = await startNodes(1, { config: { heartbeatMs: 150 } });
    const zombie = probe(wsUrl(nodes[0], 'z'), { autoPong: false });
    const alive = probe(wsUrl(nodes[0], 'alive'));
    await Promise.all([zombie.opened, alive.opened]);
    expect(await zombie.waitClosed(3000)).toBe(4000);
    expect(nodes[0].metrics.tallies.heartbeatTimeouts.ws).toBe(1);
    expect(alive.ws.readyState).toBe(alive.ws.OPEN);
  });

  it('closes a long-polling session that is not polled for two hold periods', async () => {
    nodes = await startNodes(1, { config: { heartbeatMs: 100, longPollHoldMs: 200 } });
    await fetch(`${clientUrl(nodes[0])}/poll?user=lp`);
    expect(nodes[0].sessions.size).toBe(1);
    await waitFor(() => nodes[0].sessions.size === 0, 3000, 'the session to expire');
    expect(nodes[0].metrics.tallies.heartbeatTimeouts.longpoll).toBe(1);
  });
});

describe('backpressure', () => {
  it('sheds ephemeral messages first, then disconnects a slow consumer with a reason', async () => {
    nodes = await startNodes(1, { config: { bufferCapBytes: 256 * 1024 } });
    const n = nodes[0];
    const slow = probe(wsUrl(n, 'slow'));
    const fast = probe(wsUrl(n, 'fast'));
    await Promise.all([slow.opened, fast.opened]);
    for (const p of [slow, fast]) p.send({ type: 'subscribe', channel: 'hose' });
    await Promise.all([slow, fast].map((p) => p.waitFrame((f) => f.type === 'subscribed')));
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const payload = 'y'.repeat(8 * 1024);
    // Loopback socket buffers take several MB before the node's own buffer fills.
    let sent = 0;
    while (n.metrics.tallies.closed.get('ws|slow_consumer') === 0 && sent < 6000) {
      await n.publish('hose', { i: sent, payload }, undefined, sent % 2 === 1);
      sent++;
      if (sent % 50 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await waitFor(() => n.metrics.tallies.closed.get('ws|slow_consumer') === 1, 5000, 'slow consumer cut');
    expect(n.metrics.tallies.dropped.get('buffer_full')).toBeGreaterThan(0);
    expect(n.metrics.tallies.dropped.get('slow_consumer')).toBe(1);
    await waitFor(() => fast.of('message').length === sent, 10_000, 'the fast client got everything');
  });
});
