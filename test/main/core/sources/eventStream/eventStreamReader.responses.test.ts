import { afterEach, describe, expect, it } from 'vitest';
import { freePort, sleep, waitFor } from '../../../../helpers/ports';
import { startReader, states, stopReaders } from './readerHarness';
import { sseHeaders, startSseServer } from './sseTestServer';
import type { SseTestServer } from './sseTestServer';

// What the reader sends, and what it makes of each kind of answer.
const servers: SseTestServer[] = [];
afterEach(async () => {
  await stopReaders();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(handler: Parameters<typeof startSseServer>[0]): Promise<SseTestServer> {
  const s = await startSseServer(handler);
  servers.push(s);
  return s;
}
const firstBackoff = async (h: ReturnType<typeof startReader>) =>
  waitFor(() => h.statuses.find((s) => s.state === 'backoff'), 3000, 'backoff');

describe('EventStreamReader requests', () => {
  it('sends the bearer token, Accept, Cache-Control, and Last-Event-ID only when resuming', async () => {
    const srv = await serve((_req, res, i) => {
      sseHeaders(res);
      if (i === 0) res.end('id: boot:7\ndata: {}\n\n');
    });
    startReader({ url: srv.url, token: 's3cret' });
    await waitFor(() => srv.requests.length === 2, 3000, 'a reconnect');
    const [first, second] = srv.requests.map((r) => r.headers);
    expect(first.authorization).toBe('Bearer s3cret');
    expect(first.accept).toBe('text/event-stream');
    expect(first['cache-control']).toBe('no-cache');
    expect(first['last-event-id']).toBeUndefined();
    expect(second['last-event-id']).toBe('boot:7');
    expect(second.authorization).toBe('Bearer s3cret');
  });

  it('sends no Authorization header without a token', async () => {
    const srv = await serve((_req, res) => sseHeaders(res));
    startReader({ url: srv.url, token: null });
    await waitFor(() => srv.requests.length === 1, 3000, 'a request');
    expect(srv.requests[0].headers.authorization).toBeUndefined();
  });

  it('does not echo an id it cannot send back as a header', async () => {
    const srv = await serve((_req, res, i) => {
      sseHeaders(res);
      if (i === 0) res.end('id: bööt:1\ndata: 1\n\n');
    });
    const h = startReader({ url: srv.url });
    await waitFor(() => srv.requests.length === 2 && h.reader.status.state === 'open', 3000, 'a reconnect');
    expect(h.events.map((e) => e.id)).toEqual(['bööt:1']);
    expect(h.reader.lastEventId).toBeNull();
    expect(srv.requests[1].headers['last-event-id']).toBeUndefined();
  });
});

describe('EventStreamReader refuses responses that are not an event stream', () => {
  it('a wrong content type, naming it', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('data: {"a":1}\n\n<html>login</html>');
    });
    const h = startReader({ url: srv.url });
    const failed = await firstBackoff(h);
    expect(failed.lastError).toBe('unexpected content-type "text/html; charset=utf-8", expected text/event-stream');
    expect(h.events).toEqual([]);
    expect(failed.bytes).toBe(0);
  });

  it('a redirect, naming the Location and never following it with the token', async () => {
    const elsewhere = await serve((_req, res) => sseHeaders(res));
    const srv = await serve((_req, res) => {
      res.writeHead(302, { location: elsewhere.url });
      res.end();
    });
    const h = startReader({ url: srv.url, token: 's3cret' });
    const failed = await firstBackoff(h);
    expect(failed.lastError).toBe(`redirect 302 to Location ${elsewhere.url}; not followed (the token is only sent to the configured URL)`);
    await waitFor(() => srv.requests.length >= 3, 3000, 'retries');
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('a 500, quoting the first 200 chars of its body', async () => {
    const body = `${'A'.repeat(199)}B${'C'.repeat(50_000)}`;
    const srv = await serve((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(body);
    });
    const h = startReader({ url: srv.url });
    const failed = await firstBackoff(h);
    expect(failed.lastError).toBe(`HTTP 500: ${'A'.repeat(199)}B`);
    expect(failed.nextAttemptAt).not.toBeNull();
  });

  it('a refused connection, with the cause', async () => {
    const port = await freePort();
    const h = startReader({ url: `http://127.0.0.1:${port}/events` });
    const failed = await firstBackoff(h);
    expect(failed.lastError).toMatch(/^request failed: fetch failed: .*ECONNREFUSED/);
  });
});

describe('EventStreamReader event data', () => {
  it('does not deliver data that is not JSON; counts it without flooding onStatus', async () => {
    const srv = await serve((_req, res) => {
      sseHeaders(res);
      res.write('id: b:1\ndata: not json\n\n');
      res.write('data: nope\n\n'.repeat(5000));
      res.write('id: b:5002\nevent: vitals\ndata: {"ok":true}\n\n');
      res.write('data: {"broken":\n\n');
    });
    const h = startReader({ url: srv.url });
    await waitFor(() => h.reader.status.invalidEvents === 5002, 3000, 'all events read');
    expect(h.events).toEqual([{ type: 'vitals', id: 'b:5002', data: { ok: true }, bootId: 'b', seq: 5002 }]);
    const s = h.reader.status;
    expect(s.events).toBe(1);
    expect(s.state).toBe('open');
    expect(s.lastError).toBe('event "message": data is not JSON (10 bytes), not delivered');
    expect(h.reader.lastEventId).toBe('b:5002');
    expect(states(h)).toEqual(['connecting', 'open']);
  });

  it('survives a throwing onEvent: reports it and goes on delivering', async () => {
    const srv = await serve((_req, res) => {
      sseHeaders(res);
      res.write('id: t:1\ndata: 1\n\nid: t:2\ndata: 2\n\n');
    });
    const h = startReader({
      url: srv.url,
      onEvent: (e) => {
        if (e.seq === 1) throw new Error('boom');
      },
    });
    await waitFor(() => h.events.length === 2, 3000, 'two events');
    expect(h.events.map((e) => e.data)).toEqual([1, 2]);
    expect(h.reader.status.lastError).toBe('onEvent threw on event "message" id t:1: boom');
    expect(h.reader.status.events).toBe(2);
    expect(h.reader.status.state).toBe('open');
  });
});

describe('EventStreamReader reconnect timing', () => {
  /** A server that ends its first stream at once (after `prefix`) and keeps the second open. */
  async function endsOnce(prefix: string): Promise<SseTestServer> {
    return serve((_req, res, i) => {
      sseHeaders(res);
      if (i === 0) res.end(`${prefix}id: r:1\ndata: 1\n\n`);
    });
  }

  it("waits at least the server's retry: after a clean end of stream", async () => {
    const srv = await endsOnce('retry: 600\n\n');
    // Jitter 0: any wait comes from retry: alone.
    const h = startReader({ url: srv.url, random: () => 0 });
    await waitFor(() => srv.requests.length === 2, 3000, 'a reconnect');
    expect(srv.requests[1].at - srv.requests[0].at).toBeGreaterThanOrEqual(600);
    const ended = h.statuses.find((s) => s.state === 'backoff');
    expect(ended?.retryMs).toBe(600);
    expect(ended?.lastError).toBe('stream terminated by the server (clean end)');
    expect((ended?.nextAttemptAt as number) - (ended?.since as number)).toBeGreaterThanOrEqual(599);
  });

  it('without a retry: from the server, reconnects after the jittered delay alone', async () => {
    const srv = await endsOnce('');
    const h = startReader({ url: srv.url, random: () => 0 });
    await waitFor(() => srv.requests.length === 2, 3000, 'a reconnect');
    expect(srv.requests[1].at - srv.requests[0].at).toBeLessThan(300);
    expect(h.reader.status.retryMs).toBe(0);
  });

  it('backs off exponentially while attempts fail, and starts over once a connection delivered an event', async () => {
    // 500, 500, 500, then one event and a clean end, then 500, then a stream that stays.
    const srv = await serve((_req, res, i) => {
      if (i === 3) {
        sseHeaders(res);
        res.end('data: {"ok":1}\n\n');
      } else if (i === 5) sseHeaders(res);
      else {
        res.writeHead(500);
        res.end('down');
      }
    });
    const h = startReader({ url: srv.url, random: () => 0.5, backoff: { baseMs: 50, maxMs: 1000 } });
    await waitFor(() => srv.requests.length === 6 && h.reader.status.state === 'open', 5000, 'six attempts');
    const waits = h.statuses.filter((s) => s.state === 'backoff').map((s) => (s.nextAttemptAt as number) - s.since);
    // Half of 50·2^attempt: 25, 50, 100; after the event, attempt 0 again: 25, then 50.
    const expected = [25, 50, 100, 25, 50];
    expect(waits).toHaveLength(5);
    waits.forEach((w, i) => expect(Math.abs(w - expected[i]), `wait ${i}: ${w}`).toBeLessThanOrEqual(2));
    expect(h.reader.status.connects).toBe(6);
    await sleep(50);
    expect(srv.requests).toHaveLength(6);
  });
});
