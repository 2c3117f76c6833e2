import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoFleet } from '../../../../../src/fleet/demo/demoFleet';
import type { DemoFleet } from '../../../../../src/fleet/demo/demoFleet';
import { RecordingFile } from '../../../../../src/main/core/recording';
import { silent } from '../../../../helpers/gatewayFixture';
import { waitFor } from '../../../../helpers/ports';
import { BridgeClient, fakeRenderer } from '../../../serve/serveFixture';

const ROOT = fileURLToPath(new URL('../../../../..', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'sb-replay-cli-'));
const fleetFile = path.join(dir, 'fleet.json');
const site = fakeRenderer();
const children: ChildProcess[] = [];
let fleet: DemoFleet;

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function cli(...args: string[]): Run {
  const child = spawn(process.execPath, ['bin/switchboard.cjs', ...args], { cwd: ROOT });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

async function oneLineError(run: Run, prefix: string): Promise<string> {
  expect(await run.exit).toBe(2);
  expect(run.stdout()).toBe('');
  const err = run.stderr();
  expect(err.endsWith('\n')).toBe(true);
  expect(err.slice(0, -1)).not.toContain('\n');
  expect(err.startsWith(`switchboard ${prefix}: `)).toBe(true);
  return err.slice(`switchboard ${prefix}: `.length, -1);
}

beforeAll(async () => {
  fleet = await startDemoFleet({ nodes: 3, clients: 30, fleetFile, logger: silent, incidentEveryMs: 0 });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await fleet?.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(site.root, { recursive: true, force: true });
});

describe('switchboard record / replay', () => {
  const rec = path.join(dir, 'cli.mcap');

  it('record --fleet F --out FILE --duration S records a headless live console, then replay serves it like serve mode', async () => {
    const r = cli('record', '--fleet', fleetFile, '--out', rec, '--duration', '4', '--scrape-interval', '1000');
    expect(await r.exit, r.stderr()).toBe(0);
    expect(r.stderr()).toMatch(/^switchboard record: recording 3 nodes of .*fleet\.json to .*cli\.mcap for 4 s; Ctrl-C to stop\n$/);
    expect(r.stdout()).toMatch(/^recorded \d+\.\d s \(\d+ chunks, \d+ bytes\) to .*cli\.mcap\n$/);
    const f = await RecordingFile.open(rec);
    expect(f.ok).toBe(true);
    if (!f.ok) return;
    expect(f.value.indexed).toBe(true);
    expect(f.value.endMs - f.value.startMs).toBeGreaterThan(3000);
    expect([...f.value.channels.values()].filter((c) => c.kind === 'scrape').map((c) => c.node).sort()).toEqual(['gw-1', 'gw-2', 'gw-3']);
    f.value.close();

    const s = cli('replay', rec, '--port', '0', '--renderer-dir', site.rendererDir, '--speed', '4');
    const line = await waitFor(() => (s.stdout().includes('\n') ? s.stdout() : null), 20_000, 'the console line');
    const m = /^Switchboard console: http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]{43})\n$/.exec(line);
    expect(m, line).not.toBeNull();
    const c = await BridgeClient.connect(Number(m![1]), { protocols: [`switchboard.${m![2]}`] });
    const frame = await c.waitFrame((x) => x.nodes.length === 3 && x.nodes.every((n) => n.health === 'up'), 15_000, 'a replayed frame with three nodes up');
    expect(frame.source).toEqual({ kind: 'replay', name: 'recording cli.mcap', capabilities: { seek: true, speed: true, actions: false } });
    expect(frame.ts).toBeGreaterThanOrEqual(f.value.startMs);
    expect(frame.ts).toBeLessThanOrEqual(f.value.endMs);
    expect(frame.fleet.connections.total).toBeGreaterThan(0);
    const inv = await c.call('getInventory');
    expect(inv.ok && (inv.value as { targets: { canAdmin: boolean }[] }).targets.map((t) => t.canAdmin)).toEqual([false, false, false]);
    s.child.kill('SIGTERM');
    expect(await s.exit).toBe(0);
  }, 60_000);

  it('record stops cleanly on SIGTERM (an indexed file)', async () => {
    const out = path.join(dir, 'sigterm.mcap');
    const r = cli('record', '--fleet', fleetFile, '--out', out);
    await waitFor(() => r.stderr().includes('Ctrl-C to stop'), 20_000, 'recording to start');
    await new Promise((res) => setTimeout(res, 1500));
    r.child.kill('SIGTERM');
    expect(await r.exit).toBe(0);
    const f = await RecordingFile.open(out);
    expect(f.ok && f.value.indexed && f.value.warnings.length === 0).toBe(true);
    if (f.ok) f.value.close();
  }, 30_000);

  it('bad input to record and replay: one line each, exit 2', async () => {
    const text = path.join(dir, 'notes.mcap');
    writeFileSync(text, 'just some text\n');
    expect(await oneLineError(cli('record', '--out', path.join(dir, 'x.mcap')), 'record')).toBe("--fleet <file> is required (the fleet's file_sd file)");
    expect(await oneLineError(cli('record', '--fleet', path.join(dir, 'nope.json'), '--out', path.join(dir, 'x.mcap')), 'record')).toMatch(/^--fleet .*nope\.json: no such file$/);
    expect(await oneLineError(cli('record', '--fleet', fleetFile, '--out', text), 'record')).toMatch(/the file already exists \(a recording is never overwritten\)$/);
    expect(await oneLineError(cli('replay', text, '--port', '0', '--renderer-dir', site.rendererDir), 'replay')).toBe('notes.mcap is not an MCAP recording: it starts with "just som" instead of the MCAP magic');
    expect(await oneLineError(cli('replay', path.join(dir, 'gone.mcap'), '--port', '0', '--renderer-dir', site.rendererDir), 'replay')).toMatch(/^cannot open .*gone\.mcap: no such file$/);
    expect(await oneLineError(cli('replay', rec, '--port', '0', '--renderer-dir', site.rendererDir, '--speed', '100'), 'replay')).toBe('--speed: speed must be from 0.25 to 64, got 100');
  }, 60_000);
});
