import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientTransport } from '../../../src/fleet/client';
import { Harness, Recorder, sleep, subscribedTo, urlOf, waitFor } from './fleetHarness';

let h: Harness;
afterEach(() => h.release());

/** A port nothing listens on (bound once, then released). */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe.each<ClientTransport>(['ws', 'sse', 'longpoll'])('RealtimeClient.publish over %s', (t) => {
  it('the same id twice publishes one message (the server deduplicates)', async () => {
    h = new Harness();
    const a = await h.node('a');
    const c = h.client({ urls: [urlOf(a)], user: 'u', channels: ['ch'], transports: [t] });
    const rec = new Recorder(c);
    c.connect();
    await subscribedTo(c, 'ch');
    const first = await c.publish('ch', { v: 1 }, { id: 'order-42' });
    const again = await c.publish('ch', { v: 1 }, { id: 'order-42' });
    const other = await c.publish('ch', { v: 2 });
    expect(first).toEqual({ seq: 1, duplicate: false });
    expect(again).toEqual({ seq: 1, duplicate: true });
    expect(other).toEqual({ seq: 2, duplicate: false });
    await waitFor(() => rec.messages.length === 2, 'two messages');
    await sleep(100);
    expect(rec.messages.map((m) => [m.seq, m.id])).toEqual([
      [1, 'order-42'],
      [2, expect.stringMatching(/^[0-9a-f-]{36}$/)],
    ]);
  });

  it('rejects at once what the server would refuse, naming the problem', async () => {
    h = new Harness();
    const a = await h.node('a');
    const c = h.client({ urls: [urlOf(a)], user: 'u', transports: [t] });
    c.connect();
    await expect(c.publish('ch', 1, { id: 'x'.repeat(65) })).rejects.toThrow('RealtimeClient.publish to ch: id must be a string of 1 to 64 characters (got 65 characters)');
    await expect(c.publish('not a channel!', 1)).rejects.toThrow('RealtimeClient.publish: channel "not a channel!" must match');
    await expect(c.publish('ch', 1, { id: 'x'.repeat(64) })).resolves.toEqual({ seq: 1, duplicate: false });
  });

  it('rejects a message over the size limit as too_large, and keeps working', async () => {
    h = new Harness();
    const a = await h.node('a', { maxMessageBytes: 4096, maxBodyBytes: 4096 });
    const c = h.client({ urls: [urlOf(a)], user: 'u', channels: ['ch'], transports: [t] });
    const rec = new Recorder(c);
    c.connect();
    await subscribedTo(c, 'ch');
    await expect(c.publish('ch', 'x'.repeat(10_000))).rejects.toThrow(/^publish to ch rejected \(too_large\)/);
    await expect(c.publish('ch', 'small')).resolves.toEqual({ seq: 1, duplicate: false });
    await waitFor(() => rec.messages.length === 1, 'the small message');
    expect(rec.messages[0].data).toBe('small');
  });

  it('a publish made while the connection is down goes out once after the reconnect', async () => {
    h = new Harness();
    const a = await h.node('a');
    const b = await h.node('b');
    const c = h.client({ urls: [urlOf(a), urlOf(b)], user: 'u', channels: ['ch'], transports: [t] });
    const rec = new Recorder(c);
    c.connect();
    await subscribedTo(c, 'ch');
    const current = c.node === 'a' ? a : b;
    await current.crash();
    const sent = c.publish('ch', 'during the outage', { id: 'outage-1' });
    await expect(sent).resolves.toEqual({ seq: 1, duplicate: false });
    await waitFor(() => rec.messages.length === 1, 'the message');
    expect(c.node).not.toBe(current.config.nodeId);
    expect(h.hub.channels.get('ch')?.seq).toBe(1);
  });
});

describe('RealtimeClient.publish without a reachable node', () => {
  it('retries until publishTimeoutMs, then rejects with a clear error', async () => {
    h = new Harness();
    const c = h.client({ urls: [`http://127.0.0.1:${await deadPort()}`], user: 'u', publishTimeoutMs: 400, backoff: { baseMs: 20, maxMs: 50 } });
    const rec = new Recorder(c);
    c.connect();
    const started = Date.now();
    await expect(c.publish('ch', 1, { id: 'never' })).rejects.toThrow('publish to ch (id never) was not acknowledged within 400 ms');
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    // Meanwhile it kept trying to connect, and said why each attempt failed.
    expect(rec.errors.length).toBeGreaterThanOrEqual(3);
    expect(rec.errors[0].message).toMatch(/ECONNREFUSED/);
    expect(c.state).toBe('connecting');
  });
});
