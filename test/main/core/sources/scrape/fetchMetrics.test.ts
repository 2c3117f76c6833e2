import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayNode } from '../../../../../src/fleet/gateway';
import { ExpositionCache } from '../../../../../src/main/core/sources/metrics/skeleton';
import { MetricsEndpoint, SCRAPE_ACCEPT, fetchMetrics } from '../../../../../src/main/core/sources/scrape/fetchMetrics';
import { READ, opsUrl, publish, startNodes, stopNodes } from '../../../../helpers/gatewayFixture';
import { freePort } from '../../../../helpers/ports';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let server: Server;
let handler: Handler = (_q, r) => r.end();
let base = '';
const opts = { token: null, timeoutMs: 1000, maxBodyBytes: 64 * 1024 };

beforeAll(async () => {
  server = createServer((q, r) => handler(q, r));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const text004 = { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' };

describe('fetchMetrics against a real gateway node', () => {
  let nodes: GatewayNode[] = [];
  afterEach(async () => {
    await stopNodes(nodes);
    nodes = [];
  });

  it('negotiates OpenMetrics, sends the token, and parses every contract family with labels, sums and counts', async () => {
    nodes = await startNodes(1);
    await publish(nodes[0], 'c', 1);
    const o = await fetchMetrics(`${opsUrl(nodes[0])}/metrics`, { ...opts, token: READ, maxBodyBytes: 4 << 20 });
    if (!o.ok) throw new Error(o.error);
    expect(o.exposition.format).toBe('openmetrics-1.0');
    const byName = new Map(o.exposition.families.map((f) => [f.name, f]));
    expect(byName.get('realtime_messages_published')?.type).toBe('counter');
    expect(byName.get('realtime_messages_published')?.samples[0]).toMatchObject({ name: 'realtime_messages_published_total', value: 1 });
    const lag = byName.get('realtime_delivery_latency_seconds')!;
    expect(lag.type).toBe('histogram');
    expect(lag.samples.some((s) => s.name.endsWith('_sum'))).toBe(true);
    expect(lag.samples.find((s) => s.name.endsWith('_count'))?.value).toBeGreaterThanOrEqual(0);
    expect(byName.get('realtime_node_info')?.samples[0].labels).toMatchObject({ node_id: 'gw-1', boot_id: nodes[0].bootId });
    expect(o.samples).toBeGreaterThan(50);
  });

  it('reports a wrong token as HTTP 401 with the node\'s message', async () => {
    nodes = await startNodes(1);
    const o = await fetchMetrics(`${opsUrl(nodes[0])}/metrics`, { ...opts, token: 'wrong' });
    expect(o).toMatchObject({ ok: false, error: 'HTTP 401 Unauthorized: {"error":"missing or wrong read token"}' });
  });
});

describe('fetchMetrics against hostile servers', () => {
  it('asks for OpenMetrics then text 0.0.4, and takes gzip', async () => {
    let accept = '';
    handler = (q, r) => {
      accept = String(q.headers.accept);
      r.writeHead(200, { ...text004, 'content-encoding': 'gzip' });
      r.end(gzipSync('# TYPE up gauge\nup{job="x"} 1\n'));
    };
    const o = await fetchMetrics(`${base}/metrics`, opts);
    expect(accept).toBe(SCRAPE_ACCEPT);
    expect(o.ok && o.exposition.families[0].samples[0]).toMatchObject({ name: 'up', labels: { job: 'x' }, value: 1 });
  });

  it('gives up on a slow-loris body at the timeout', async () => {
    handler = (_q, r) => {
      r.writeHead(200, text004);
      const t = setInterval(() => r.write('u'), 50);
      r.on('close', () => clearInterval(t));
    };
    const t0 = Date.now();
    const o = await fetchMetrics(`${base}/metrics`, { ...opts, timeoutMs: 400 });
    expect(o).toMatchObject({ ok: false, error: 'no complete answer within 400 ms' });
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it('cuts an endless body at the cap', async () => {
    handler = (_q, r) => {
      r.writeHead(200, text004);
      const chunk = `${'# filler '.repeat(100)}\n`;
      const pump = () => {
        while (r.write(chunk)) { /* until the socket pushes back */ }
      };
      r.on('drain', pump);
      pump();
    };
    const o = await fetchMetrics(`${base}/metrics`, opts);
    expect(o).toMatchObject({ ok: false, error: 'response body exceeds the 65536 bytes cap' });
  });

  it('names the line and column of malformed input', async () => {
    handler = (_q, r) => {
      r.writeHead(200, text004);
      r.end('# TYPE a gauge\na 1\na{x="y"} notanumber\n');
    };
    const o = await fetchMetrics(`${base}/metrics`, opts);
    expect(o.ok).toBe(false);
    expect(!o.ok && o.error).toMatch(/^prometheus-0\.0\.4 parse error at line 3, column \d+: /);
  });

  it('refuses huge label values', async () => {
    handler = (_q, r) => {
      r.writeHead(200, text004);
      r.end(`a{x="${'v'.repeat(20_000)}"} 1\n`);
    };
    const o = await fetchMetrics(`${base}/metrics`, opts);
    expect(!o.ok && o.error).toMatch(/label/);
  });

  it('refuses a wrong content type, naming it', async () => {
    handler = (_q, r) => {
      r.writeHead(200, { 'content-type': 'text/html' });
      r.end('<html></html>');
    };
    const o = await fetchMetrics(`${base}/metrics`, opts);
    expect(!o.ok && o.error).toMatch(/text\/html/);
  });

  it('does not follow redirects (the token would go elsewhere)', async () => {
    let hits = 0;
    handler = (q, r) => {
      hits++;
      r.writeHead(302, { location: 'http://evil.example/steal' });
      r.end();
    };
    const o = await fetchMetrics(`${base}/metrics`, { ...opts, token: 'secret' });
    expect(o).toMatchObject({ ok: false, error: 'redirected (302) to http://evil.example/steal; not followed' });
    expect(hits).toBe(1);
  });

  it('names a refused connection as such', async () => {
    const o = await fetchMetrics(`http://127.0.0.1:${await freePort()}/metrics`, opts);
    expect(!o.ok && o.error).toMatch(/^cannot fetch: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
  });

  it('scrapes one endpoint again and again: token sent each time, the scrape cache answers repeats, abort ends one in flight', async () => {
    const auth: string[] = [];
    let n = 0;
    let hang = false;
    handler = (q, r) => {
      auth.push(String(q.headers.authorization));
      if (hang) return;
      r.writeHead(200, text004);
      r.end(`# TYPE up gauge\nup{job="x"} ${++n}\n`);
    };
    const endpoint = new MetricsEndpoint(`${base}/metrics`);
    const cache = new ExpositionCache();
    for (let i = 1; i <= 3; i++) {
      const o = await endpoint.fetch({ ...opts, token: 'secret', cache });
      expect(o.ok && o.exposition.families[0].samples[0]).toMatchObject({ name: 'up', labels: { job: 'x' }, value: i });
    }
    expect(auth).toEqual(['Bearer secret', 'Bearer secret', 'Bearer secret']);
    expect(cache.hits).toBe(2);
    hang = true;
    const pending = endpoint.fetch({ ...opts, timeoutMs: 5000, token: null });
    await new Promise((r) => setTimeout(r, 100));
    endpoint.abort();
    expect(await pending).toMatchObject({ ok: false, error: 'aborted' });
    expect(auth.at(-1)).toBe('undefined');
  });

  it('answers a bad URL with an outcome, on every try', async () => {
    const endpoint = new MetricsEndpoint('ftp://example/metrics');
    expect(await endpoint.fetch(opts)).toMatchObject({ ok: false, error: 'unsupported URL scheme "ftp:"' });
    expect(await fetchMetrics('not a url', opts)).toMatchObject({ ok: false, error: 'invalid URL "not a url"' });
  });
});
