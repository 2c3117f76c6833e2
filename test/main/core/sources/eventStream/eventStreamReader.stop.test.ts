import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventStreamReader } from '../../../../../src/main/core/sources/eventStream';
import type { StreamState } from '../../../../../src/main/core/sources/eventStream';
import { waitFor } from '../../../../helpers/ports';
import { startReader, states, stopReaders } from './readerHarness';
import { sseHeaders, startSseServer } from './sseTestServer';
import type { SseTestServer } from './sseTestServer';

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

/** Servers that hold a reader in each state for as long as the test wants. */
const holdIn: Record<'connecting' | 'open' | 'backoff', Parameters<typeof startSseServer>[0]> = {
  connecting: () => undefined,
  open: (_req, res) => {
    sseHeaders(res);
    res.write('retry: 60000\n\n');
  },
  backoff: (_req, res) => {
    res.writeHead(500);
    res.end('no');
  },
};

// Every timer a minute long: if stop() waited for any of them, it would show.
const slow = { idleTimeoutMs: 60_000, connectTimeoutMs: 60_000, backoff: { baseMs: 60_000, maxMs: 60_000 }, random: () => 1 };

describe('EventStreamReader.stop', () => {
  for (const state of ['connecting', 'open', 'backoff'] as const) {
    it(`during ${state}: resolves quickly, leaves 'closed', and drops the connection`, async () => {
      const srv = await serve(holdIn[state]);
      const h = startReader({ url: srv.url, ...slow });
      await waitFor(() => h.reader.status.state === state && srv.requests.length === 1, 3000, state);
      const t0 = Date.now();
      await h.reader.stop();
      expect(Date.now() - t0).toBeLessThan(500);
      expect(h.reader.status.state).toBe('closed');
      expect(h.reader.status.nextAttemptAt).toBeNull();
      expect(states(h).at(-1)).toBe('closed');
      await waitFor(() => srv.requests[0].closedAt, 2000, 'the server to see the connection closed');
      expect(srv.requests).toHaveLength(1);
      // Stopping again is a no-op, and a stopped reader does not start again.
      await h.reader.stop();
      h.reader.start();
      expect(h.reader.status.state).toBe('closed');
      expect(states(h).filter((s) => s === 'closed')).toHaveLength(1);
    });
  }

  it('before start: closes at once without a request', async () => {
    const srv = await serve(holdIn.open);
    const seen: StreamState[] = [];
    const reader = new EventStreamReader({ url: srv.url, token: null, onEvent: () => undefined, onStatus: (s) => seen.push(s.state) });
    expect(reader.status.state).toBe('idle');
    await reader.stop();
    reader.start();
    expect(seen).toEqual(['closed']);
    expect(srv.requests).toHaveLength(0);
  });

  it('from inside onEvent: no later event of the same chunk is delivered', async () => {
    const srv = await serve((_req, res) => {
      sseHeaders(res);
      res.write('data: 1\n\ndata: 2\n\ndata: 3\n\n');
    });
    const h = startReader({
      url: srv.url,
      onEvent: () => {
        void h.reader.stop();
      },
    });
    await waitFor(() => h.reader.status.state === 'closed', 3000, 'closed');
    expect(h.events.map((e) => e.data)).toEqual([1]);
  });

  it('from inside onStatus while entering backoff: does not wait out the backoff', async () => {
    const srv = await serve(holdIn.backoff);
    let stopped: Promise<void> | null = null;
    const h = startReader({
      url: srv.url,
      ...slow,
      onStatus: (s) => {
        if (s.state === 'backoff') stopped = h.reader.stop();
      },
    });
    await waitFor(() => stopped !== null, 3000, 'stop called');
    const t0 = Date.now();
    await stopped;
    expect(Date.now() - t0).toBeLessThan(500);
    expect(h.reader.status.state).toBe('closed');
  });

  for (const state of ['connecting', 'open', 'backoff'] as const) {
    it(`during ${state}: leaves nothing that keeps the process alive`, async () => {
      const srv = await serve(holdIn[state]);
      const script = join(__dirname, 'fixtures', 'stopThenIdle.ts');
      const child = spawn(process.execPath, [join(process.cwd(), 'bin', 'run-ts.cjs'), script, srv.url, state], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      let stoppedAt = 0;
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        // Stop only once the server has the request, so "connecting" really is mid-request.
        await waitFor(() => out.includes('armed') && srv.requests.length === 1, 10_000, `child to be armed (stderr: ${err})`);
        child.kill('SIGUSR2');
        await waitFor(() => out.includes('stopped'), 10_000, `child to stop (stderr: ${err})`);
        stoppedAt = Date.now();
        const code = await Promise.race([exited, new Promise<'alive'>((r) => setTimeout(() => r('alive'), 3000))]);
        expect(code, `child still alive 3 s after stop(); stderr: ${err}`).toBe(0);
        expect(Date.now() - stoppedAt).toBeLessThan(3000);
        expect(out.trim()).toBe('armed\nstopped closed');
        expect(srv.requests).toHaveLength(1);
      } finally {
        child.kill('SIGKILL');
      }
    });
  }
});
