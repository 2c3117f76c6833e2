import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayNode } from '../../../src/fleet/gateway';
import { ADMIN, READ, admin, opsUrl, startNodes, stopNodes, wsUrl } from '../../helpers/gatewayFixture';
import { waitFor } from '../../helpers/ports';
import { WsProbe } from '../../helpers/wsProbe';

let nodes: GatewayNode[] = [];
afterEach(async () => {
  await stopNodes(nodes);
  nodes = [];
});

async function metric(n: GatewayNode, line: string): Promise<number> {
  const text = await (await fetch(`${opsUrl(n)}/metrics`, { headers: { authorization: `Bearer ${READ}` } })).text();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found ? Number(found.slice(line.length + 1)) : NaN;
}

describe('admin API auth', () => {
  it.each([
    ['status', undefined],
    ['drain', { requestId: 'x', deadlineSeconds: 1, disconnectRatePerSecond: 1 }],
    ['undrain', { requestId: 'y' }],
    ['restart', { requestId: 'z', deadlineSeconds: 1, disconnectRatePerSecond: 1 }],
  ])('%s answers 401 with a JSON error without the token and with a wrong one, and counts it', async (path, body) => {
    nodes = await startNodes(1);
    const none = await admin(nodes[0], path, body, null);
    const wrong = await admin(nodes[0], path, body, `${ADMIN}x`);
    const readTokenIsNotAdmin = await admin(nodes[0], path, body, READ);
    for (const r of [none, wrong, readTokenIsNotAdmin]) {
      expect(r.status).toBe(401);
      expect(r.body.error).toMatch(/admin token/);
    }
    expect(nodes[0].state).toBe('serving');
    expect(await metric(nodes[0], `realtime_admin_requests_total{action="${path}",outcome="unauthorized"}`)).toBe(3);
  });

  it('status answers every field of the contract with the right token', async () => {
    nodes = await startNodes(1);
    const r = await admin(nodes[0], 'status');
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['accepting', 'bootId', 'connections', 'drain', 'limit', 'node', 'state', 'uptimeSeconds', 'version']);
    expect(r.body).toMatchObject({ node: 'gw-1', bootId: nodes[0].bootId, state: 'serving', accepting: true, connections: { ws: 0, sse: 0, longpoll: 0 }, drain: null });
  });

  it('/metrics and /events need the read token', async () => {
    nodes = await startNodes(1);
    for (const path of ['/metrics', '/events']) {
      const res = await fetch(`${opsUrl(nodes[0])}${path}`);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: string }).error).toMatch(/read token/);
    }
    expect(await metric(nodes[0], 'realtime_node_accepting')).toBe(1);
  });
});

describe('admin API validation and idempotency', () => {
  it('rejects unknown fields naming them, bad values, bad JSON, big bodies and wrong methods', async () => {
    nodes = await startNodes(1);
    const n = nodes[0];
    const unknown = await admin(n, 'drain', { requestId: 'a', deadlineSeconds: 5, disconnectRatePerSecond: 5, force: true });
    expect(unknown).toEqual({ status: 400, body: { error: 'unknown field "force"' } });
    const bad = await admin(n, 'drain', { requestId: 'a', deadlineSeconds: -1, disconnectRatePerSecond: 5 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^deadlineSeconds: /);
    const missing = await admin(n, 'undrain', {});
    expect(missing.body.error).toMatch(/^requestId: /);
    const notJson = await admin(n, 'undrain', '{nope');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toMatch(/not valid JSON/);
    const big = await admin(n, 'undrain', { requestId: 'b', pad: 'x'.repeat(17 * 1024) });
    expect(big.status).toBe(413);
    const get = await fetch(`${opsUrl(n)}/admin/drain`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(get.status).toBe(405);
    const nope = await admin(n, 'explode', {});
    expect(nope.status).toBe(404);
    expect(n.state).toBe('serving');
  });

  it('the same requestId returns the first answer and acts once', async () => {
    nodes = await startNodes(1);
    const n = nodes[0];
    const first = await admin(n, 'drain', { requestId: 'once', deadlineSeconds: 30, disconnectRatePerSecond: 10 });
    expect(first.status).toBe(202);
    await admin(n, 'undrain', { requestId: 'u1' });
    expect(n.state).toBe('serving');
    const again = await admin(n, 'drain', { requestId: 'once', deadlineSeconds: 30, disconnectRatePerSecond: 10 });
    expect(again).toEqual(first);
    expect(n.state).toBe('serving');
    const undrainAgain = await admin(n, 'undrain', { requestId: 'u1' });
    expect(undrainAgain.status).toBe(200);
  });
});

describe('drain, undrain, restart', () => {
  it('drain fails /readyz, refuses new connections, closes no faster than the rate, then drained', async () => {
    nodes = await startNodes(1);
    const n = nodes[0];
    const probes = Array.from({ length: 20 }, (_, i) => new WsProbe(wsUrl(n, `d${i}`)));
    await Promise.all(probes.map((p) => p.opened));
    const t0 = Date.now();
    const r = await admin(n, 'drain', { requestId: 'd', deadlineSeconds: 30, disconnectRatePerSecond: 10 });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ state: 'draining', accepting: false });
    expect((await fetch(`http://127.0.0.1:${n.clientPort}/readyz`)).status).toBe(503);
    await expect(new WsProbe(wsUrl(n, 'late')).opened).rejects.toThrow(/503/);
    const sse = await fetch(`http://127.0.0.1:${n.clientPort}/sse?user=late`);
    expect(sse.status).toBe(503);
    // Every client is told first.
    await waitFor(() => probes.every((p) => p.of('drain').length === 1), 2000, 'drain notices');
    await waitFor(() => n.state === 'drained', 5000, 'drained');
    const took = Date.now() - t0;
    // 20 connections at 10/s: about 2 s, never much faster.
    expect(took).toBeGreaterThanOrEqual(1700);
    // The node counts a connection gone when it closes it; the client sees the close frame a moment later.
    await waitFor(() => probes.every((p) => p.closeCode !== null), 2000, 'every client saw its close');
    expect(probes.map((p) => p.closeCode)).toEqual(probes.map(() => 1001));
    const status = await admin(n, 'status');
    expect(status.body).toMatchObject({ state: 'drained', accepting: false });
    const un = await admin(n, 'undrain', { requestId: 'un' });
    expect(un.body).toMatchObject({ state: 'serving', accepting: true });
    expect((await fetch(`http://127.0.0.1:${n.clientPort}/readyz`)).status).toBe(200);
  });

  it('force-closes what remains at the deadline', async () => {
    nodes = await startNodes(1);
    const n = nodes[0];
    const probes = Array.from({ length: 30 }, (_, i) => new WsProbe(wsUrl(n, `f${i}`)));
    await Promise.all(probes.map((p) => p.opened));
    await admin(n, 'drain', { requestId: 'f', deadlineSeconds: 1, disconnectRatePerSecond: 5 });
    await waitFor(() => n.state === 'drained', 3000, 'drained at the deadline');
    await waitFor(() => probes.every((p) => p.closeCode === 1001), 2000);
  });

  it('undrain keeps the connections not yet closed', async () => {
    nodes = await startNodes(1);
    const n = nodes[0];
    const probes = Array.from({ length: 10 }, (_, i) => new WsProbe(wsUrl(n, `k${i}`)));
    await Promise.all(probes.map((p) => p.opened));
    await admin(n, 'drain', { requestId: 'k', deadlineSeconds: 60, disconnectRatePerSecond: 2 });
    await new Promise((r) => setTimeout(r, 600));
    await admin(n, 'undrain', { requestId: 'k2' });
    const open = n.sessions.size;
    expect(open).toBeGreaterThanOrEqual(7);
    expect(open).toBeLessThan(10);
    await new Promise((r) => setTimeout(r, 700));
    expect(n.sessions.size).toBe(open);
  });

  it('restart drains, then the node exits for its supervisor and refuses undrain meanwhile', async () => {
    nodes = await startNodes(1);
    const n = nodes[0];
    const exited = new Promise<string>((resolve) => n.once('exit', resolve));
    const p = new WsProbe(wsUrl(n));
    await p.opened;
    const r = await admin(n, 'restart', { requestId: 'rs', deadlineSeconds: 5, disconnectRatePerSecond: 100 });
    expect(r.status).toBe(202);
    const un = await admin(n, 'undrain', { requestId: 'rs-un' }).catch(() => ({ status: 0, body: {} }));
    expect([409, 0]).toContain(un.status);
    expect(await exited).toBe('restart');
    expect(p.closeCode).toBe(1001);
  });
});
