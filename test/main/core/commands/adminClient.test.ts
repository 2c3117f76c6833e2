import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAdmin } from '../../../../src/main/core/commands';
import type { Target } from '../../../../src/main/core/inventory';
import { freePort } from '../../../helpers/ports';

/** A scripted admin API: each path answers as the test says; every request is recorded. */
const seen: Array<{ path: string; auth: string | undefined; body: string }> = [];
let script: (path: string, n: number) => { status: number; body: unknown; delayMs?: number; headers?: Record<string, string> };
let server: http.Server;
let url: string;

const STATUS = { node: 'gw-2', bootId: 'b1', version: '1', state: 'draining', accepting: false, connections: { ws: 3, sse: 0, longpoll: 0 }, limit: 100, uptimeSeconds: 5, drain: { startedAt: 1, deadline: 2, remaining: 3, disconnectRatePerSecond: 10 } };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', auth: req.headers.authorization, body });
      const a = script(req.url ?? '', seen.filter((s) => s.path === req.url).length);
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers }).end(JSON.stringify(a.body));
      }, a.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const target = (opsUrl = url): Target => ({ id: 'gw-2', opsUrl, labels: {}, readToken: null, adminToken: 'tok-123', source: 'test' });
const fast = { timeoutMs: 300, attempts: 3, backoffMs: 20 };

describe('callAdmin', () => {
  it('sends the admin token and the body, and parses the status', async () => {
    seen.length = 0;
    script = () => ({ status: 202, body: STATUS });
    const a = await callAdmin(target(), 'drain', { requestId: 'r-1', deadlineSeconds: 5, disconnectRatePerSecond: 10 }, fast);
    expect(a).toMatchObject({ ok: true, httpStatus: 202, attempts: 1, replayed: false, status: { state: 'draining', bootId: 'b1' } });
    expect(seen).toEqual([{ path: '/admin/drain', auth: 'Bearer tok-123', body: '{"requestId":"r-1","deadlineSeconds":5,"disconnectRatePerSecond":10}' }]);
  });

  it('retries a 503 and a timeout with the same request id, and says when the answer was a replay', async () => {
    seen.length = 0;
    script = (_p, n) => (n === 1 ? { status: 503, body: { error: 'busy' } } : n === 2 ? { status: 202, body: STATUS, delayMs: 1000 } : { status: 202, body: STATUS, headers: { 'idempotent-replay': 'true' } });
    const a = await callAdmin(target(), 'restart', { requestId: 'r-2', deadlineSeconds: 5, disconnectRatePerSecond: 10 }, fast);
    expect(a).toMatchObject({ ok: true, attempts: 3, replayed: true });
    expect(seen.map((s) => JSON.parse(s.body).requestId)).toEqual(['r-2', 'r-2', 'r-2']);
  });

  it('names the node and the cause: 401, 409 and 400 with the node\'s message, given up after the tries', async () => {
    script = () => ({ status: 401, body: { error: 'unauthorized' } });
    expect(await callAdmin(target(), 'drain', { requestId: 'x' }, fast)).toEqual({ ok: false, code: 'unauthorized', httpStatus: 401, attempts: 1, message: 'the admin token for gw-2 was refused (HTTP 401): check the credentials the inventory gives for it' });
    script = () => ({ status: 409, body: { error: 'node is restarting; it cannot be undrained' } });
    expect(await callAdmin(target(), 'undrain', { requestId: 'x' }, fast)).toMatchObject({ ok: false, code: 'conflict', message: 'gw-2 refused to undrain (HTTP 409): node is restarting; it cannot be undrained' });
    script = () => ({ status: 400, body: { error: 'unknown field "foo"' } });
    expect(await callAdmin(target(), 'drain', { requestId: 'x' }, fast)).toMatchObject({ ok: false, code: 'bad_request', message: 'gw-2 rejected the drain request (HTTP 400): unknown field "foo"' });
    script = () => ({ status: 202, body: STATUS, delayMs: 2000 });
    const slow = await callAdmin(target(), 'drain', { requestId: 'x' }, fast);
    expect(slow).toMatchObject({ ok: false, code: 'timeout', attempts: 3, message: 'gw-2 did not answer drain within 0.3 s (3 tries)' });
    script = () => ({ status: 302, body: {}, headers: { location: 'http://elsewhere/' } });
    expect(await callAdmin(target(), 'drain', { requestId: 'x' }, fast)).toMatchObject({ ok: false, code: 'http', message: `gw-2's admin API (${url}) redirected (HTTP 302); not followed` });
  });

  it('says "connection refused" for a node that is not listening', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const a = await callAdmin(target(closed), 'drain', { requestId: 'x' }, fast);
    expect(a).toEqual({ ok: false, code: 'unreachable', httpStatus: null, attempts: 3, message: `cannot reach gw-2's admin API (${closed}): connection refused (the node is down, or the ops port is wrong) (3 tries)` });
  });
});
