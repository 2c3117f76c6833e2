import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrometheusConsole } from '../../../src/main/core';
import type { PrometheusConsole, PrometheusConsoleOptions } from '../../../src/main/core';
import type { LiveFrame } from '../../../src/shared/api';
import { freePort, waitFor } from '../../helpers/ports';
import { startPrometheusServer } from '../../helpers/prometheusServer';
import type { PrometheusServer } from '../../helpers/prometheusServer';
import { startContractNode, startHttp } from './contractExporter';
import type { TestHttp } from './contractExporter';

const dir = mkdtempSync(join(tmpdir(), 'sb-prom-access-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
let prom: PrometheusServer;
let nodes: TestHttp[] = [];
let proxy: TestHttp;
const running: PrometheusConsole[] = [];
const HINT = 'check --prometheus-token-file';

const frame = (c: PrometheusConsole): LiveFrame => c.core.buildFrame([], 0, 0);
const metricsBlind = (c: PrometheusConsole) => frame(c).fleet.blind.filter((b) => b.what === 'metrics').map((b) => b.reason);

async function start(o: Partial<PrometheusConsoleOptions> & { prometheus: PrometheusConsoleOptions['prometheus'] }): Promise<PrometheusConsole> {
  const c = await startPrometheusConsole({ profile: 'contract', intervalMs: 1000, scrapeIntervalMs: 1000, backfillMs: 0, ...o });
  running.push(c);
  return c;
}

beforeAll(async () => {
  nodes = [await startContractNode('gw-a', 5), await startContractNode('gw-b', 7)];
  prom = await startPrometheusServer([{ name: 'gw', targets: nodes.map((n) => `127.0.0.1:${n.port}`) }]);
  await waitFor(async () => (await prom.upTargets()) === 2, 20_000, 'Prometheus to scrape both nodes');
  // An authenticating proxy in front of Prometheus, as teams run it (bearer or basic).
  const allowed = new Set(['Bearer good-token', `Basic ${Buffer.from('ops:pa55').toString('base64')}`]);
  proxy = await startHttp((req, res) => {
    if (!allowed.has(req.headers.authorization ?? '')) return void res.writeHead(401, { 'content-type': 'text/plain' }).end('unauthorized\n');
    const up = request(`${prom.url}${req.url ?? '/'}`, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    up.end();
  });
}, 40_000);

afterAll(async () => {
  await Promise.all(running.map((c) => c.stop()));
  await proxy?.close();
  await prom?.stop();
  await Promise.all(nodes.map((n) => n.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('reaching Prometheus', () => {
  it('with the right bearer token (through a proxy): the nodes and their figures, no blind spot', async () => {
    const c = await start({ prometheus: { url: proxy.url, bearerTokenFile: file('good.token', 'good-token\n'), job: 'gw', authHint: HINT } });
    await waitFor(() => frame(c).nodes.filter((n) => n.health === 'up').length === 2, 8000, 'both nodes up');
    const f = frame(c);
    // Nodes are known by instance (host:port: no node_id target label here), so order by boot id.
    expect(Object.fromEntries(f.nodes.map((n) => [n.bootId, n.connections]))).toEqual({
      'boot-gw-a': { ws: 5, sse: 2, longpoll: 1, total: 8 },
      'boot-gw-b': { ws: 7, sse: 2, longpoll: 1, total: 10 },
    });
    expect(f.nodes.map((n) => n.id).sort()).toEqual(nodes.map((n) => `127.0.0.1:${n.port}`).sort());
    expect(f.fleet.connections.total).toBe(18);
    expect(f.fleet.blind).toEqual([]);
  });

  it('with basic auth (password from a file)', async () => {
    const c = await start({ prometheus: { url: proxy.url, basicAuth: { user: 'ops', passwordFile: file('prom.password', 'pa55\n') }, job: 'gw' } });
    await waitFor(() => frame(c).fleet.connections.total === 18, 8000, 'the fleet total');
    expect(c.source.lastFailure).toBeNull();
  });

  it('a wrong token: a clear error for the whole fleet, the console runs on', async () => {
    const c = await start({ prometheus: { url: proxy.url, bearerTokenFile: file('bad.token', 'not-the-token\n'), job: 'gw', authHint: HINT } });
    expect(metricsBlind(c)).toEqual([`Prometheus at ${proxy.url}: 401 Unauthorized: ${HINT}`]);
    expect(frame(c).fleet.blind).toContainEqual(expect.objectContaining({ node: '*', what: 'inventory', reason: `${proxy.url}/api/v1/targets?state=active: answered HTTP 401 (not a Prometheus API answer)` }));
    expect(c.backfill).toBeNull();
    // The same after the next rounds, and the frames keep coming.
    await new Promise((r) => setTimeout(r, 1500));
    expect(c.source.rounds).toBe(0);
    expect(metricsBlind(c)).toEqual([`Prometheus at ${proxy.url}: 401 Unauthorized: ${HINT}`]);
  });

  it('no token where one is needed: the same 401 advice; a token file that is missing is named', async () => {
    const none = await start({ prometheus: { url: proxy.url, authHint: HINT } });
    expect(metricsBlind(none)).toEqual([`Prometheus at ${proxy.url}: 401 Unauthorized: ${HINT}`]);
    const missing = join(dir, 'nope.token');
    const gone = await start({ prometheus: { url: proxy.url, bearerTokenFile: missing } });
    expect(metricsBlind(gone)).toEqual([`Prometheus at ${proxy.url}: token file ${missing} does not exist`]);
  });

  it('unreachable at start: the console starts blind, and sees the fleet once Prometheus answers', async () => {
    const port = await freePort();
    const c = await start({ prometheus: { url: `http://127.0.0.1:${port}`, job: 'gw', inventoryIntervalMs: 1000 } });
    expect(metricsBlind(c)).toEqual([`Prometheus at http://127.0.0.1:${port}: request failed (ECONNREFUSED)`]);
    expect(frame(c).nodes).toEqual([]);
    // Prometheus (a plain forwarder to it) comes up on that port.
    const server = createServer((req, res) => {
      const up = request(`${prom.url}${req.url ?? '/'}`, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      });
      up.end();
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      await waitFor(() => frame(c).fleet.connections.total === 18, 8000, 'the fleet once Prometheus answers');
      expect(frame(c).fleet.blind).toEqual([]);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('answers that are not Prometheus: HTML, an error status, silence', async () => {
    const odd = await startHttp((req, res) => {
      const path = (req.url ?? '').split('/api/')[0];
      if (path === '/html') res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
      else if (path === '/busy') res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'error', errorType: 'unavailable', error: 'too many queries' }));
      else if (path === '/slow') setTimeout(() => res.writeHead(200).end('{}'), 3000);
      else res.writeHead(404).end();
    });
    try {
      const html = await start({ prometheus: { url: `${odd.url}/html` } });
      expect(metricsBlind(html)).toEqual([`Prometheus at ${odd.url}/html: the answer is not valid JSON at line 1 column 1 (expected a value)`]);
      const busy = await start({ prometheus: { url: `${odd.url}/busy` } });
      expect(metricsBlind(busy)).toEqual([`Prometheus at ${odd.url}/busy: the query failed (unavailable): too many queries`]);
      const slow = await start({ prometheus: { url: `${odd.url}/slow`, timeoutMs: 300 } });
      expect(metricsBlind(slow)).toEqual([`Prometheus at ${odd.url}/slow: no complete answer within 300 ms`]);
    } finally {
      await odd.close();
    }
  });

  it('a node Prometheus cannot scrape any more (up == 0) is down, and the console is not blind', async () => {
    const c = await start({ prometheus: { url: prom.url, job: 'gw' } });
    const gone = `127.0.0.1:${nodes[1].port}`;
    await waitFor(() => frame(c).nodes.filter((n) => n.health === 'up').length === 2, 8000, 'both nodes up');
    await nodes[1].close();
    const down = await waitFor(() => frame(c).nodes.find((n) => n.id === gone && n.health === 'down'), 8000, `${gone} down`);
    expect(down.reason).toBe('not reachable: its scrapes fail (nothing answers on its metrics port)');
    expect(down.scrape.lastError).toMatch(/^Prometheus cannot scrape it \(up == 0 at /);
    expect(frame(c).nodes.find((n) => n.id !== gone)?.health).toBe('up');
    expect(frame(c).fleet.blind).toEqual([]);
    expect(c.core.timeline.query({ limit: 50 }).some((e) => e.kind === 'node_down' && e.node === gone)).toBe(true);
  });

  it('refuses a URL that cannot work, before asking anything', async () => {
    await expect(startPrometheusConsole({ prometheus: { url: 'http://u:p@127.0.0.1:9090' }, profile: 'contract' })).rejects.toThrow('Prometheus URL http://u:p@127.0.0.1:9090 must not contain credentials; use a token or password file');
  });
});
