import { afterEach, describe, expect, it } from 'vitest';
import { Harness, Recorder, sleep, waitFor } from './fleetHarness';
import { ScriptedServer, frames, sseEvent } from './scriptedServer';
import type { Script } from './scriptedServer';

let h: Harness;
afterEach(() => h.release());

async function scripted(script: Script): Promise<ScriptedServer> {
  const s = await ScriptedServer.start(script);
  h.onRelease(() => s.stop());
  return s;
}

const HB = 100;

describe('RealtimeClient liveness (3 heartbeats of silence = dead)', () => {
  it('ws: a node that goes silent after its welcome is left, and the client reconnects', async () => {
    h = new Harness();
    const server = await scripted({ onWs: (c) => c.send(frames.welcome(HB)) });
    const c = h.client({ urls: [server.url], user: 'u', transports: ['ws'], backoff: { baseMs: 10, maxMs: 10 } });
    const rec = new Recorder(c);
    c.connect();
    await waitFor(() => server.ws.length >= 2, 'a second connection', 3000);
    const first = server.ws[0];
    await waitFor(() => first.closedAt !== null, 'the first closed');
    // Closed by the client after 3 × heartbeatMs of silence, not before.
    expect(first.closedAt! - first.openedAt).toBeGreaterThanOrEqual(3 * HB - 10);
    expect(first.closedAt! - first.openedAt).toBeLessThan(3 * HB + 1500); // generous: CI machines stall
    expect(rec.errors[0].message).toBe(`ws ${server.url}: nothing received for ${3 * HB} ms (3 heartbeats)`);
    expect(rec.states.slice(0, 3)).toEqual(['connecting', 'connected', 'reconnecting']);
  });

  it('ws: pings alone keep a quiet connection up', async () => {
    h = new Harness();
    const server = await scripted({
      onWs: (c) => {
        c.send(frames.welcome(HB));
        const t = setInterval(() => c.ws.ping(), HB);
        c.ws.on('close', () => clearInterval(t));
      },
    });
    const c = h.client({ urls: [server.url], user: 'u', transports: ['ws'] });
    c.connect();
    await waitFor(() => c.state === 'connected', 'connected');
    await sleep(10 * HB);
    expect(server.ws).toHaveLength(1);
    expect(server.ws[0].closedAt).toBeNull();
    expect(c.state).toBe('connected');
  });

  it('sse: silence ends the stream, `: hb` comments keep it', async () => {
    h = new Harness();
    const server = await scripted({
      onHttp: (_req, res, n) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(sseEvent(frames.welcome(HB)));
        if (n === 1) return; // the first stream goes silent
        const t = setInterval(() => res.write(': hb\n\n'), HB);
        res.on('close', () => clearInterval(t));
      },
    });
    const c = h.client({ urls: [server.url], user: 'u', transports: ['sse'], backoff: { baseMs: 10, maxMs: 10 } });
    c.connect();
    await waitFor(() => server.requests.length === 2 && c.state === 'connected', 'the second stream');
    expect(server.requests[1].at - server.requests[0].at).toBeGreaterThanOrEqual(3 * HB - 10);
    await sleep(10 * HB);
    expect(server.requests).toHaveLength(2);
    expect(c.state).toBe('connected');
  });

  it('longpoll: a poll not answered within the hold plus 3 heartbeats is given up, and the session reopened', async () => {
    h = new Harness();
    const HOLD = 200;
    const server = await scripted({
      onHttp: (req, res, n) => {
        const url = new URL(req.url ?? '/', 'http://x');
        const answer = (frs: unknown[]): void => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: 's1', cursor: 1, frames: frs }));
        if (url.searchParams.has('user')) return answer([frames.welcome(HB)]);
        // The first poll ends empty when the hold ends (the client learns the hold), the
        // next ones are never answered.
        if (n === 2) setTimeout(() => answer([]), HOLD);
      },
    });
    const c = h.client({ urls: [server.url], user: 'u', transports: ['longpoll'], backoff: { baseMs: 10, maxMs: 10 } });
    c.connect();
    await waitFor(() => server.requests.filter((r) => r.url.includes('user=')).length === 2, 'a second session', 4000);
    const opens = server.requests.filter((r) => r.url.includes('user='));
    const held = server.requests[2];
    expect(held.url).toBe('/poll?sid=s1&cursor=1');
    // Given up after about hold (learnt: ~200 ms) + 3 heartbeats (300 ms).
    expect(opens[1].at - held.at).toBeGreaterThanOrEqual(HOLD + 3 * HB - 20);
    expect(opens[1].at - held.at).toBeLessThan(HOLD + 3 * HB + 1500);
  });
});
