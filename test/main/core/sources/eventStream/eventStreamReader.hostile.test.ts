import { afterEach, describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../../../../helpers/ports';
import { startReader, states, stopReaders } from './readerHarness';
import { every, sseHeaders, startSseServer } from './sseTestServer';
import type { SseTestServer } from './sseTestServer';

// Nodes that misbehave on purpose: each must cost the reader bounded time and memory.
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

describe('EventStreamReader idle timeout', () => {
  it('marks a stream that goes silent after the headers stale within idleTimeoutMs, then reconnects', async () => {
    const srv = await serve((_req, res) => sseHeaders(res));
    const h = startReader({ url: srv.url, idleTimeoutMs: 300 });
    const stale = await waitFor(() => h.statuses.find((s) => s.state === 'stale'), 3000, 'stale');
    const open = h.statuses.find((s) => s.state === 'open');
    expect(stale.since - (open?.since as number)).toBeGreaterThanOrEqual(295);
    expect(stale.since - (open?.since as number)).toBeLessThan(2000);
    expect(stale.lastError).toBe('nothing received for idleTimeoutMs (300 ms), not even a heartbeat');
    expect(stale.nextAttemptAt).not.toBeNull();
    // The silent connection was dropped and a new one made.
    await waitFor(() => srv.requests.length >= 2, 3000, 'a reconnect');
    expect(srv.requests[0].closedAt).not.toBeNull();
    expect(states(h).slice(0, 4)).toEqual(['connecting', 'open', 'stale', 'connecting']);
  });

  it('keeps a stream open while heartbeat comments arrive, however few the events', async () => {
    const srv = await serve((_req, res) => {
      sseHeaders(res);
      every(res, 100, () => ': hb\n\n');
    });
    const h = startReader({ url: srv.url, idleTimeoutMs: 500 });
    await waitFor(() => h.reader.status.state === 'open', 2000, 'open');
    await sleep(1200);
    const s = h.reader.status;
    expect(s.state).toBe('open');
    expect(s.connects).toBe(1);
    expect(s.events).toBe(0);
    expect(s.bytes).toBeGreaterThanOrEqual(6 * 8);
    expect(srv.requests).toHaveLength(1);
  });
});

describe('EventStreamReader size caps', () => {
  it('aborts a slow-loris that dribbles one byte of an event every 100 ms, at maxPendingBytes', async () => {
    const srv = await serve((_req, res) => {
      sseHeaders(res);
      res.write('data: "');
      every(res, 100, () => 'x');
    });
    const h = startReader({ url: srv.url, maxPendingBytes: 16, idleTimeoutMs: 5000 });
    const failed = await waitFor(() => h.statuses.find((s) => s.state === 'backoff'), 4000, 'backoff');
    expect(failed.lastError).toBe('17 bytes received without completing an event, over maxPendingBytes (16)');
    // Every byte refreshed the idle timer: the cap, not the idle timeout, ended it.
    expect(states(h)).not.toContain('stale');
    expect(failed.bytes).toBe(17);
    await waitFor(() => srv.requests[0].closedAt, 2000, 'the server to see the connection dropped');
  });

  it('aborts an endless single line at maxPendingBytes without buffering the rest', async () => {
    const chunk = 'x'.repeat(64 * 1024);
    const srv = await serve((_req, res) => {
      sseHeaders(res);
      res.write('data: ');
      // Writes as fast as the reader takes it, forever: the line never ends.
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
      };
      res.on('drain', pump);
      pump();
    });
    const cap = 256 * 1024;
    const h = startReader({ url: srv.url, maxPendingBytes: cap });
    const failed = await waitFor(() => h.statuses.find((s) => s.state === 'backoff'), 5000, 'backoff');
    expect(failed.lastError).toMatch(/^\d+ bytes received without completing an event, over maxPendingBytes \(262144\)$/);
    // Stopped within about one read past the cap, not at whatever the server could send.
    expect(failed.bytes).toBeGreaterThan(cap);
    expect(failed.bytes).toBeLessThan(2 * cap);
    expect(failed.events).toBe(0);
    await waitFor(() => srv.requests[0].closedAt, 2000, 'the server to see the connection dropped');
  });

  it('drops an event over maxEventBytes and the connection, and resumes after it', async () => {
    const big = `"${'x'.repeat(100_000)}"`;
    const srv = await serve((_req, res, i) => {
      sseHeaders(res);
      if (i === 0) res.write(`id: b:1\nevent: big\ndata: ${big}\n\n`);
      else res.write('id: b:2\nevent: small\ndata: {"n":2}\n\n');
    });
    const h = startReader({ url: srv.url, maxEventBytes: 64 * 1024 });
    await waitFor(() => h.events.length === 1, 3000, 'the small event');
    const failed = h.statuses.find((s) => s.state === 'backoff');
    expect(failed?.lastError).toBe('event "big" id b:1: 100002 bytes of data, over maxEventBytes (65536)');
    expect(h.events).toEqual([{ type: 'small', id: 'b:2', data: { n: 2 }, bootId: 'b', seq: 2 }]);
    // The oversized event's id was taken, so the node is not asked for it again.
    expect(srv.requests[1].headers['last-event-id']).toBe('b:1');
    expect(srv.requests[0].closedAt).not.toBeNull();
  });

  it('counts the UTF-8 bytes of event data, not characters', async () => {
    // 40 'é' are 40 chars but 80 bytes; with the quotes 82.
    const srv = await serve((_req, res, i) => {
      sseHeaders(res);
      if (i === 0) res.write(`id: u:1\ndata: "${'é'.repeat(40)}"\n\n`);
    });
    const h = startReader({ url: srv.url, maxEventBytes: 60 });
    const failed = await waitFor(() => h.statuses.find((s) => s.state === 'backoff'), 3000, 'backoff');
    expect(failed.lastError).toBe('event "message" id u:1: 82 bytes of data, over maxEventBytes (60)');
    expect(h.events).toEqual([]);
  });
});

describe('EventStreamReader connect timeout', () => {
  it('gives up on a server that never answers the request, and says which limit', async () => {
    const srv = await serve(() => {
      /* never answers */
    });
    const h = startReader({ url: srv.url, connectTimeoutMs: 200 });
    const failed = await waitFor(() => h.statuses.find((s) => s.state === 'backoff'), 3000, 'backoff');
    expect(failed.lastError).toBe('no usable response within connectTimeoutMs (200 ms)');
    expect(failed.since - h.statuses[0].since).toBeGreaterThanOrEqual(195);
    await waitFor(() => srv.requests[0].closedAt, 2000, 'the server to see the request dropped');
  });

  it('also bounds a server that sends error headers and then never the body', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.flushHeaders();
    });
    const h = startReader({ url: srv.url, connectTimeoutMs: 200 });
    const failed = await waitFor(() => h.statuses.find((s) => s.state === 'backoff'), 3000, 'backoff');
    expect(failed.lastError).toBe('no usable response within connectTimeoutMs (200 ms)');
  });
});
