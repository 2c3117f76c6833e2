import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOpenMetrics } from '../../../../src/main/core/recording';
import { readRange } from '../../../../src/main/core/store';
import { T0, synthRun } from './synthRecording';
import type { SynthRun } from './synthRecording';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'sb-export-'));
const file = path.join(dir, 'rec.mcap');
let run: SynthRun;

beforeAll(async () => {
  run = await synthRun({ nodes: 3 });
  run.recorder.startRecording(file);
  await run.run(30);
  run.recorder.stopRecording();
  run.recorder.detach();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/switchboard.cjs', ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('export to OpenMetrics', () => {
  it('writes the window, every series sorted per series with timestamps in seconds, ending in # EOF, with the recorded values', async () => {
    const out = path.join(dir, 'window.om');
    const from = T0 + 10_000;
    const to = T0 + 20_000;
    const r = await exportOpenMetrics(file, { fromMs: from, toMs: to, out });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.series).toBe(3 * 91);
    expect(r.value.samples).toBe(3 * 91 * 10);
    const text = readFileSync(out, 'utf8');
    expect(text.endsWith('\n# EOF\n')).toBe(true);
    const lines = text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines.length).toBe(r.value.samples);
    // The values the live console stored for one series, sample for sample.
    const want = readRange(run.core.store.get('gw-1', 'realtime_connections{transport="ws"}')!, from, to);
    const got = lines.filter((l) => l.startsWith('realtime_connections{instance="gw-1",transport="ws"} '));
    expect(got.map((l) => l.split(' ').slice(1).map(Number))).toEqual(Array.from(want.t, (t, i) => [want.v[i], t / 1000]));
    // Per series, time only goes forward.
    const last = new Map<string, number>();
    for (const l of lines) {
      const [series, , ts] = l.split(' ');
      expect(Number(ts)).toBeGreaterThan(last.get(series) ?? 0);
      last.set(series, Number(ts));
    }
  });

  it('is accepted by promtool tsdb create-blocks-from openmetrics (exit 0, a block with every sample)', async () => {
    const out = path.join(dir, 'all.om');
    const r = await exportOpenMetrics(file, { out });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const tsdb = path.join(dir, 'tsdb');
    const p = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', out, tsdb], { encoding: 'utf8' });
    expect(p.status, p.stderr).toBe(0);
    const blocks = readdirSync(tsdb).filter((d) => existsSync(path.join(tsdb, d, 'meta.json')));
    expect(blocks.length).toBeGreaterThanOrEqual(1);
    let samples = 0;
    for (const b of blocks) samples += (JSON.parse(readFileSync(path.join(tsdb, b, 'meta.json'), 'utf8')) as { stats: { numSamples: number } }).stats.numSamples;
    expect(samples).toBe(r.value.samples);
  });

  it('switchboard export: the window from an ISO time to ms; bad input is one line and exit 2', async () => {
    const out = path.join(dir, 'cli.om');
    const ok = await cli('export', file, '--from', new Date(T0 + 5000).toISOString(), '--to', String(T0 + 6000), '--openmetrics', out);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe(`wrote ${3 * 91} samples of ${3 * 91} series (29 metrics) from 2024-05-01T10:00:05.000Z to 2024-05-01T10:00:06.000Z to ${out}\n`);
    const notMcap = path.join(dir, 'notes.txt');
    writeFileSync(notMcap, 'hello');
    const cases: [string[], RegExp][] = [
      [['export', file, '--from', 'yesterday', '--openmetrics', out], /^switchboard export: --from: expected an ISO time or ms since the epoch, got "yesterday"\n$/],
      [['export', file], /^switchboard export: --openmetrics <out> is required/],
      [['export', notMcap, '--openmetrics', out], /^switchboard export: notes\.txt is not an MCAP recording: it starts with "hello" instead of the MCAP magic\n$/],
      [['export', file, '--from', String(T0 + 9000), '--to', String(T0 + 1000), '--openmetrics', out], /^switchboard export: the window ends \(.+\) before it starts \(.+\)\n$/],
    ];
    for (const [args, message] of cases) {
      const bad = await cli(...args);
      expect(bad.code).toBe(2);
      expect(bad.stdout).toBe('');
      expect(bad.stderr).toMatch(message);
    }
  }, 60_000);
});
