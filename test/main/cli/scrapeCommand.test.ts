import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Counter, Gauge, Histogram, Registry, type RegistryContentType, Summary } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition } from '../../../src/main/core/sources/metrics/parseExposition';
import type { ExpositionFormat } from '../../../src/main/core/sources/metrics/types';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const ACCEPT = 'application/openmetrics-text;version=1.0.0;q=0.9,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `node bin/switchboard.cjs scrape ...args` as an operator would. */
function scrape(...args: string[]): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/switchboard.cjs', 'scrape', ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

/** Exit code 2, nothing on stdout, one line on stderr with the prefix and no stack frames. */
function expectOneLineError(run: Run): string {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.endsWith('\n')).toBe(true);
  const line = run.stderr.slice(0, -1);
  expect(line).not.toContain('\n');
  expect(line.startsWith('switchboard scrape: ')).toBe(true);
  expect(line).not.toMatch(/\bat .*\(|\bat [\w./]+:\d+/);
  return line.slice('switchboard scrape: '.length);
}

interface Server {
  url: string;
  requests: http.IncomingHttpHeaders[];
  close(): Promise<void>;
}

async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>): Promise<Server> {
  const requests: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.headers);
    void handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A registry like a gateway node's: labels with escapes, a histogram with labels, a summary, NaN and ±Inf. */
function nodeRegistry(openMetrics: boolean): Registry<RegistryContentType> {
  const registry = new Registry<RegistryContentType>();
  if (openMetrics) registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  // Counter<string>: prom-client's typings only allow exemplar labels among the counter's own label names.
  const opened = new Counter<string>({ name: 'realtime_connections_opened_total', help: 'Connections opened.', labelNames: ['transport'], registers: [registry], enableExemplars: openMetrics });
  if (openMetrics) opened.inc({ labels: { transport: 'ws' }, value: 7, exemplarLabels: { trace_id: 'abc123' } });
  else opened.inc({ transport: 'ws' }, 7);
  const gauge = new Gauge({ name: 'room_temperature', help: 'Temperature, "quoted"\nand two lines.', labelNames: ['room'], registers: [registry] });
  gauge.set({ room: 'lab "A"\nnorth\\wing' }, 21.5);
  gauge.set({ room: 'void' }, NaN);
  gauge.set({ room: 'sun' }, Infinity);
  gauge.set({ room: 'space' }, -Infinity);
  const hist = new Histogram({ name: 'realtime_delivery_latency_seconds', help: 'Latency.', labelNames: ['transport'], buckets: [0.01, 0.1, 1], registers: [registry] });
  for (const v of [0.005, 0.05, 2]) hist.observe({ transport: 'sse' }, v);
  const summary = new Summary({ name: 'payload_bytes', help: 'Payloads.', percentiles: [0.5], registers: [registry] });
  summary.observe(10);
  return registry;
}

/** What `--json` must print for `text`: the parse, with NaN and ±Inf as strings. */
function expectedJson(text: string, format: ExpositionFormat): unknown {
  const r = parseExposition(text, { format });
  if (!r.ok) throw new Error(r.error.message);
  const render = (_k: string, v: unknown): unknown =>
    typeof v === 'number' && !Number.isFinite(v) ? (Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf') : v;
  return JSON.parse(JSON.stringify(r.value, render));
}

describe('switchboard scrape', () => {
  let dir: string;
  let tokenFile: string;
  const servers: Server[] = [];
  const start = async (handler: Parameters<typeof serve>[0]): Promise<Server> => {
    const s = await serve(handler);
    servers.push(s);
    return s;
  };

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'scrape-test-'));
    tokenFile = path.join(dir, 'token');
    writeFileSync(tokenFile, '  s3cret-token\n');
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([false, true])('prints prom-client output as JSON, sending Accept, Accept-Encoding and the file token (OpenMetrics: %s)', async (om) => {
    const registry = nodeRegistry(om);
    const text = await registry.metrics();
    const server = await start((_req, res) => {
      res.writeHead(200, { 'Content-Type': registry.contentType });
      res.end(text);
    });
    const run = await scrape(server.url, '--json', '--token-file', tokenFile);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const format: ExpositionFormat = om ? 'openmetrics-1.0' : 'prometheus-0.0.4';
    const printed = JSON.parse(run.stdout) as { format: string; families: { name: string; samples: { labels: Record<string, string>; value: unknown; exemplar?: unknown }[] }[] };
    expect(printed).toEqual(expectedJson(text, format));
    expect(printed.format).toBe(format);
    const rooms = printed.families.find((f) => f.name === 'room_temperature')?.samples.map((s) => [s.labels.room, s.value]);
    expect(rooms).toEqual([['lab "A"\nnorth\\wing', 21.5], ['void', 'NaN'], ['sun', '+Inf'], ['space', '-Inf']]);
    const hist = printed.families.find((f) => f.name === 'realtime_delivery_latency_seconds');
    expect(hist?.samples.map((s) => [s.labels.le, s.value])).toEqual([['0.01', 1], ['0.1', 2], ['1', 2], ['+Inf', 3], [undefined, 2.055], [undefined, 3]]);
    const counter = printed.families.find((f) => f.name === (om ? 'realtime_connections_opened' : 'realtime_connections_opened_total'));
    expect(counter?.samples[0].value).toBe(7);
    if (om) expect(counter?.samples[0].exemplar).toMatchObject({ labels: { trace_id: 'abc123' }, value: 7 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ accept: ACCEPT, 'accept-encoding': 'gzip', authorization: 'Bearer s3cret-token' });
  });

  it('prints a human-readable listing by default, and decodes a gzip body', async () => {
    const registry = nodeRegistry(false);
    const body = gzipSync(await registry.metrics());
    const server = await start((_req, res) => {
      res.writeHead(200, { 'Content-Type': registry.contentType, 'Content-Encoding': 'gzip' });
      res.end(body);
    });
    const run = await scrape(server.url);
    expect(run.code).toBe(0);
    expect(server.requests[0].authorization).toBeUndefined();
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toContain('# room_temperature (gauge) Temperature, "quoted"\\nand two lines.');
    expect(lines).toContain('room_temperature{room="lab \\"A\\"\\nnorth\\\\wing"} 21.5');
    expect(lines).toContain('room_temperature{room="void"} NaN');
    expect(lines).toContain('realtime_delivery_latency_seconds_bucket{le="+Inf",transport="sse"} 3');
    expect(lines.at(-1)).toBe('4 families, 14 samples, prometheus-0.0.4');
  });

  it('reports a parse error with its line and column', async () => {
    const server = await start((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end('ok_metric 1\nbad_metric{a="1"} abc\n');
    });
    expect(expectOneLineError(await scrape(server.url))).toBe(
      `${server.url}: prometheus-0.0.4 parse error at line 2, column 19: invalid value "abc" for sample bad_metric`,
    );
  });

  it('refuses a wrong content type, naming it', async () => {
    const server = await start((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<html>login</html>');
    });
    expect(expectOneLineError(await scrape(server.url))).toContain('unsupported content type "text/html; charset=utf-8"');
  });

  it('does not follow a redirect, naming the Location', async () => {
    const server = await start((_req, res) => {
      res.writeHead(302, { Location: 'http://127.0.0.1:9/elsewhere' });
      res.end();
    });
    expect(expectOneLineError(await scrape(server.url))).toBe(
      `${server.url}: redirected (302) to http://127.0.0.1:9/elsewhere; not followed`,
    );
  });

  it('reports an HTTP error with its status and the first 200 characters of the body', async () => {
    const body = `{"error":"unauthorized",\n"detail":"${'x'.repeat(300)}"}`;
    const server = await start((_req, res) => {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    const message = expectOneLineError(await scrape(server.url, '--token-file', tokenFile));
    expect(message).toBe(`${server.url}: HTTP 401 Unauthorized: ${body.replace('\n', ' ').slice(0, 200)}`);
  });

  it('stops reading an endless body at the 16 MiB cap', async () => {
    let closed = false;
    const server = await start((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      const chunk = Buffer.from('filler_metric 1\n'.repeat(4096));
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => (closed = true));
      pump();
    });
    expect(expectOneLineError(await scrape(server.url))).toBe(`${server.url}: response body exceeds the 16 MiB cap`);
    await expect.poll(() => closed).toBe(true);
  });

  it('gives up on a stalled body after --timeout', async () => {
    const server = await start((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.write('partial_metric 1\n');
    });
    const run = await scrape(server.url, '--timeout', '500');
    expect(expectOneLineError(run)).toBe(`${server.url}: no complete answer within 500 ms`);
    expect(run.ms).toBeLessThan(8000);
  });

  it('reports an unreadable token file without fetching anything', async () => {
    const server = await start((_req, res) => {
      res.end();
    });
    const missing = path.join(dir, 'no-such-token');
    const message = expectOneLineError(await scrape(server.url, '--token-file', missing));
    expect(message).toMatch(new RegExp(`^cannot read token file ${missing}: ENOENT`));
    expect(server.requests).toHaveLength(0);
  });

  it('reports a refused connection and a bad --timeout', async () => {
    const server = await start((_req, res) => {
      res.end();
    });
    await server.close();
    const port = new URL(server.url).port;
    expect(expectOneLineError(await scrape(server.url))).toBe(`${server.url}: cannot fetch: connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(expectOneLineError(await scrape(server.url, '--timeout', 'soon'))).toBe(
      '--timeout must be a whole number of milliseconds above 0, got "soon"',
    );
  });
});
