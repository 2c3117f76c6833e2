import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as zstd from '@foxglove/wasm-zstd';
import { McapIndexedReader, McapStreamReader } from '@mcap/core';
import { afterAll, describe, expect, it } from 'vitest';
import { ConsoleCore } from '../../../../src/main/core/consoleCore';
import { CONSOLE_VERSION, Recorder, RecordingFile } from '../../../../src/main/core/recording';
import { ReplayConsole, ReplaySource } from '../../../../src/main/core/sources/replay';
import { sleep } from '../../../helpers/ports';
import { T0, synthRun } from './synthRecording';

const dir = mkdtempSync(path.join(tmpdir(), 'sb-recorder-'));
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) {
    try {
      execFileSync('umount', [m]);
    } catch {
      // not mounted
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

function readAll(file: string) {
  const r = new McapStreamReader({ decompressHandlers: { zstd: (b, n) => zstd.decompress(b, Number(n)) } });
  r.append(readFileSync(file));
  const topics = new Map<number, string>();
  const counts = new Map<string, number>();
  for (let rec; (rec = r.nextRecord()); ) {
    if (rec.type === 'Channel') topics.set(rec.id, rec.topic);
    if (rec.type === 'Message') counts.set(topics.get(rec.channelId)!, (counts.get(topics.get(rec.channelId)!) ?? 0) + 1);
  }
  return { done: r.done(), counts };
}

describe('Recorder', () => {
  it('writes a valid, indexed, zstd-compressed MCAP file: one channel per node and kind, metadata, no tokens', async () => {
    const file = path.join(dir, 'valid.mcap');
    const run = await synthRun({ nodes: 4 });
    expect(run.recorder.startRecording(file).ok).toBe(true);
    await run.run(12);
    const st = run.recorder.stopRecording()!;
    expect(st.state).toBe('stopped');
    expect(st.chunks).toBeGreaterThanOrEqual(12);

    const { done, counts } = readAll(file);
    expect(done).toBe(true);
    expect(counts.get('/node/gw-1/scrape')).toBe(12);
    expect(counts.get('/node/gw-4/events')).toBe(12);
    expect(counts.get('/tick')).toBe(12);
    expect(counts.get('/checkpoint')).toBeGreaterThanOrEqual(13);

    const size = statSync(file).size;
    const fd = readFileSync(file);
    const indexed = await McapIndexedReader.Initialize({ readable: { size: async () => BigInt(size), read: async (o, l) => fd.subarray(Number(o), Number(o + l)) } });
    expect(indexed.chunkIndexes.length).toBe(st.chunks);
    expect(indexed.chunkIndexes.every((c) => c.compression === 'zstd')).toBe(true);
    expect(indexed.header.profile).toBe('switchboard');
    const meta = [];
    for await (const m of indexed.readMetadata({ name: 'switchboard' })) meta.push(m.metadata);
    expect(meta[0].get('consoleVersion')).toBe(CONSOLE_VERSION);
    expect(meta[0].get('startTime')).toBe(new Date(T0).toISOString());
    expect(meta[0].get('format')).toBe('switchboard-recording/1');
    // Read tokens of the synthetic targets never reach the file.
    expect(fd.includes(Buffer.from('secret-read'))).toBe(false);
    run.recorder.detach();
  });

  it('closes a chunk at least every second while recording (real time)', async () => {
    const file = path.join(dir, 'realtime.mcap');
    const core = new ConsoleCore();
    const recorder = await Recorder.attach(core, { flightWindowMs: 0 });
    recorder.startRecording(file);
    const startBytes = recorder.status().recording!.bytes;
    core.ingest.setTargets([{ id: 'n1', opsUrl: 'http://127.0.0.1:1', labels: {}, readToken: null, adminToken: null, source: 'test' }]);
    core.ingest.streamStatus('n1', { state: 'open', lastError: null, events: 0, lastEventAt: null });
    await sleep(1300);
    const mid = recorder.status().recording!;
    expect(mid.chunks).toBeGreaterThanOrEqual(1);
    expect(mid.bytes).toBeGreaterThan(startBytes);
    expect(statSync(file).size).toBe(mid.bytes);
    recorder.detach();
  });

  it('removes its tap on detach and never lets a recording failure break ingest', async () => {
    const run = await synthRun({ nodes: 2 });
    await run.run(2);
    // A status JSON cannot carry (a BigInt): recording it fails, the core still takes it.
    const odd = { state: 'open', lastError: null, events: 10n, lastEventAt: null } as unknown as Parameters<typeof run.core.ingest.streamStatus>[1];
    run.core.ingest.streamStatus('gw-1', odd);
    expect(run.recorder.status().errors).toBe(1);
    expect(run.recorder.status().lastError).toMatch(/BigInt/);
    expect(run.core.ingest.nodes.get('gw-1')!.events.samples).toBe(10n);
    await run.run(1);
    expect(run.core.ingest.nodes.get('gw-1')!.health).toBe('up');
    run.recorder.detach();
    expect(Object.hasOwn(run.core.ingest, 'scrape')).toBe(false);
    expect(Object.hasOwn(run.core, 'tick')).toBe(false);
  });

  it('stops at a size cap with a clear status; the file is complete, indexed and replays; the console keeps going', async () => {
    const file = path.join(dir, 'capped.mcap');
    const run = await synthRun({ nodes: 10 });
    const cap = 40_000;
    run.recorder.startRecording(file, { maxBytes: cap });
    await run.run(60);
    const st = run.recorder.status().recording!;
    expect(st.state).toBe('capped');
    expect(st.error).toMatch(/size cap of 40000 bytes/);
    expect(statSync(file).size).toBeLessThanOrEqual(cap);
    expect(statSync(file).size).toBeGreaterThan(cap / 2);
    // The console did not notice.
    await run.run(2);
    expect(run.core.ingest.nodes.get('gw-3')!.health).toBe('up');
    const opened = await RecordingFile.open(file);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.value.indexed).toBe(true);
    expect(opened.value.warnings).toEqual([]);
    expect(opened.value.endMs).toBe(st.toMs);
    opened.value.close();
    run.recorder.detach();
  });

  it('stops with "disk is full" on a full file system (tiny tmpfs); what was written opens and replays', async () => {
    const mnt = path.join(dir, 'tiny');
    mkdirSync(mnt);
    let full = true;
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=200k', 'tmpfs', mnt], { stdio: 'ignore' });
      mounts.push(mnt);
    } catch {
      full = false;
    }
    const file = path.join(mnt, 'full.mcap');
    const run = await synthRun({ nodes: 40 });
    const statuses: string[] = [];
    run.recorder.onStatus((s) => statuses.push(s.recording?.state ?? 'none'));
    // Without permission to mount, a size cap stands in for the full disk.
    run.recorder.startRecording(file, full ? {} : { maxBytes: 200 * 1024 });
    await run.run(90);
    const st = run.recorder.status().recording!;
    if (full) {
      expect(st.state).toBe('failed');
      expect(st.error).toMatch(/^recording stopped: the disk is full \(ENOSPC\) after \d+ bytes; the file holds everything up to 2024-05-01T10:0\d:\d\d/);
    } else expect(st.state).toBe('capped');
    expect(statuses.at(-1)).toBe(st.state);
    await run.run(1);
    expect(run.core.ingest.nodes.get('gw-40')!.health).toBe('up');
    const src = await ReplaySource.open(file, { preload: false });
    const s = src.status();
    expect(s.state).toBe('paused');
    expect(s.endMs).toBeGreaterThan(T0 + 5000);
    expect(s.endMs).toBeLessThanOrEqual(st.toMs!);
    // Replays to the last complete second: the frame at the end shows all 40 nodes up.
    src.seek(s.endMs, 'before');
    expect(src.core!.buildFrame([], 0, 0).nodes.filter((n) => n.health === 'up').length).toBe(40);
    src.close();
    run.recorder.detach();
  });

  it('flight recorder: saves the last window (bounded: window plus one key period) as a valid file that replays', async () => {
    const run = await synthRun({
      nodes: 3,
      flightWindowMs: 10_000,
      keyframeEveryMs: 2_000,
      script: (s, r) => {
        if (s === 33) r.core.ingest.streamEvent('gw-2', { type: 'lifecycle', bootId: null, data: { ts: r.clock.ms, node: 'gw-2', kind: 'drain_started', detail: { deadlineSeconds: 30 } } });
      },
    });
    await run.run(40);
    const f = run.recorder.status().flight!;
    expect(f.fromMs).toBeGreaterThanOrEqual(run.clock.ms - 10_000 - 2_000 - 1_000);
    const file = path.join(dir, 'flight.mcap');
    const saved = run.recorder.saveFlight(file);
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    expect(saved.value.fromMs).toBeGreaterThanOrEqual(run.clock.ms - 13_000);
    expect(saved.value.fromMs).toBeLessThanOrEqual(run.clock.ms - 10_000);
    expect(saved.value.toMs).toBeLessThanOrEqual(run.clock.ms);
    expect(readAll(file).done).toBe(true);
    const src = await ReplaySource.open(file);
    expect(src.status().startMs).toBe(saved.value.fromMs);
    // The drain, and the health machine's verdicts on it (the next vitals say "serving" again).
    expect(src.markers().map((m) => m.kind)).toEqual(['drain_started', 'health_draining', 'health_up']);
    await src.preloaded();
    const api = new ReplayConsole(src);
    src.seek(saved.value.toMs, 'before');
    const tl = await api.getTimeline({});
    expect(tl.ok && tl.value.map((e) => [e.kind, e.node])).toEqual([['drain_started', 'gw-2'], ['health_draining', 'gw-2'], ['health_up', 'gw-2']]);
    // A second save refuses to overwrite the first.
    const again = run.recorder.saveFlight(file);
    expect(!again.ok && again.message).toMatch(/already exists/);
    src.close();
    run.recorder.detach();
  });
});
