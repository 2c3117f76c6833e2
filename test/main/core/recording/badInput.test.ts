import { copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { McapWriter } from '@mcap/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingFile } from '../../../../src/main/core/recording';
import type { ChunkInfo } from '../../../../src/main/core/recording';
import { ReplayConsole, ReplaySource } from '../../../../src/main/core/sources/replay';
import { T0, synthRun } from './synthRecording';

const dir = mkdtempSync(path.join(tmpdir(), 'sb-badinput-'));
const good = path.join(dir, 'good.mcap');
let chunks: ChunkInfo[] = [];
let size = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  const run = await synthRun({ nodes: 5, keyframeEveryMs: 5_000 });
  run.recorder.startRecording(good);
  await run.run(30);
  run.recorder.stopRecording();
  run.recorder.detach();
  const f = await RecordingFile.open(good);
  if (!f.ok) throw new Error(f.message);
  chunks = f.value.chunks.map((c) => ({ ...c }));
  size = f.value.bytes;
  f.value.close();
});

function variant(name: string, change: (bytes: Buffer) => Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, change(readFileSync(good)));
  return file;
}

/** Opens a replay and checks it plays to its own end: the last frame shows all five nodes. */
async function playsToEnd(file: string): Promise<ReplaySource> {
  const src = await ReplaySource.open(file, { preload: false });
  expect(src.status().state, src.status().error ?? '').toBe('paused');
  expect(src.seek(src.status().endMs, 'before').ok).toBe(true);
  expect(src.core!.buildFrame([], 0, 0).nodes.map((n) => n.health)).toEqual(['up', 'up', 'up', 'up', 'up']);
  return src;
}

describe('bad recordings', () => {
  it('a file cut at any byte opens with every complete chunk before the cut (mid-chunk, at a boundary, in the summary)', async () => {
    const dataEnd = chunks.at(-1)!.offset + chunks.at(-1)!.length;
    const cuts = [
      chunks[3].offset + Math.floor(chunks[3].length / 2), // mid-chunk
      chunks[10].offset, // exactly at a chunk boundary
      chunks[10].offset + 5, // inside a record header
      chunks[20].offset + chunks[20].length - 1, // one byte short of a complete chunk
      dataEnd + 40, // inside the index/summary
      size - 3, // inside the trailing magic
    ];
    for (const cut of cuts) {
      const file = path.join(dir, `cut-${cut}.mcap`);
      copyFileSync(good, file);
      truncateSync(file, cut);
      const progress: string[] = [];
      const f = await RecordingFile.open(file, { onProgress: (p) => progress.push(`${p.phase} ${p.done === p.total ? 'done' : 'partial'}`) });
      expect(f.ok, `cut at ${cut}`).toBe(true);
      if (!f.ok) continue;
      // Rebuilding the index of a cut file reports its progress: scanning, then (unless its index record survived) reading chunks for markers.
      expect(progress).toContain('scan done');
      if (cut <= dataEnd) expect(progress.at(-1)).toBe('markers done');
      else expect(['scan done', 'markers done']).toContain(progress.at(-1));
      const complete = chunks.filter((c) => c.offset + c.length <= cut).length;
      expect(f.value.chunks.length, `cut at ${cut}`).toBe(complete);
      expect(f.value.indexed).toBe(false);
      expect(f.value.warnings.join(' ')).toMatch(/cut off inside a record at byte \d+|not closed cleanly|its summary is unusable/);
      expect(f.value.endMs).toBe(chunks[complete - 1].endMs);
      f.value.close();
      (await playsToEnd(file)).close();
    }
  });

  it('a file cut before its first complete chunk says there is nothing to replay', async () => {
    const file = path.join(dir, 'cut-early.mcap');
    copyFileSync(good, file);
    truncateSync(file, chunks[0].offset + 10);
    const src = await ReplaySource.open(file);
    expect(src.status().state).toBe('error');
    expect(src.status().error).toMatch(/^cut-early\.mcap holds no complete chunk: nothing to replay/);
    expect(src.play().ok).toBe(false);
  });

  it('a corrupted chunk is skipped with a warning naming its offset; the rest plays, and metrics resume at the next key', async () => {
    const bad = chunks[12];
    const file = variant('corrupt.mcap', (b) => {
      for (let i = 0; i < 16; i++) b[bad.offset + Math.floor(bad.length / 2) + i] ^= 0x5a;
      return b;
    });
    const src = await ReplaySource.open(file);
    await src.preloaded();
    const warnings = src.status().warnings.join('\n');
    expect(warnings).toContain(`the chunk at byte offset ${bad.offset} is corrupted`);
    expect(warnings).toMatch(/skipped: data from 2024-05-01T10:00:\d\d\.\d+Z to 2024-05-01T10:00:\d\d\.\d+Z is missing/);
    src.seek(src.status().endMs, 'before');
    expect(src.core!.buildFrame([], 0, 0).nodes.every((n) => n.health === 'up')).toBe(true);
    // The chart has the seconds before the bad chunk and after the next key chunk, not the ones in between.
    const api = new ReplayConsole(src);
    const w = await api.getSeries({ metric: 'connections', nodes: ['gw-1'], fromMs: T0, toMs: T0 + 30_000, width: 30 });
    expect(w.ok).toBe(true);
    if (!w.ok) return;
    const ts = w.value.lines.find((l) => l.label === 'ws')!.t.map((t) => Math.round((t - T0) / 1000));
    expect(ts).toContain(5);
    expect(ts).toContain(25);
    expect(ts).not.toContain(13);
    src.close();
  });

  it('a damaged summary is replaced by scanning the file, with a warning', async () => {
    const dataEnd = chunks.at(-1)!.offset + chunks.at(-1)!.length;
    const file = variant('bad-summary.mcap', (b) => {
      for (let i = size - 200; i < size - 190; i++) b[i] ^= 0xff;
      return b;
    });
    expect(size - 200).toBeGreaterThan(dataEnd);
    const f = await RecordingFile.open(file);
    expect(f.ok).toBe(true);
    if (!f.ok) return;
    expect(f.value.indexed).toBe(false);
    expect(f.value.warnings[0]).toMatch(/its summary is unusable \(.+\); the index was rebuilt by reading the file/);
    expect(f.value.chunks.length).toBe(chunks.length);
    f.value.close();
  });

  it('garbage in the middle of a file without a summary is skipped up to the next chunk', async () => {
    const hit = chunks[8];
    const file = variant('garbage.mcap', (b) => {
      b.fill(0xee, hit.offset, hit.offset + 40);
      return b.subarray(0, chunks.at(-1)!.offset + chunks.at(-1)!.length);
    });
    const f = await RecordingFile.open(file);
    expect(f.ok).toBe(true);
    if (!f.ok) return;
    expect(f.value.warnings.join(' ')).toMatch(new RegExp(`bytes ${hit.offset} to ${chunks[9].offset} do not hold a readable record and were skipped`));
    expect(f.value.chunks.length).toBe(chunks.length - 1);
    f.value.close();
    (await playsToEnd(file)).close();
  });

  it('an empty file, a file that is not MCAP, an MCAP file of another kind: one clear message each, no crash', async () => {
    const empty = path.join(dir, 'empty.mcap');
    writeFileSync(empty, '');
    const text = path.join(dir, 'notes.mcap');
    writeFileSync(text, '{"this is": "json"}\n');
    const ros = path.join(dir, 'ros.mcap');
    const parts: Uint8Array[] = [];
    let pos = 0n;
    const w = new McapWriter({ writable: { position: () => pos, write: async (b: Uint8Array) => void (parts.push(b.slice()), (pos += BigInt(b.length))) } });
    await w.start({ profile: 'ros2', library: 'test' });
    await w.end();
    writeFileSync(ros, Buffer.concat(parts));
    const cases: [string, RegExp][] = [
      [empty, /^empty\.mcap is empty \(0 bytes\): not a recording$/],
      [text, /^notes\.mcap is not an MCAP recording: it starts with "\{"this i" instead of the MCAP magic$/],
      [ros, /^ros\.mcap is an MCAP file but not a Switchboard recording \(profile "ros2"\)$/],
      [path.join(dir, 'missing.mcap'), /^cannot open .*missing\.mcap: no such file$/],
    ];
    for (const [file, message] of cases) {
      const src = await ReplaySource.open(file);
      expect(src.state).toBe('error');
      expect(src.status().error).toMatch(message);
      expect(src.seek(T0).ok).toBe(false);
      src.close();
    }
  });
});
