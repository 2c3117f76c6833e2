import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveFrame } from '../../../../../src/shared/api';
import { Bookmarks, ReplayConsole, ReplaySource, bookmarksPath } from '../../../../../src/main/core/sources/replay';
import { waitFor } from '../../../../helpers/ports';
import { T0, synthRun } from '../../recording/synthRecording';
import type { SynthRun } from '../../recording/synthRecording';

const dir = mkdtempSync(path.join(tmpdir(), 'sb-replay-'));
const file = path.join(dir, 'synth.mcap');
let run: SynthRun;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  run = await synthRun({
    nodes: 6,
    keyframeEveryMs: 5_000,
    script: (s, r) => {
      // A drain at 20 s, and gw-5's event stream reported failing from 40 s on.
      if (s === 20) r.core.ingest.streamEvent('gw-3', { type: 'lifecycle', bootId: null, data: { ts: r.clock.ms, node: 'gw-3', kind: 'drain_started', detail: { deadlineSeconds: 60 } } });
      if (s === 40) r.core.ingest.streamStatus('gw-5', { state: 'backoff', lastError: 'ECONNRESET', events: 40, lastEventAt: r.clock.ms });
      if (s === 45) r.core.ingest.streamEvent('gw-4', { type: 'lifecycle', bootId: null, data: { ts: r.clock.ms, node: 'gw-4', kind: 'bus_down' } });
    },
  });
  run.recorder.startRecording(file);
  await run.run(60);
  run.recorder.stopRecording();
  run.recorder.detach();
});

describe('ReplaySource playback state machine', () => {
  it('opens paused at the start; play, pause, speed bounds, step of one second, ended, and play again from the start', async () => {
    const src = await ReplaySource.open(file, { preload: false });
    const s0 = src.status();
    expect(s0.state).toBe('paused');
    expect(s0.startMs).toBe(T0);
    expect(s0.clockMs).toBe(T0);
    expect(s0.endMs).toBe(T0 + 59_950);
    expect(src.setSpeed(0.1)).toEqual({ ok: false, code: 'invalid', message: 'speed must be from 0.25 to 64, got 0.1' });
    expect(src.setSpeed(65).ok).toBe(false);
    expect(src.setSpeed(0.25).ok).toBe(true);

    src.seek(T0 + 10_000);
    const before = src.status().clockMs;
    expect(src.step().ok).toBe(true);
    expect(src.status().clockMs).toBe(before + 1000);
    expect(src.state).toBe('paused');

    expect(src.setSpeed(64).ok).toBe(true);
    expect(src.play().ok).toBe(true);
    expect(src.state).toBe('playing');
    expect(src.pause().ok).toBe(true);
    expect(src.state).toBe('paused');
    src.play();
    await waitFor(() => src.state === 'ended', 5000, 'the end');
    expect(src.status().clockMs).toBe(s0.endMs);
    expect(src.step().ok).toBe(true);
    expect(src.state).toBe('ended');
    // Play at the end starts over.
    src.play();
    expect(src.status().clockMs).toBeLessThan(T0 + 2000);
    src.pause();
    src.close();
  });

  it('seeks anywhere and shows what the live console showed at that tick; forward and backward alike', async () => {
    const src = await ReplaySource.open(file, { preload: false });
    for (const s of [45, 3, 59, 22, 40, 41, 0, 30]) {
      const t = T0 + s * 1000 + 950;
      const want = run.frames.get(t)!;
      expect(src.seek(t).ok).toBe(true);
      expect(src.status().clockMs).toBe(t);
      const got = src.core!.buildFrame([], 0, 0);
      expect(got.nodes.map((n) => ({ ...n, canAdmin: null }))).toEqual(want.nodes.map((n) => ({ ...n, canAdmin: null })));
      expect(got.fleet.blind).toEqual(want.fleet.blind);
    }
    const gw5 = src.core!.buildFrame([], 0, 0).nodes.find((n) => n.id === 'gw-5')!;
    expect(gw5.events.state).toBe('idle');
    src.seek(T0 + 50_000);
    expect(src.core!.buildFrame([], 0, 0).nodes.find((n) => n.id === 'gw-5')!.events).toMatchObject({ state: 'failing', lastError: 'ECONNRESET' });
    // Out-of-range targets clamp; nonsense is refused.
    expect(src.seek(T0 - 1e9).ok).toBe(true);
    expect(src.status().clockMs).toBe(T0);
    expect(src.seek(Number.NaN).ok).toBe(false);
    src.close();
  });

  it('exact seeks land on the millisecond; "after" seeks land on the first checkpoint at or after it', async () => {
    const src = await ReplaySource.open(file, { preload: false });
    src.seek(T0 + 12_345, 'exact');
    expect(src.status().clockMs).toBe(T0 + 12_345);
    src.seek(T0 + 12_345, 'after');
    expect(src.status().clockMs).toBe(T0 + 12_950);
    src.close();
  });

  it('markers are known at open; next/previous jump to events; the ConsoleApi follows every seek with frames', async () => {
    const src = await ReplaySource.open(file);
    expect(src.markers().map((m) => [m.kind, m.node, m.category])).toEqual([
      ['drain_started', 'gw-3', 'drain'],
      ['health_draining', 'gw-3', 'health'],
      ['health_up', 'gw-3', 'health'],
      ['bus_down', 'gw-4', 'signal'],
    ]);
    const api = new ReplayConsole(src);
    const frames: LiveFrame[] = [];
    api.onFrame((f) => frames.push(f));
    const first = src.next();
    expect(first.ok && first.value?.kind).toBe('drain_started');
    const landed = first.ok && first.value ? first.value.ts : Infinity;
    await waitFor(() => frames.some((f) => f.ts >= landed && f.source.kind === 'replay'), 2000, 'a frame after the jump');
    // Landed on the tick after the drain: the drain and the health verdicts it caused that second.
    expect(src.status().clockMs).toBe(T0 + 20_950);
    const tl = await api.getTimeline({});
    expect(tl.ok && tl.value.map((e) => e.kind)).toEqual(['drain_started', 'health_draining', 'health_up']);
    const second = src.next();
    expect(second.ok && second.value?.kind).toBe('bus_down');
    expect(src.status().clockMs).toBe(T0 + 45_950);
    const tl2 = await api.getTimeline({ severities: ['critical'] });
    expect(tl2.ok && tl2.value.map((e) => [e.kind, e.node])).toEqual([['bus_down', 'gw-4']]);
    const back = src.previous();
    expect(back.ok && back.value?.kind).toBe('health_up');
    expect(src.status().clockMs).toBe(T0 + 20_950);
    expect(src.next().ok && src.next().ok).toBe(true);
    expect(src.next()).toEqual({ ok: true, value: null });
    const inv = await api.getInventory();
    expect(inv.ok && inv.value.targets.map((t) => [t.id, t.canAdmin])).toEqual([1, 2, 3, 4, 5, 6].map((i) => [`gw-${i}`, false]));
    src.close();
  });
});

describe('bookmarks', () => {
  it('round-trip through the sidecar file beside the recording, validated', async () => {
    const src = await ReplaySource.open(file, { preload: false });
    const b = src.bookmarks!;
    expect(b.list()).toEqual([]);
    const a = b.add(T0 + 20_500, 'gw-3 drain starts here');
    const c = b.add(T0 + 40_100, 'gw-5 loses its stream');
    expect(a.ok && c.ok).toBe(true);
    expect(b.add(T0 + 120_000, 'after the end').ok).toBe(false);
    if (!a.ok || !c.ok) return;
    expect(b.update(a.value.id, 'gw-3 drain, as planned').ok).toBe(true);
    expect(b.remove('nope')).toEqual({ ok: false, code: 'not_found', message: 'no bookmark "nope"' });
    src.close();

    const onDisk = JSON.parse(readFileSync(bookmarksPath(file), 'utf8')) as { version: number; recording: string; bookmarks: unknown[] };
    expect(onDisk.version).toBe(1);
    expect(onDisk.recording).toBe('synth.mcap');
    const again = await ReplaySource.open(file, { preload: false });
    expect(again.bookmarks!.list().map((x) => [x.ts, x.note])).toEqual([
      [T0 + 20_500, 'gw-3 drain, as planned'],
      [T0 + 40_100, 'gw-5 loses its stream'],
    ]);
    expect(again.bookmarks!.remove(c.value.id).ok).toBe(true);
    expect(Bookmarks.load(file, { startMs: T0, endMs: T0 + 60_000 }).list().length).toBe(1);
    again.close();
  });

  it('a bad sidecar file is reported (file and field) and left untouched; adding to it is refused', async () => {
    const copy = path.join(dir, 'copy.mcap');
    writeFileSync(copy, readFileSync(file));
    const bad = JSON.stringify({ version: 1, recording: 'copy.mcap', bookmarks: [{ id: 'a', ts: 'noon', note: 'x', createdAt: '2024-01-01' }] });
    writeFileSync(bookmarksPath(copy), bad);
    const src = await ReplaySource.open(copy, { preload: false });
    expect(src.state).toBe('paused');
    expect(src.bookmarks!.error).toBe(`${bookmarksPath(copy)}: bookmarks.0.ts: Invalid input: expected number, received string`);
    expect(src.status().warnings).toContain(src.bookmarks!.error);
    const add = src.bookmarks!.add(T0 + 1000, 'note');
    expect(add.ok).toBe(false);
    expect(!add.ok && add.message).toMatch(/fix or remove the file first$/);
    expect(readFileSync(bookmarksPath(copy), 'utf8')).toBe(bad);
    writeFileSync(bookmarksPath(copy), '{ not json');
    expect(Bookmarks.load(copy, { startMs: T0, endMs: T0 }).error).toMatch(/copy\.mcap\.bookmarks\.json is not valid JSON/);
    src.close();
  });
});
