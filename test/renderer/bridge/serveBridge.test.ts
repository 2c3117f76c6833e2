// @vitest-environment jsdom
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ConsoleCore } from '../../../src/main/core';
import { startServeServer } from '../../../src/main/serve';
import { ConsoleSession } from '../../../src/main/session/consoleSession';
import type { ServeServer } from '../../../src/main/serve';
import { chooseBridge } from '../../../src/renderer/src/bridge';
import type { SocketFactory, WsBridge } from '../../../src/renderer/src/bridge';
import type { LiveFrame } from '../../../src/shared/api';

/**
 * The renderer's bridge against the real serve-mode server (on a console core without a
 * fleet): the contract both sides derive from src/shared/bridge.ts.
 */
let core: ConsoleCore;
let server: ServeServer;
const created: WsBridge[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-renderer-bridge-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>x</title>');
  core = new ConsoleCore();
  core.start();
  server = await startServeServer({ api: new ConsoleSession({ live: core }), port: 0, rendererDir: dir });
});
afterAll(async () => {
  for (const b of created) b.stop();
  await server?.close();
  core?.stop();
});

/** A browser sends its page's Origin; the `ws` client is told to do the same. */
const socketFor = (port: number): SocketFactory => (url, protocols) => new WebSocket(url, protocols, { origin: `http://127.0.0.1:${port}` });

function bridgeFrom(hash: string): { bridge: WsBridge; addressAfter: string } {
  let address = `/${hash}`;
  const choice = chooseBridge({
    preloadApi: undefined,
    location: { hash, pathname: '/', search: '', host: `127.0.0.1:${server.port}`, protocol: 'http:' },
    history: { replaceState: (_d, _u, url) => void (address = url ?? address) },
    createSocket: socketFor(server.port),
  });
  if (choice.kind !== 'serve') throw new Error(`expected the serve bridge, got ${choice.kind}`);
  created.push(choice.bridge);
  return { bridge: choice.bridge, addressAfter: address };
}

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the renderer bridge on real serve mode', () => {
  it('connects with the token from the page address, receives frames and gets answers', async () => {
    const { bridge, addressAfter } = bridgeFrom(`#token=${server.token}`);
    expect(addressAfter).toBe('/');
    const frames: LiveFrame[] = [];
    bridge.onFrame((f) => frames.push(f));
    bridge.start();
    await until(() => frames.length > 0, 5000, 'the first frame');
    expect(bridge.status().state).toBe('open');
    expect(frames[0].source.kind).toBe('none');
    expect(frames[0].nodes).toEqual([]);
    const tl = await bridge.getTimeline({ limit: 10 });
    expect(tl).toEqual({ ok: true, value: [] });
    const now = Date.now();
    const series = await bridge.getSeries({ metric: 'connections', fromMs: now - 60_000, toMs: now, width: 100 });
    expect(series).toEqual({ ok: true, value: { metric: 'connections', fromMs: now - 60_000, toMs: now, lines: [] } });
    const bad = await bridge.getSeries({ metric: 'connections', fromMs: now, toMs: now - 1, width: 100 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.code).toBe('invalid');
  });

  it('with a wrong token the server refuses and the bridge says so, with no data', async () => {
    const { bridge } = bridgeFrom('#token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    const frames: LiveFrame[] = [];
    bridge.onFrame((f) => frames.push(f));
    bridge.start();
    await until(() => bridge.status().state === 'refused', 5000, 'refused');
    expect(frames).toEqual([]);
  });

  it('a console restarted on the same port (a new token) makes the old page "refused", not just "lost"', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sb-renderer-bridge-'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>x</title>');
    const own = new ConsoleCore();
    let first: ServeServer | null = await startServeServer({ api: new ConsoleSession({ live: own }), port: 0, rendererDir: dir });
    const port = first.port;
    let address = '/';
    const choice = chooseBridge({
      preloadApi: undefined,
      location: { hash: `#token=${first.token}`, pathname: '/', search: '', host: `127.0.0.1:${port}`, protocol: 'http:' },
      history: { replaceState: (_d, _u, url) => void (address = url ?? address) },
      createSocket: socketFor(port),
      fetch: (input, init) => fetch(input, init),
    });
    if (choice.kind !== 'serve') throw new Error('expected the serve bridge');
    created.push(choice.bridge);
    choice.bridge.start();
    let second: ServeServer | null = null;
    try {
      await until(() => choice.bridge.status().state === 'open', 5000, 'open');
      await first.close();
      first = null;
      await until(() => choice.bridge.status().state === 'lost', 5000, 'lost');
      second = await startServeServer({ api: new ConsoleSession({ live: own }), port, rendererDir: dir });
      await until(() => choice.bridge.status().state === 'refused', 15_000, 'refused by the restarted console');
      expect(address).toBe('/');
    } finally {
      await first?.close();
      await second?.close();
      own.stop();
    }
  }, 30_000);

  it('without a token there is no bridge at all', () => {
    const choice = chooseBridge({
      preloadApi: undefined,
      location: { hash: '', pathname: '/', search: '', host: `127.0.0.1:${server.port}`, protocol: 'http:' },
      history: { replaceState: () => {} },
      createSocket: socketFor(server.port),
    });
    expect(choice.kind).toBe('no-token');
  });
});
