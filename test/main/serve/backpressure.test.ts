import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleCore } from '../../../src/main/core';
import { DEFAULT_BRIDGE_LIMITS, startServeServer } from '../../../src/main/serve';
import type { ServeServer } from '../../../src/main/serve';
import type { ConsoleApi, LiveFrame, TimelineEvent } from '../../../src/shared/api';
import { waitFor } from '../../helpers/ports';
import { withUnavailableSessionOps } from '../../helpers/sessionOps';
import { BridgeClient, fakeRenderer } from './serveFixture';

/**
 * A real ConsoleCore answers the API, but frames come from the test: the core publishes
 * at most ten small frames a second, and kernel socket buffers on loopback take megabytes
 * before the server sees any backpressure. Big frames, fast, make the stall show in seconds.
 * Each frame is built by the core itself (`buildFrame`), padded with timeline events.
 */
const core = new ConsoleCore();
const subscribers = new Set<(f: LiveFrame) => void>();
const api: ConsoleApi = withUnavailableSessionOps({
  getSeries: (r) => core.getSeries(r),
  getTimeline: (q) => core.getTimeline(q),
  getInventory: () => core.getInventory(),
  onFrame: (fn) => {
    subscribers.add(fn);
    return () => subscribers.delete(fn);
  },
});
const padding: TimelineEvent[] = Array.from({ length: 200 }, (_, i) => ({
  id: i, ts: 0, endTs: null, node: 'gw-1', kind: 'padding', severity: 'info', title: 'padding', reason: 'x'.repeat(2000), cause: null, data: {},
}));
const bigFrame = (seq: number): LiveFrame => core.buildFrame(padding, 0, seq);
const FRAME_BYTES = JSON.stringify({ kind: 'frame', frame: bigFrame(1) }).length;
const emit = (seq: number): void => {
  const f = bigFrame(seq);
  for (const fn of subscribers) fn(f);
};

const site = fakeRenderer();
let server: ServeServer;

/** A WebSocket client that completes the handshake and then never reads: its kernel buffers fill, then the server's. */
function stalledClient(port: number, token: string): Promise<{ socket: net.Socket; received: () => Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let open = false;
    socket.on('error', reject);
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      if (open) return;
      const text = Buffer.concat(chunks).toString('latin1');
      if (!text.includes('\r\n\r\n')) return;
      if (!text.startsWith('HTTP/1.1 101')) return reject(new Error(text.split('\r\n')[0]));
      open = true;
      socket.pause();
      resolve({ socket, received: () => Buffer.concat(chunks) });
    });
    socket.write(
      [
        'GET /bridge HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        `Sec-WebSocket-Protocol: switchboard.${token}`,
        `Origin: http://127.0.0.1:${port}`,
        '',
        '',
      ].join('\r\n'),
    );
  });
}

beforeAll(async () => {
  server = await startServeServer({ api, port: 0, rendererDir: site.rendererDir });
});
afterAll(async () => {
  await server?.close();
  core.stop();
  rmSync(site.root, { recursive: true, force: true });
});

describe('backpressure on the bridge', () => {
  it('skips frames for a client that stops reading instead of queueing them, and catches it up with the latest', async () => {
    const stalled = await stalledClient(server.port, server.token);
    await waitFor(() => subscribers.size === 1, 2000, 'the frame subscription');
    const FRAMES = 300; // ≈ 130 MB if it were all queued
    let maxBuffered = 0;
    for (let seq = 1; seq <= FRAMES; seq++) {
      emit(seq);
      maxBuffered = Math.max(maxBuffered, server.stats().bufferedBytes);
      await new Promise((r) => setImmediate(r));
    }
    const s = server.stats();
    // Kernel buffers take some frames; past that, at most the 1 MiB limit plus the frame that crossed it waits in the server.
    expect(maxBuffered).toBeLessThanOrEqual(DEFAULT_BRIDGE_LIMITS.maxFrameBufferedBytes + FRAME_BYTES);
    expect(maxBuffered).toBeGreaterThan(DEFAULT_BRIDGE_LIMITS.maxFrameBufferedBytes);
    expect(s.framesSkipped).toBeGreaterThan(FRAMES / 2);
    expect(s.framesSent + s.framesSkipped).toBe(FRAMES);

    // The client reads again: what was queued drains, and the next frame (the current state) arrives.
    stalled.socket.resume();
    await waitFor(() => server.stats().bufferedBytes === 0, 10_000, 'the queue to drain');
    emit(999_999);
    await waitFor(() => stalled.received().includes('"seq":999999'), 5000, 'the latest frame');
    expect(stalled.received().length).toBeLessThan((s.framesSent + 1) * (FRAME_BYTES + 16) + 1024);
    stalled.socket.destroy();
  }, 30_000);

  it('does not hold back frames from a client that keeps up', async () => {
    const c = await BridgeClient.connect(server.port, { protocols: [`switchboard.${server.token}`] });
    await waitFor(() => subscribers.size === 1, 2000, 'the frame subscription');
    const skipped = server.stats().framesSkipped;
    for (let seq = 1; seq <= 20; seq++) {
      emit(seq);
      await waitFor(() => c.frames.at(-1)?.seq === seq, 5000, `frame ${seq}`);
    }
    expect(c.frames.map((f) => f.seq).slice(-20)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(server.stats().framesSkipped).toBe(skipped);
    c.close();
  });
});
