import { afterEach, describe, expect, it } from 'vitest';
import type { ClientTransport } from '../../../src/fleet/client';
import { MemoryHub } from '../../../src/fleet/gateway';
import type { MemoryBus } from '../../../src/fleet/gateway';
import { Harness, Recorder, range, subscribedTo, urlOf, waitFor } from './fleetHarness';
import { ScriptedServer, frames, sseEvent } from './scriptedServer';

let h: Harness;
afterEach(() => h.release());

const FAST_BACKOFF = { baseMs: 50, maxMs: 200 };

describe.each<ClientTransport>(['ws', 'sse', 'longpoll'])('RealtimeClient resume over %s', (t) => {
  it('reports a gap when history lost part of what it missed, and carries on after it', async () => {
    h = new Harness(new MemoryHub({ maxMessages: 5, maxAgeMs: 60_000, dedupWindowMs: 60_000 }));
    const a = await h.node('a');
    const b = await h.node('b');
    const url = urlOf(a);
    const reader = h.client({ urls: [url], user: 'r', channels: ['ch'], transports: [t], backoff: FAST_BACKOFF });
    const rec = new Recorder(reader);
    const writer = h.client({ urls: [urlOf(b)], user: 'w', transports: ['ws'] });
    reader.connect();
    writer.connect();
    await subscribedTo(reader, 'ch');
    for (let i = 1; i <= 3; i++) await writer.publish('ch', i);
    await waitFor(() => rec.messages.length === 3, 'the first 3');

    const port = a.clientPort;
    await a.crash();
    await waitFor(() => reader.state === 'reconnecting', 'reconnecting');
    for (let i = 4; i <= 23; i++) await writer.publish('ch', i);
    // The node comes back on the same address; history keeps only the last 5 (19..23).
    await h.node('a-again', { port });
    await waitFor(() => reader.positions().get('ch') === 23, 'position 23');

    expect(rec.gaps).toEqual([{ channel: 'ch', from: 4, to: 18 }]);
    expect(rec.seqs('ch')).toEqual([1, 2, 3, 19, 20, 21, 22, 23]);
    await writer.publish('ch', 24);
    await waitFor(() => rec.messages.length === 9, 'the next live one');
    expect(rec.seqs('ch').at(-1)).toBe(24);
  });

  it('follows a channel whose history was reset server-side (seq lower than its position)', async () => {
    h = new Harness();
    const a = await h.node('a');
    const c = h.client({ urls: [urlOf(a)], user: 'u', channels: ['ch'], transports: [t], backoff: FAST_BACKOFF });
    const rec = new Recorder(c);
    c.connect();
    await subscribedTo(c, 'ch');
    for (let i = 1; i <= 5; i++) await c.publish('ch', `old ${i}`);
    await waitFor(() => rec.messages.length === 5, 'the old 5');
    const port = a.clientPort;
    await a.crash();
    // A node with a fresh bus: the channel starts again from seq 0.
    await h.node('fresh', { port }, new MemoryHub());
    await waitFor(() => c.state === 'connected' && c.positions().get('ch') === 0, 'position reset to 0');
    await c.publish('ch', 'new 1');
    await c.publish('ch', 'new 2');
    await waitFor(() => rec.messages.length === 7, 'the new 2');
    expect(rec.messages.map((m) => [m.seq, m.data])).toEqual([...range(5).map((i) => [i, `old ${i}`]), [1, 'new 1'], [2, 'new 2']]);
    expect(rec.gaps).toEqual([]);
  });
});

describe('RealtimeClient on a node whose bus is down', () => {
  it('leaves a node that cannot set up its subscription, and resumes once one can', async () => {
    h = new Harness();
    const a = await h.node('a');
    const b = await h.node('b');
    const c = await h.node('c');
    const reader = h.client({ urls: [urlOf(a), urlOf(b)], user: 'r', channels: ['ch'], transports: ['ws'], backoff: FAST_BACKOFF });
    const rec = new Recorder(reader);
    const writer = h.client({ urls: [urlOf(c)], user: 'w', transports: ['ws'] });
    reader.connect();
    writer.connect();
    await subscribedTo(reader, 'ch');
    for (let i = 1; i <= 2; i++) await writer.publish('ch', i);
    await waitFor(() => rec.messages.length === 2, 'the first 2');
    const [first, other] = reader.node === 'a' ? [a, b] : [b, a];
    const bus = other.bus as MemoryBus;
    bus.setLink(false);
    await first.crash();
    for (let i = 3; i <= 5; i++) await writer.publish('ch', i);
    const refused = `ws ${urlOf(other)}: left the node, it could not set up a subscription`;
    await waitFor(() => rec.errors.some((e) => e.message === refused), 'the failed subscription');
    expect(rec.messages).toHaveLength(2);
    bus.setLink(true);
    await waitFor(() => rec.messages.length === 5, 'all 5');
    expect(rec.seqs('ch')).toEqual([1, 2, 3, 4, 5]);
    expect(reader.node).toBe(other.config.nodeId);
  });
});

describe('RealtimeClient ordering against a misbehaving server', () => {
  it('ws: drops a message that skips ahead and resubscribes from its position, delivering in order', async () => {
    const server = await ScriptedServer.start({
      onWs: (c) => c.send(frames.welcome(10_000)),
      onFrame: (c, f) => {
        if (f.type !== 'subscribe') return;
        if (f.since === undefined) {
          // 2 goes missing between the node and the client, without a gap frame.
          for (const fr of [frames.subscribed('ch', 0), frames.message('ch', 1), frames.message('ch', 3)]) c.send(fr);
        } else {
          for (const fr of [frames.subscribed('ch', 3), frames.message('ch', 2), frames.message('ch', 3)]) c.send(fr);
        }
      },
    });
    h = new Harness();
    h.onRelease(() => server.stop());
    const c = h.client({ urls: [server.url], user: 'u', channels: ['ch'], transports: ['ws'] });
    const rec = new Recorder(c);
    c.connect();
    await waitFor(() => rec.messages.length === 3, '3 messages');
    expect(rec.seqs('ch')).toEqual([1, 2, 3]);
    expect(server.ws).toHaveLength(1);
    expect(server.ws[0].received).toEqual([
      { type: 'subscribe', channel: 'ch' },
      { type: 'unsubscribe', channel: 'ch' },
      { type: 'subscribe', channel: 'ch', since: 1 },
    ]);
  });

  it('sse: drops a message that skips ahead and reopens from its position, delivering in order', async () => {
    const server = await ScriptedServer.start({
      onHttp: (req, res, n) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const script = n === 1 ? [frames.subscribed('ch', 0), frames.message('ch', 1), frames.message('ch', 3)] : [frames.subscribed('ch', 3), frames.message('ch', 2), frames.message('ch', 3)];
        res.write([frames.welcome(10_000), ...script].map(sseEvent).join(''));
      },
    });
    h = new Harness();
    h.onRelease(() => server.stop());
    const c = h.client({ urls: [server.url], user: 'u', channels: ['ch'], transports: ['sse'] });
    const rec = new Recorder(c);
    c.connect();
    await waitFor(() => rec.messages.length === 3, '3 messages');
    expect(rec.seqs('ch')).toEqual([1, 2, 3]);
    expect(server.requests.map((r) => r.url)).toEqual(['/sse?user=u&channels=ch', '/sse?user=u&channels=ch&since=ch%3A1']);
  });
});
