import { afterEach, describe, expect, it } from 'vitest';
import { Harness, Recorder, drainNode, subscribedTo, urlOf, waitFor } from './fleetHarness';
import { TestProxy } from './testProxy';

let h: Harness;
afterEach(() => h.release());

async function proxyTo(port: number, rules: Parameters<typeof TestProxy.start>[1]): Promise<TestProxy> {
  const p = await TestProxy.start(port, rules);
  h.onRelease(() => p.stop());
  return p;
}

describe('RealtimeClient transport fallback', () => {
  it('falls back to SSE when the WebSocket upgrade is refused, and works there', async () => {
    h = new Harness();
    const a = await h.node('a');
    const proxy = await proxyTo(a.clientPort, { upgrade: 'refuse' });
    const c = h.client({ urls: [proxy.url], user: 'u', channels: ['ch'] });
    const rec = new Recorder(c);
    c.connect();
    await subscribedTo(c, 'ch');
    expect(c.transport).toBe('sse');
    expect(c.node).toBe('a');
    expect(proxy.counts.upgrades).toBe(1);
    expect(rec.errors.map((e) => e.message)).toEqual([`ws ${proxy.url}: upgrade answered 400 instead of 101`]);
    await expect(c.publish('ch', 'x')).resolves.toEqual({ seq: 1, duplicate: false });
    await waitFor(() => rec.messages.length === 1, 'the message');
    expect(rec.messages[0]).toMatchObject({ channel: 'ch', seq: 1, data: 'x' });
    expect(rec.states).toEqual(['connecting', 'connected']);
  });

  it('falls back to long polling when SSE is blocked too', async () => {
    h = new Harness();
    const a = await h.node('a');
    const proxy = await proxyTo(a.clientPort, { upgrade: 'refuse', sse: 'refuse' });
    const c = h.client({ urls: [proxy.url], user: 'u', channels: ['ch'] });
    const rec = new Recorder(c);
    c.connect();
    await subscribedTo(c, 'ch');
    expect(c.transport).toBe('longpoll');
    expect([proxy.counts.upgrades, proxy.counts.sse]).toEqual([1, 1]);
    expect(rec.errors).toHaveLength(2);
    expect(rec.errors[1].message).toMatch(/^sse .*: answered 403 text\/html, not an event stream$/);
    for (let i = 1; i <= 3; i++) await c.publish('ch', i);
    await waitFor(() => rec.messages.length === 3, '3 messages');
    expect(rec.seqs('ch')).toEqual([1, 2, 3]);
  });

  it('falls back when the upgrade is never answered (connect timeout)', async () => {
    h = new Harness();
    const a = await h.node('a');
    const proxy = await proxyTo(a.clientPort, { upgrade: 'hang' });
    const c = h.client({ urls: [proxy.url], user: 'u', channels: ['ch'], connectTimeoutMs: 300 });
    const rec = new Recorder(c);
    const started = Date.now();
    c.connect();
    await subscribedTo(c, 'ch');
    expect(c.transport).toBe('sse');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(rec.errors[0].message).toBe(`ws ${proxy.url}: no welcome frame within 300 ms`);
  });

  it('remembers the failure: reconnects within 30 s skip the refused transport', async () => {
    h = new Harness();
    const a = await h.node('a');
    const proxy = await proxyTo(a.clientPort, { upgrade: 'refuse' });
    const c = h.client({ urls: [proxy.url], user: 'u', channels: ['ch'] });
    const rec = new Recorder(c);
    c.connect();
    await subscribedTo(c, 'ch');
    await c.publish('ch', 1);
    await waitFor(() => rec.messages.length === 1, 'first message');
    for (let blip = 1; blip <= 2; blip++) {
      proxy.cutAll();
      await waitFor(() => rec.states.filter((s) => s === 'connected').length === blip + 1, `reconnect ${blip}`);
    }
    await c.publish('ch', 2);
    await waitFor(() => rec.messages.length === 2, 'second message');
    expect(c.transport).toBe('sse');
    expect(proxy.counts.upgrades).toBe(1);
    expect(proxy.counts.sse).toBe(3);
    expect(rec.seqs('ch')).toEqual([1, 2]);
  });

  it('a node that answers 503 (draining) is skipped for another node, without changing transport', async () => {
    h = new Harness();
    const a = await h.node('a');
    const b = await h.node('b');
    await drainNode(a);
    await waitFor(() => a.state === 'drained', 'a drained');
    const clients = Array.from({ length: 6 }, (_, i) => h.client({ urls: [urlOf(a), urlOf(b)], user: `u${i}` }));
    const recs = clients.map((c) => new Recorder(c));
    for (const c of clients) c.connect();
    await waitFor(() => clients.every((c) => c.state === 'connected'), 'all connected');
    expect(clients.map((c) => [c.node, c.transport])).toEqual(clients.map(() => ['b', 'ws']));
    // A drain is not an error: nothing to report.
    expect(recs.flatMap((r) => r.errors)).toEqual([]);
  });
});
