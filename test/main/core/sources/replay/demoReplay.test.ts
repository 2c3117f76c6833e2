import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveFrame, NodeSummary, SeriesRequest, SeriesWindow } from '../../../../../src/shared/api';
import { startDemoFleet } from '../../../../../src/fleet/demo/demoFleet';
import type { DemoFleet } from '../../../../../src/fleet/demo/demoFleet';
import { startLiveConsole } from '../../../../../src/main/core';
import type { LiveConsole } from '../../../../../src/main/core';
import { Recorder, RecordingClock, RecordingDecoder } from '../../../../../src/main/core/recording';
import type { ReplayInput } from '../../../../../src/main/core/recording';
import { ReplayConsole, ReplaySource } from '../../../../../src/main/core/sources/replay';
import { silent } from '../../../../helpers/gatewayFixture';
import { sleep, waitFor } from '../../../../helpers/ports';

const dir = mkdtempSync(path.join(tmpdir(), 'sb-demo-replay-'));
const file = path.join(dir, 'incident.mcap');
let fleet: DemoFleet;
let live: LiveConsole;
const frames: LiveFrame[] = [];
const windows: { req: SeriesRequest; live: SeriesWindow }[] = [];

/** A node summary as a replay must show it; `canAdmin` differs on purpose (a replay cannot act). */
const comparable = (n: NodeSummary) => ({ ...n, canAdmin: undefined });

beforeAll(async () => {
  fleet = await startDemoFleet({ nodes: 3, clients: 60, fleetFile: path.join(dir, 'fleet.json'), logger: silent, incidentEveryMs: 0 });
  const clock = new RecordingClock();
  live = await startLiveConsole({ inventory: { kind: 'file_sd', file: path.join(dir, 'fleet.json') }, scrape: { intervalMs: 1000 }, now: clock.now });
  const recorder = await Recorder.attach(live.core, { clock });
  const started = recorder.startRecording(file);
  if (!started.ok) throw new Error(started.message);
  live.core.onFrame((f) => frames.push(structuredClone(f)));
  await waitFor(() => frames.at(-1)?.nodes.filter((n) => n.health === 'up').length === 3, 15_000, 'three nodes up');
  for (let s = 0; s < 11; s++) {
    if (s === 3) await fleet.incident('crash', 'gw-2');
    await sleep(1000);
    // Windows that end two seconds ago: every sample in them has arrived by now.
    for (const req of [
      { metric: 'connections', nodes: ['gw-1'], fromMs: Date.now() - 10_000, toMs: Date.now() - 2000, width: 20 },
      { metric: 'delivered', fromMs: Date.now() - 10_000, toMs: Date.now() - 2000, width: 16 },
    ] satisfies SeriesRequest[]) {
      const w = await live.core.getSeries(req);
      if (w.ok) windows.push({ req, live: w.value });
    }
  }
  recorder.stopRecording();
  recorder.detach();
}, 60_000);

afterAll(async () => {
  await live?.stop();
  await fleet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('replay of a recorded demo fleet', () => {
  it('shows, at any moment, the node summaries (connections, health, rates, sources) the live console showed then', async () => {
    const src = await ReplaySource.open(file);
    expect(src.status().state).toBe('paused');
    expect(src.info).toEqual({ kind: 'replay', name: 'recording incident.mcap', capabilities: { seek: true, speed: true, actions: false } });
    // A frame is built between inputs; an input handled in the same millisecond after it would be in the replay's state at that time but not in the frame: skip those frames.
    const inputTimes = new Set<number>();
    const decoder = new RecordingDecoder(src.recording!);
    for (let i = 0; i < src.recording!.chunks.length; i++) {
      const inputs: ReplayInput[] = [];
      decoder.decodeChunk(i, inputs);
      for (const x of inputs) inputTimes.add(x.atMs);
    }
    const inRange = frames.filter((f) => f.ts >= src.status().startMs + 1000 && f.ts <= src.status().endMs && !inputTimes.has(f.ts));
    expect(inRange.length).toBeGreaterThan(30);
    let compared = 0;
    for (const f of inRange.filter((_, i) => i % 3 === 0)) {
      expect(src.seek(f.ts, 'exact').ok).toBe(true);
      const r = src.core!.buildFrame([], 0, 0);
      expect(r.ts).toBe(f.ts);
      expect(r.source.kind).toBe('replay');
      expect(r.nodes.map(comparable), `frame at ${new Date(f.ts).toISOString()}`).toEqual(f.nodes.map(comparable));
      expect(r.fleet.connections).toEqual(f.fleet.connections);
      expect(r.fleet.nodesUp).toBe(f.fleet.nodesUp);
      expect(r.fleet.blind).toEqual(f.fleet.blind);
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
    // Real values, not empty ones: the fleet had clients and the crash shows.
    expect(inRange.some((f) => f.fleet.connections.total > 20)).toBe(true);
    expect(inRange.some((f) => f.nodes.find((n) => n.id === 'gw-2')!.health !== 'up')).toBe(true);
    src.close();
  });

  it('answers chart windows exactly as the live console did (after a seek, from the preloaded history)', async () => {
    const src = await ReplaySource.open(file);
    await src.preloaded();
    const api = new ReplayConsole(src);
    expect(windows.length).toBeGreaterThan(10);
    for (const w of windows) {
      src.seek(w.req.toMs + 500, 'after');
      const r = await api.getSeries(w.req);
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.value).toEqual(w.live);
    }
    expect(windows.some((w) => w.live.lines.some((l) => l.max.some((v) => v > 0)))).toBe(true);
    // Before its end, a window holds nothing after the replay clock.
    const last = windows.at(-1)!.req;
    src.seek(last.fromMs + 3000, 'exact');
    const cut = await api.getSeries(last);
    expect(cut.ok && cut.value.lines.every((l) => l.t.every((t) => t <= last.fromMs + 3000))).toBe(true);
    src.close();
  });

  it('has the crash on its markers up front, and jumps from event to event', async () => {
    const src = await ReplaySource.open(file, { preload: false });
    const markers = src.markers();
    const crash = markers.filter((m) => m.node === 'gw-2' && (m.category === 'restart' || m.category === 'health'));
    expect(crash.length).toBeGreaterThan(0);
    expect(crash.some((m) => m.kind === 'restarted')).toBe(true);
    const api = new ReplayConsole(src);
    src.seek(src.status().startMs);
    const seen: string[] = [];
    for (let jump = src.next(); jump.ok && jump.value; jump = src.next()) {
      const m = jump.value;
      expect(src.status().clockMs).toBeGreaterThanOrEqual(m.ts);
      const tl = await api.getTimeline({ fromMs: m.ts - 1, toMs: m.ts + 1 });
      expect(tl.ok && tl.value.some((e) => e.kind === m.kind && e.node === m.node)).toBe(true);
      seen.push(m.kind);
      if (seen.length > 50) break;
    }
    expect(seen.length).toBeGreaterThan(0);
    const back = src.previous();
    expect(back.ok && back.value !== null && back.value.ts < src.status().endMs).toBe(true);
    src.close();
  });

  it('plays at 16× through the recording to "ended", with frames on the replay clock', async () => {
    const src = await ReplaySource.open(file, { preload: false });
    const api = new ReplayConsole(src);
    const got: LiveFrame[] = [];
    const off = api.onFrame((f) => got.push(f));
    const states: string[] = [];
    src.onStatus((s) => states.push(s.state));
    expect(src.setSpeed(16).ok).toBe(true);
    expect(src.play().ok).toBe(true);
    await waitFor(() => src.state === 'ended', 10_000, 'the end of the recording');
    expect(states).toContain('playing');
    expect(states.at(-1)).toBe('ended');
    expect(src.status().clockMs).toBe(src.status().endMs);
    expect(got.length).toBeGreaterThan(2);
    expect(got.every((f) => f.ts >= src.status().startMs && f.ts <= src.status().endMs && f.source.kind === 'replay')).toBe(true);
    expect(got.at(-1)!.nodes.map((n) => n.id)).toEqual(['gw-1', 'gw-2', 'gw-3']);
    off();
    src.close();
  });
});
