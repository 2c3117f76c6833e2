import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/ports';
import { startPrometheusServer } from '../../helpers/prometheusServer';
import type { PrometheusServer } from '../../helpers/prometheusServer';
import { BridgeClient, fakeRenderer } from '../serve/serveFixture';
import { startContractNode } from './contractExporter';
import type { TestHttp } from './contractExporter';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const site = fakeRenderer();
const dir = mkdtempSync(join(tmpdir(), 'sb-prom-cli-'));
const children: ChildProcess[] = [];
let prom: PrometheusServer;
let node: TestHttp;

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function serve(...args: string[]): Run {
  const child = spawn(process.execPath, ['bin/switchboard.cjs', 'serve', '--port', '0', '--renderer-dir', site.rendererDir, '--data-dir', join(dir, 'data'), ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn' } });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

beforeAll(async () => {
  node = await startContractNode('gw-x', 9);
  prom = await startPrometheusServer([{ name: 'gw', targets: [`127.0.0.1:${node.port}`] }]);
  await waitFor(async () => (await prom.upTargets()) === 1, 20_000, 'Prometheus to scrape the node');
}, 30_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await prom?.stop();
  await node?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(site.root, { recursive: true, force: true });
});

describe('switchboard serve --prometheus', () => {
  it('serves the console on Prometheus: frames name it and carry its nodes and PromQL', async () => {
    const run = serve('--prometheus', prom.url, '--prometheus-job', 'gw', '--prometheus-interval', '1', '--profile', 'contract');
    const line = await waitFor(() => (run.stdout().includes('\n') ? run.stdout() : null), 20_000, 'the console line');
    const [, port, token] = /:(\d+)\/#token=(\S+)\n$/.exec(line)!;
    const c = await BridgeClient.connect(Number(port), { protocols: [`switchboard.${token}`] });
    const f = await c.waitFrame((x) => x.nodes.some((n) => n.health === 'up'), 10_000, 'the node up');
    expect(f.source.name).toBe(`Prometheus at ${prom.url} (profile contract)`);
    expect(f.nodes.map((n) => [n.id, n.connections.total])).toEqual([[`127.0.0.1:${node.port}`, 12]]);
    expect(f.panels.find((p) => p.panel === 'connections')?.queries[0]).toContain('realtime_connections{transport="ws"}');
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  }, 40_000);

  it('a profile with a mistake: exit 2, one line naming the concept and the query', async () => {
    const file = join(dir, 'typo.json');
    writeFileSync(file, JSON.stringify({ name: 'typo', extends: 'contract', concepts: { presenceOnline: { query: 'sum by (instance) (realtime_presence_users{state="online"}' } } }));
    const run = serve('--prometheus', prom.url, '--profile', file);
    expect(await run.exit).toBe(2);
    expect(run.stdout()).toBe('');
    expect(run.stderr()).toBe('switchboard: profile "typo", concept presenceOnline (query: sum by (instance) (realtime_presence_users{state="online"}): has 1 unclosed bracket ("(")\n');
  }, 30_000);

  it('Prometheus options without --prometheus are refused', async () => {
    const run = serve('--profile', 'centrifugo', '--prometheus-token-file', 'x');
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toBe('switchboard: --prometheus-token-file, --profile go with --prometheus\n');
  }, 30_000);
});
