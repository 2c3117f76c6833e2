import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LiveFrame, Result, TimelineEvent } from '../../../../src/shared/api';
import { ConsoleCore } from '../../../../src/main/core/consoleCore';
import { RecordingDecoder, RecordingFile } from '../../../../src/main/core/recording';
import type { ReplayInput } from '../../../../src/main/core/recording';
import { ReplayConsole, ReplaySource } from '../../../../src/main/core/sources/replay';
import type { Marker, SeekMode } from '../../../../src/main/core/sources/replay';
import { CoreFeeder, ReplayClock } from '../../../../src/main/core/sources/replay/coreFeeder';
import { ConsoleSession } from '../../../../src/main/session/consoleSession';
import { prng } from '../../../../bench/recordingSynth';
import { waitFor } from '../../../helpers/ports';
import { T0, synthRun } from './synthRecording';

/**
 * The timeline after a seek or a jump (issue 6). A replay's timeline is the recorded one:
 * after any seek it must hold exactly the events recorded up to the playback position, as
 * if the recording had been played from its start (no event missing, none twice), and a
 * jump to an event ("Next restart") must land where that event is on the timeline.
 *
 * The recording is a synthetic four-node fleet (deterministic, on a virtual clock) with
 * what makes the hard cases: a lag breach (dated from when the lag began, recorded five
 * seconds later, when it qualifies), a restart in the middle, and a crash-restart in the
 * recording's last second, after its last checkpoint — as in the UI walkthrough, where the
 * flight recorder is saved as soon as the restart shows.
 */

const dir = mkdtempSync(path.join(tmpdir(), 'sb-replay-timeline-'));
const recordingsDir = path.join(dir, 'recordings');
const named = path.join(dir, 'named.mcap');
const flight = path.join(dir, 'flight.mcap');
/** When things happen (seconds after T0). */
const DRAIN_AT_S = 8;
const LAG_FROM_S = 20;
const LAG_UNTIL_S = 35;
const RESTART_AT_S = 40;
const SECONDS = 60;
/** The crash-restart after the last tick: in the recording's last second. */
const LAST_RESTART_AT = T0 + SECONDS * 1000 + 40;

const sessions: { session: ConsoleSession; core: ConsoleCore }[] = [];

beforeAll(async () => {
  mkdirSync(recordingsDir, { recursive: true });
  let lagging = false;
  const run = await synthRun({
    nodes: 4,
    keyframeEveryMs: 5_000,
    script: (s, r) => {
      if (s === 0) {
        // gw-2 reports pub/sub lag p99 over the 250 ms threshold while `lagging`.
        const vitals = r.fleet.vitals.bind(r.fleet);
        r.fleet.vitals = (i, ts) => {
          const e = vitals(i, ts);
          if (i === 1 && lagging) (e.data as { pubsubLagMs: { p50: number; p99: number } }).pubsubLagMs = { p50: 120, p99: 400 };
          return e;
        };
      }
      lagging = s >= LAG_FROM_S && s < LAG_UNTIL_S;
      if (s === DRAIN_AT_S) r.core.ingest.streamEvent('gw-1', { type: 'lifecycle', bootId: null, data: { ts: r.clock.ms, node: 'gw-1', kind: 'drain_started', detail: { deadlineSeconds: 60 } } });
      // A new boot id on gw-3's next vitals: a restart.
      if (s === RESTART_AT_S) r.fleet.nodes[2].bootId = 'boot-gw3-second';
    },
  });
  run.recorder.startRecording(named);
  await run.run(SECONDS);
  // gw-4 comes back with a new boot id after the last tick, and the flight recorder is
  // saved right away: no checkpoint follows the restart in either file.
  run.fleet.nodes[3].bootId = 'boot-gw4-second';
  run.clock.ms = LAST_RESTART_AT;
  run.core.ingest.streamEvent('gw-4', run.fleet.vitals(3, run.clock.ms - 3));
  const saved = run.recorder.saveFlight(flight);
  if (!saved.ok) throw new Error(saved.message);
  run.recorder.stopRecording();
  run.recorder.detach();
  const restarts = run.core.timeline.query({ limit: 1000 }).filter((e) => e.kind === 'restarted');
  if (restarts.length !== 2 || restarts[1].ts !== LAST_RESTART_AT) throw new Error(`the fleet should have restarted twice, got ${JSON.stringify(restarts)}`);
  copyFileSync(flight, path.join(recordingsDir, 'flight.mcap'));
});

afterEach(() => {
  for (const s of sessions.splice(0)) {
    s.session.close();
    s.core.stop();
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.value;
}

/** Every input of a recording in file order, decoded from its first chunk on. */
async function decodeAll(file: string): Promise<ReplayInput[]> {
  const f = ok(await RecordingFile.open(file));
  const decoder = new RecordingDecoder(f);
  const inputs: ReplayInput[] = [];
  for (let i = 0; i < f.chunks.length; i++) expect(decoder.decodeChunk(i, inputs)).toBe(true);
  expect(decoder.skipped).toBe(0);
  f.close();
  return inputs;
}

/** The timeline of a core fed the recording straight from its start up to `positionMs` (what playing there shows). */
function playedThrough(inputs: readonly ReplayInput[], positionMs: number): TimelineEvent[] {
  const feeder = new CoreFeeder(new ReplayClock(), { source: { kind: 'replay', name: 'reference', capabilities: { seek: true, speed: true, actions: false } }, scrapeIntervalMs: 1000 });
  for (const x of inputs) {
    if (x.atMs > positionMs) break;
    feeder.apply(x);
  }
  const events = feeder.core.timeline.query({ limit: 100_000 });
  feeder.stop();
  return structuredClone(events);
}

async function timelineOf(src: ReplaySource): Promise<TimelineEvent[]> {
  return structuredClone(ok(await src.core!.getTimeline({ limit: 5000 })));
}

const isRestart = (m: Pick<Marker, 'category'>) => m.category === 'restart';
const describeEvents = (events: TimelineEvent[]) => events.map((e) => `${e.kind}:${e.node}@${e.ts - T0}`);

describe('the timeline after a jump to an event', () => {
  it('"Next restart" (controlPlayback next, category restart) lands where each restart is on the timeline, the last one too (after the last checkpoint of a saved flight recording)', async () => {
    const core = new ConsoleCore();
    const session = new ConsoleSession({ live: core, recordingsDir, allowPaths: false });
    sessions.push({ session, core });
    const frames: LiveFrame[] = [];
    session.onFrame((f) => frames.push(f));
    const opened = ok(await session.openRecording({ name: 'flight.mcap' }));
    const restarts = ok(await session.getMarks()).markers.filter(isRestart);
    expect(restarts.map((m) => [m.kind, m.node])).toEqual([
      ['restarted', 'gw-3'],
      ['restarted', 'gw-4'],
    ]);
    expect(restarts[1].ts).toBe(LAST_RESTART_AT);
    expect(opened.endMs).toBe(LAST_RESTART_AT);

    ok(await session.controlPlayback({ op: 'seek', ts: opened.startMs }));
    for (const m of restarts) {
      const landed = ok(await session.controlPlayback({ op: 'next', category: 'restart' }));
      expect(landed.clockMs, `the jump to ${m.node}'s restart lands at or after it`).toBeGreaterThanOrEqual(m.ts);
      expect(landed.clockMs).toBeLessThan(m.ts + 2000);
      const tl = ok(await session.getTimeline({ limit: 5000 }));
      const shown = tl.filter((e) => e.kind === 'restarted' && e.node === m.node && e.ts === m.ts);
      expect(shown.length, `${m.node}'s restart on the timeline after the jump (${describeEvents(tl).join(', ')})`).toBe(1);
      // The frames of the new core carry it too.
      await waitFor(() => frames.some((f) => f.session.mode === 'replay' && f.ts === landed.clockMs && f.events.some((e) => e.kind === 'restarted' && e.node === m.node)), 3000, `a frame at the landing with ${m.node}'s restart`);
    }
    // Past the last restart there is no later one: the clock stays.
    const end = ok(await session.controlPlayback({ op: 'next', category: 'restart' }));
    expect(end.clockMs).toBeGreaterThanOrEqual(LAST_RESTART_AT);
  });

  it('a jump to a lag breach (dated from when the lag began, recorded when it qualified) lands where the breach is on the timeline; previous and next walk every event once', async () => {
    const src = await ReplaySource.open(named, { preload: false });
    const api = new ReplayConsole(src);
    const frames: LiveFrame[] = [];
    api.onFrame((f) => frames.push(f));
    const lag = src.markers().find((m) => m.kind === 'lag_breach')!;
    expect(lag.node).toBe('gw-2');
    expect(lag.ts).toBe(T0 + LAG_FROM_S * 1000 + 950);
    const jump = src.next((m) => m.category === 'signal');
    expect(jump.ok && jump.value?.id).toBe(lag.id);
    const tl = await timelineOf(src);
    expect(tl.filter((e) => e.kind === 'lag_breach' && e.node === 'gw-2').length, `the lag breach on the timeline at ${src.status().clockMs - T0} (${describeEvents(tl).join(', ')})`).toBe(1);
    await waitFor(() => frames.some((f) => f.ts === src.status().clockMs && f.events.some((e) => e.kind === 'lag_breach')), 3000, 'a frame with the lag breach');

    // From the start, `next` reaches every event of the recording, each on the timeline where it lands.
    src.seek(src.status().startMs);
    const reached = new Set<number>();
    let jumps = 0;
    let clock = src.status().clockMs;
    for (let j = src.next(); j.ok && j.value; j = src.next()) {
      const m = j.value;
      expect(src.status().clockMs, `the jump to ${m.kind} of ${m.node} moves the clock on`).toBeGreaterThan(clock);
      clock = src.status().clockMs;
      expect(clock).toBeGreaterThanOrEqual(m.ts);
      const here = await timelineOf(src);
      expect(here.some((e) => e.kind === m.kind && e.node === m.node && e.ts === m.ts), `${m.kind} of ${m.node} on the timeline after jumping to it`).toBe(true);
      // Every event jumped over is on the timeline already.
      for (const x of src.markers()) if (here.some((e) => e.kind === x.kind && e.node === x.node && e.ts === x.ts)) reached.add(x.id);
      expect(++jumps).toBeLessThan(100);
    }
    expect([...reached].sort((a, b) => a - b)).toEqual(src.markers().map((m) => m.id).sort((a, b) => a - b));
    // And back: `previous` lands on earlier events only, each on the timeline there.
    clock = src.status().clockMs;
    for (let j = src.previous(); j.ok && j.value; j = src.previous()) {
      const m = j.value;
      expect(src.status().clockMs).toBeLessThan(clock);
      clock = src.status().clockMs;
      const here = await timelineOf(src);
      expect(here.some((e) => e.kind === m.kind && e.node === m.node && e.ts === m.ts), `${m.kind} of ${m.node} on the timeline after jumping back to it`).toBe(true);
    }
    src.close();
  });
});

describe('the timeline after any seek', () => {
  for (const [name, file] of [
    ['a named recording', named],
    ['a saved flight recording', flight],
  ] as const) {
    it(`equals the timeline of playing ${name} straight to the same position: exact, before and after seeks, forward and backward`, async () => {
      const inputs = await decodeAll(file);
      const src = await ReplaySource.open(file, { preload: false });
      const { startMs, endMs } = src.status();
      const firstCheckpoint = src.status().clockMs;
      // Targets: random ones, every event's recorded time and the milliseconds around it, the ends.
      const rnd = prng(11);
      const targets = new Set<number>([startMs, endMs, endMs - 1, T0 + 25_950, T0 + 25_949]);
      for (const x of inputs) if (x.kind === 'timeline' && x.atMs > startMs) for (const d of [-1, 0, 1]) targets.add(x.atMs + d);
      for (let i = 0; i < 24; i++) targets.add(startMs + Math.floor(rnd() * (endMs - startMs)));
      // Shuffled: seeks go forward and backward.
      const order = [...targets].filter((t) => t >= startMs && t <= endMs).sort(() => rnd() - 0.5);
      let backward = 0;
      let prev = -Infinity;
      const cases: string[] = [];
      for (const t of order) {
        for (const mode of ['exact', 'before', 'after'] as (SeekMode | 'exact')[]) {
          expect(src.seek(t, mode).ok).toBe(true);
          const at = src.status().clockMs;
          if (at < prev) backward++;
          prev = at;
          const where = `${mode} seek to ${t - T0} (landed at ${at - T0})`;
          if (mode === 'exact') expect(at, where).toBe(Math.max(t, firstCheckpoint));
          if (mode === 'after') expect(at, `${where}: never before the target`).toBeGreaterThanOrEqual(t);
          if (mode === 'before') expect(at, where).toBeLessThanOrEqual(Math.max(t, firstCheckpoint));
          const got = await timelineOf(src);
          const want = playedThrough(inputs, at);
          expect(describeEvents(got), where).toEqual(describeEvents(want));
          expect(got, where).toEqual(want);
          cases.push(where);
        }
      }
      expect(cases.length).toBeGreaterThan(100);
      expect(backward).toBeGreaterThan(20);
      src.close();
    });
  }
});
