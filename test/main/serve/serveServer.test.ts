import { rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoFleet } from '../../../src/fleet/demo/demoFleet';
import type { DemoFleet } from '../../../src/fleet/demo/demoFleet';
import { startLiveConsole } from '../../../src/main/core';
import type { LiveConsole } from '../../../src/main/core';
import { startServeServer } from '../../../src/main/serve';
import type { ServeServer } from '../../../src/main/serve';
import { ConsoleSession } from '../../../src/main/session/consoleSession';
import type { InventoryInfo, SeriesWindow, TimelineEvent } from '../../../src/shared/api';
import { MAX_BRIDGE_MESSAGE_BYTES } from '../../../src/shared/bridge';
import { silent } from '../../helpers/gatewayFixture';
import { BridgeClient, fakeRenderer, rawGet, refusedWith } from './serveFixture';

const site = fakeRenderer();
const fleetFile = path.join(site.root, 'fleet.json');
const logLines: string[] = [];
let fleet: DemoFleet;
let live: LiveConsole;
let server: ServeServer;
let port: number;
let token: string;
let client: BridgeClient;

beforeAll(async () => {
  fleet = await startDemoFleet({ nodes: 2, clients: 10, incidentEveryMs: 0, fleetFile, logger: silent, nodeConfig: { heartbeatMs: 2000, longPollHoldMs: 2000 } });
  live = await startLiveConsole({ inventory: { kind: 'file_sd', file: fleetFile }, scrape: { intervalMs: 1000 } });
  server = await startServeServer({ api: new ConsoleSession({ live: live.core }), port: 0, host: '127.0.0.1', rendererDir: site.rendererDir, log: (l) => logLines.push(l) });
  ({ port, token } = server);
  client = await BridgeClient.connect(port, { protocols: [`switchboard.${token}`] });
}, 30_000);

afterAll(async () => {
  client?.close();
  await server?.close();
  await live?.stop();
  await fleet?.stop();
  rmSync(site.root, { recursive: true, force: true });
});

const expectedCsp = (p: number): string =>
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
  `connect-src 'self' ws://127.0.0.1:${p} ws://localhost:${p}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'`;

describe('startServeServer', () => {
  it('prints a URL with a fresh 32-byte base64url token in the fragment', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(server.url).toBe(`http://127.0.0.1:${port}/#token=${token}`);
  });

  it('pushes live frames of the real fleet over the bridge, both nodes up', async () => {
    const f = await client.waitFrame((x) => x.nodes.length === 2 && x.nodes.every((n) => n.health === 'up'), 20_000, 'two nodes up');
    expect(f.nodes.map((n) => n.id)).toEqual(['gw-1', 'gw-2']);
    expect(f.source.kind).toBe('live');
    expect(f.fleet.nodesUp).toBe(2);
    const later = await client.waitFrame((x) => x.seq > f.seq, 5000, 'a later frame');
    expect(later.seq).toBeGreaterThan(f.seq);
    expect(server.stats().framesSent).toBeGreaterThanOrEqual(2);
  }, 30_000);

  it('answers getInventory, getSeries and getTimeline exactly as the core does', async () => {
    const inv = await client.call('getInventory');
    if (!inv.ok) throw new Error(inv.message);
    const value = inv.value as InventoryInfo;
    expect(value.targets.map((t) => t.id).sort()).toEqual(['gw-1', 'gw-2']);
    expect(value).toEqual((await live.core.getInventory() as { value: unknown }).value);
    expect(JSON.stringify(value)).not.toContain(fleet.credentials.readToken);

    // Connection counts reach the store with the scrapes; wait until the chart has some.
    const to = Date.now();
    const series = await (async () => {
      for (let i = 0; i < 100; i++) {
        const r = await client.call('getSeries', { metric: 'connections', fromMs: to - 60_000, toMs: Date.now(), width: 60 });
        if (!r.ok) throw new Error(r.message);
        const w = r.value as SeriesWindow;
        if (w.lines.some((l) => l.max.some((v) => v > 0))) return w;
        await new Promise((res) => setTimeout(res, 200));
      }
      throw new Error('no connections in the series');
    })();
    expect(series.metric).toBe('connections');
    expect(series.lines.map((l) => l.label).sort()).toEqual(['longpoll', 'sse', 'ws']);
    for (const l of series.lines) expect(l.t.length).toBeLessThanOrEqual(60);

    const q = { limit: 50 };
    const tl = await client.call('getTimeline', q);
    if (!tl.ok) throw new Error(tl.message);
    const direct = await live.core.getTimeline(q);
    expect(direct.ok).toBe(true);
    expect(tl.value as TimelineEvent[]).toEqual((direct as { value: TimelineEvent[] }).value);
  }, 30_000);

  it('also accepts the token as ?token= (same origin), and frames flow there too', async () => {
    const c = await BridgeClient.connect(port, { queryToken: token });
    await c.waitFrame((f) => f.nodes.length === 2, 5000);
    c.close();
  });

  it('selects the plain "switchboard" subprotocol when offered, so the token is not echoed', async () => {
    const c = await BridgeClient.connect(port, { protocols: ['switchboard', `switchboard.${token}`] });
    expect(c.ws.protocol).toBe('switchboard');
    c.close();
  });
});

describe('who gets in', () => {
  it('refuses upgrades with no token or a wrong one (403), and counts them', async () => {
    const before = server.stats().upgradesRefused;
    expect(await refusedWith(BridgeClient.connect(port, {}))).toBe(403);
    expect(await refusedWith(BridgeClient.connect(port, { protocols: ['switchboard.wrong-token-wrong-token-wrong'] }))).toBe(403);
    expect(await refusedWith(BridgeClient.connect(port, { protocols: [`switchboard.${token}x`] }))).toBe(403);
    expect(await refusedWith(BridgeClient.connect(port, { queryToken: token.slice(0, -1) }))).toBe(403);
    expect(server.stats().upgradesRefused).toBe(before + 4);
  });

  it('refuses upgrades from another Origin, or with none, even with the token', async () => {
    expect(await refusedWith(BridgeClient.connect(port, { protocols: [`switchboard.${token}`], origin: 'http://evil.example' }))).toBe(403);
    expect(await refusedWith(BridgeClient.connect(port, { protocols: [`switchboard.${token}`], origin: `http://evil.example:${port}` }))).toBe(403);
    expect(await refusedWith(BridgeClient.connect(port, { protocols: [`switchboard.${token}`], origin: null }))).toBe(403);
    // The other spelling of this server's own origin is fine.
    const ok = await BridgeClient.connect(port, { protocols: [`switchboard.${token}`], origin: `http://localhost:${port}`, host: `localhost:${port}` });
    ok.close();
  });

  it('refuses a foreign Host (DNS rebinding) on upgrades and requests, even with the token', async () => {
    const evil = `evil.example:${port}`;
    expect(await refusedWith(BridgeClient.connect(port, { protocols: [`switchboard.${token}`], host: evil, origin: `http://${evil}` }))).toBe(403);
    expect(await refusedWith(BridgeClient.connect(port, { protocols: [`switchboard.${token}`], host: evil }))).toBe(403);
    const health = await rawGet(port, '/api/health', { host: evil, authorization: `Bearer ${token}` });
    expect(health.status).toBe(421);
    expect(JSON.parse(health.body)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(health.body).not.toContain('"value"');
    const page = await rawGet(port, '/', { host: evil });
    expect(page.status).toBe(421);
    expect(page.body).not.toContain('fake renderer');
    // Four refusals counted, one line logged (a hostile page cannot flood the log).
    expect(server.stats().hostRefused).toBe(4);
    expect(logLines.filter((l) => l.includes('Host "evil.example')).length).toBe(1);
  });

  it('answers /api/health only with the bearer token', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(401);
    const wrong = await fetch(`http://127.0.0.1:${port}/api/health`, { headers: { authorization: `Bearer ${token}A` } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ ok: false, code: 'forbidden' });
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { ok: boolean; value: { sockets: number } };
    expect(body.ok).toBe(true);
    expect(body.value.sockets).toBeGreaterThanOrEqual(1);
  });
});

describe('static files', () => {
  it('serves index.html for / (no-store) and assets with their types, no token needed', async () => {
    const index = await fetch(`http://127.0.0.1:${port}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-store');
    expect(await index.text()).toBe(site.indexHtml);
    const js = await fetch(`http://127.0.0.1:${port}/assets/index-abc123.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe(site.asset);
    const css = await fetch(`http://127.0.0.1:${port}/assets/index-abc123.css?v=1`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(`http://127.0.0.1:${port}/nope.js`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/assets/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('never serves a file outside the build (traversal, encoded dots, symlinks)', async () => {
    symlinkSync(path.join(site.root, 'secret.txt'), path.join(site.rendererDir, 'link.txt'));
    const targets = [
      '/../secret.txt', '/%2e%2e/secret.txt', '/%2E%2E%2Fsecret.txt', '/assets/../../secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%2fsecret.txt', '/..%5csecret.txt', '/../package.json', '/%2e%2e/package.json', '/link.txt', '/%00index.html', '/%zz', `/${site.root}/secret.txt`,
    ];
    for (const t of targets) {
      const r = await rawGet(port, t);
      expect({ t, status: r.status }).toEqual({ t, status: 404 });
      expect(r.body).not.toContain('TOP-SECRET');
    }
  });

  it('puts the CSP and the other security headers on every response', async () => {
    const csp = expectedCsp(port);
    const replies = [
      await rawGet(port, '/'),
      await rawGet(port, '/missing'),
      await rawGet(port, '/api/health'),
      await rawGet(port, '/', { host: 'evil.example' }),
    ];
    expect(replies.map((r) => r.status)).toEqual([200, 404, 401, 421]);
    for (const r of replies) {
      expect(r.headers['content-security-policy']).toBe(csp);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['cross-origin-opener-policy']).toBe('same-origin');
    }
  });
});

describe('the bridge protocol', () => {
  it('answers invalid messages with invalid results naming the problem, and stays open', async () => {
    const c = await BridgeClient.connect(port, { protocols: [`switchboard.${token}`] });
    c.sendRaw('this is not json');
    expect(await c.answer(-1)).toMatchObject({ ok: false, code: 'invalid', message: expect.stringContaining('not valid JSON') });
    c.results.clear();
    c.sendRaw(JSON.stringify({ id: 11, op: 'dropTables' }));
    expect(await c.answer(11)).toMatchObject({ ok: false, code: 'invalid', message: expect.stringContaining('unknown operation "dropTables"') });
    c.sendRaw(JSON.stringify({ id: 12, op: 'getSeries', arg: { metric: 'bogus', fromMs: 0, toMs: 1, width: 10 } }));
    expect(await c.answer(12)).toMatchObject({ ok: false, code: 'invalid', message: expect.stringMatching(/^getSeries: metric: /) });
    c.sendRaw(JSON.stringify({ id: 13, op: 'getSeries', arg: { metric: 'connections', fromMs: 10, toMs: 5, width: 10 } }));
    expect(await c.answer(13)).toMatchObject({ ok: false, code: 'invalid', message: expect.stringContaining('toMs must be after fromMs') });
    c.sendRaw(JSON.stringify({ id: 14, op: 'getInventory', sneaky: true }));
    expect(await c.answer(14)).toMatchObject({ ok: false, code: 'invalid', message: expect.stringContaining('sneaky') });
    c.sendRaw(JSON.stringify([1, 2, 3]));
    expect(await c.answer(-1)).toMatchObject({ ok: false, code: 'invalid', message: expect.stringContaining('JSON object') });
    const ok = await c.call('getInventory');
    expect(ok.ok).toBe(true);
    expect(c.closeCode).toBeNull();
    c.close();
  });

  it('closes a socket with 1008 after 50 invalid messages', async () => {
    const c = await BridgeClient.connect(port, { protocols: [`switchboard.${token}`] });
    for (let i = 0; i < 49; i++) c.sendRaw(JSON.stringify({ id: i, op: 'nope' }));
    await c.answer(48);
    expect(c.closeCode).toBeNull();
    c.sendRaw(JSON.stringify({ id: 49, op: 'nope' }));
    expect(await c.waitClose()).toBe(1008);
    expect(c.results.size).toBe(50);
  });

  it('closes a socket with 1009 on a message over MAX_BRIDGE_MESSAGE_BYTES', async () => {
    const c = await BridgeClient.connect(port, { protocols: [`switchboard.${token}`] });
    c.sendRaw(JSON.stringify({ id: 1, op: 'getTimeline', arg: { nodes: ['x'.repeat(MAX_BRIDGE_MESSAGE_BYTES)] } }));
    expect(await c.waitClose()).toBe(1009);
    // The server is fine: the main client still gets frames.
    const seq = client.frames.at(-1)?.seq ?? 0;
    await client.waitFrame((f) => f.seq > seq, 5000, 'a frame after the oversized message');
  });
});
