import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInventory, loadPrometheusTargets, targetsApiUrl } from '../../../../src/main/core/inventory';
import type { InventorySource } from '../../../../src/main/core/inventory';
import { waitFor } from '../../../helpers/ports';
import { nextChange, startHttp, startMetricsNode, startPrometheus, tempDir } from './inventoryFixture';
import type { PrometheusHandle } from './inventoryFixture';

type Http = Awaited<ReturnType<typeof startHttp>>;

const dir = tempDir('sb-prom-');
let prom: PrometheusHandle;
let nodes: Http[] = [];
let api: string;

beforeAll(async () => {
  nodes = [await startMetricsNode('gw-1'), await startMetricsNode('gw-2'), await startMetricsNode('exp-1')];
  const sdFile = join(dir, 'targets.json');
  writeFileSync(
    sdFile,
    JSON.stringify([
      { targets: [`127.0.0.1:${nodes[0].port}`], labels: { node_id: 'gw-1', region: 'eu', auth_token: 'LEAKED' } },
      { targets: [`127.0.0.1:${nodes[1].port}`], labels: { node_id: 'gw-2', region: 'us' } },
    ]),
  );
  prom = await startPrometheus(
    dir,
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      'scrape_configs:',
      '  - job_name: realtime-gateway',
      '    file_sd_configs:',
      `      - files: [${JSON.stringify(sdFile)}]`,
      '        refresh_interval: 1s',
      '  - job_name: exporter',
      '    static_configs:',
      `      - targets: ["127.0.0.1:${nodes[2].port}"]`,
      '',
    ].join('\n'),
  );
  api = `${prom.url}/api/v1/targets?state=active`;
  // Discovery takes a few seconds after /-/ready.
  await waitFor(
    async () => {
      const body = (await (await fetch(api)).json()) as { data: { activeTargets: unknown[] } };
      return body.data.activeTargets.length === 3;
    },
    25_000,
    'Prometheus to list 3 active targets',
  );
}, 40_000);

afterAll(async () => {
  await prom?.stop();
  await Promise.all(nodes.map((n) => n.close()));
});

describe('loadPrometheusTargets against a real Prometheus', () => {
  it('lists the active targets of a job with node_id ids and scheme://host:port ops URLs', async () => {
    const tokenFile = join(dir, 'read.token');
    writeFileSync(tokenFile, 'node-read\n');
    const r = await loadPrometheusTargets({ url: prom.url, job: 'realtime-gateway', readTokenFile: tokenFile });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.targets).toEqual([
      {
        id: 'gw-1',
        opsUrl: `http://127.0.0.1:${nodes[0].port}`,
        labels: { instance: `127.0.0.1:${nodes[0].port}`, job: 'realtime-gateway', node_id: 'gw-1', region: 'eu' },
        readToken: 'node-read',
        adminToken: null,
        source: `${prom.url} job realtime-gateway instance 127.0.0.1:${nodes[0].port}`,
      },
      {
        id: 'gw-2',
        opsUrl: `http://127.0.0.1:${nodes[1].port}`,
        labels: { instance: `127.0.0.1:${nodes[1].port}`, job: 'realtime-gateway', node_id: 'gw-2', region: 'us' },
        readToken: 'node-read',
        adminToken: null,
        source: `${prom.url} job realtime-gateway instance 127.0.0.1:${nodes[1].port}`,
      },
    ]);
    expect(r.warnings).toEqual([`${api}: label auth_token looks like a credential and was dropped; node tokens come only from token files`]);
    expect(JSON.stringify(r)).not.toContain('LEAKED');
  });

  it('takes every job by default; a target without node_id is known by its instance', async () => {
    const r = await loadPrometheusTargets({ url: `${prom.url}/` });
    expect(r.ok && r.targets.map((t) => [t.id, t.opsUrl, t.labels.job])).toEqual([
      [`127.0.0.1:${nodes[2].port}`, `http://127.0.0.1:${nodes[2].port}`, 'exporter'],
      ['gw-1', `http://127.0.0.1:${nodes[0].port}`, 'realtime-gateway'],
      ['gw-2', `http://127.0.0.1:${nodes[1].port}`, 'realtime-gateway'],
    ]);
  });

  it('sends bearer or basic auth (here to an authenticating proxy in front of Prometheus)', async () => {
    const bearer = join(dir, 'prom.token');
    const password = join(dir, 'prom.password');
    writeFileSync(bearer, 'prom-bearer\n');
    writeFileSync(password, 'pa55\n');
    const allowed = new Set(['Bearer prom-bearer', `Basic ${Buffer.from('ops:pa55').toString('base64')}`]);
    const proxy = await startHttp((req, res) => {
      if (!allowed.has(req.headers.authorization ?? '')) {
        res.writeHead(401, { 'content-type': 'text/plain' }).end('unauthorized');
        return;
      }
      const up = request(`${prom.url}${req.url ?? '/'}`, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      });
      up.end();
    });
    try {
      const withBearer = await loadPrometheusTargets({ url: proxy.url, job: 'realtime-gateway', bearerTokenFile: bearer });
      expect(withBearer.ok && withBearer.targets.map((t) => t.id)).toEqual(['gw-1', 'gw-2']);
      const withBasic = await loadPrometheusTargets({ url: proxy.url, job: 'exporter', basicAuth: { user: 'ops', passwordFile: password } });
      expect(withBasic.ok && withBasic.targets.map((t) => t.labels.job)).toEqual(['exporter']);
      const without = await loadPrometheusTargets({ url: proxy.url });
      expect(without.ok ? null : without.error.message).toBe(`${proxy.url}/api/v1/targets?state=active: answered HTTP 401 (not a Prometheus API answer)`);
    } finally {
      await proxy.close();
    }
  });

  it('rejects bad options before asking', async () => {
    expect(targetsApiUrl('http://p:9090/prom/?')).toEqual({ ok: true, url: 'http://p:9090/prom/api/v1/targets?state=active' });
    const both = await loadPrometheusTargets({ url: prom.url, bearerTokenFile: 'x', basicAuth: { user: 'u', passwordFile: 'y' } });
    expect(both.ok ? null : both.error).toEqual({ source: api, entry: null, field: 'basicAuth', message: `${api}, field basicAuth: give bearerTokenFile or basicAuth, not both` });
    const creds = await loadPrometheusTargets({ url: 'http://u:p@127.0.0.1:9090' });
    expect(creds.ok ? null : creds.error.message).toBe('http://u:p@127.0.0.1:9090, field url: must not contain credentials; use bearerTokenFile or basicAuth');
    const missing = await loadPrometheusTargets({ url: prom.url, readTokenFile: join(dir, 'nope') });
    expect(missing.ok ? null : missing.error.message).toBe(`${api}, field readTokenFile: token file ${join(dir, 'nope')} does not exist`);
  });
});

describe('answers that are not a good targets list', () => {
  let odd: Http;
  beforeAll(async () => {
    odd = await startHttp((req, res) => {
      const path = (req.url ?? '').split('/api/')[0];
      if (path === '/html') res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
      else if (path === '/error') res.writeHead(422, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'error', errorType: 'execution', error: 'too many targets' }));
      else if (path === '/slow') setTimeout(() => res.writeHead(200).end('{}'), 2000);
      else if (path === '/big') res.writeHead(200, { 'content-length': 5080 }).end(`{"status":"success","data":{"activeTargets":[]},"pad":"${'x'.repeat(5000)}"}`);
      else if (path === '/stream') {
        res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length announced
        res.write(`{"status":"success","data":{"activeTargets":[]},"pad":"${'x'.repeat(3000)}`);
        setTimeout(() => res.end(`${'x'.repeat(3000)}"}`), 50);
      }
      else if (path === '/moved') res.writeHead(302, { location: 'https://elsewhere.example/' }).end();
      else res.writeHead(404).end('404 page not found');
    });
  });
  afterAll(() => odd.close());

  const cases: Array<[string, string, string]> = [
    ['HTML instead of JSON', '/html', 'answer is not valid JSON at line 1 column 1 (expected a value)'],
    ['status "error" with Prometheus\' message', '/error', 'answered HTTP 422, status "error" (execution): too many targets'],
    ['a timeout', '/slow', 'no complete answer within 300 ms'],
    ['a body over the cap (announced)', '/big', 'answer is larger than 4 KiB (5080 bytes)'],
    ['a body over the cap (streamed)', '/stream', 'answer is larger than 4 KiB'],
    ['a redirect', '/moved', 'answered HTTP 302 (redirect to https://elsewhere.example/); give the final URL'],
    ['a 404', '/nothing', 'answered HTTP 404 (not a Prometheus API answer)'],
  ];
  it.each(cases)('reports %s naming the URL', async (_name, path, problem) => {
    const url = `${odd.url}${path}`;
    const r = await loadPrometheusTargets({ url, timeoutMs: 300, maxBodyBytes: 4096 });
    const source = `${url}/api/v1/targets?state=active`;
    expect(r).toEqual({ ok: false, error: { source, entry: null, field: null, message: `${source}: ${problem}` }, watch: [] });
  });
});

describe('prometheus inventory source', () => {
  let src: InventorySource;
  afterAll(() => src?.stop());

  it('polls, and keeps the last good targets with an error naming the URL when Prometheus stops', async () => {
    src = loadInventory({ kind: 'prometheus', url: prom.url, job: 'realtime-gateway', intervalMs: 200 });
    await src.start();
    expect(src.status).toMatchObject({ source: api, lastError: null });
    expect(src.status.targets.map((t) => t.id)).toEqual(['gw-1', 'gw-2']);

    const change = nextChange(src, (s) => s.lastError !== null, 3000);
    await prom.stop();
    const down = await change;
    expect(down.lastError).toEqual({ source: api, entry: null, field: null, message: `${api}: request failed (ECONNREFUSED)` });
    expect(down.targets.map((t) => [t.id, t.opsUrl])).toEqual([
      ['gw-1', `http://127.0.0.1:${nodes[0].port}`],
      ['gw-2', `http://127.0.0.1:${nodes[1].port}`],
    ]);
  });
});
