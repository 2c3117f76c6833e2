/**
 * bench:recording — recording and replay at fleet scale. Last stdout line: one JSON object.
 *
 * 1. recorderCpuPct: a live console on 200 light fake nodes (scrape at 1 s, vitals every
 *    second), in alternating windows without and with the recorder (flight recorder + a
 *    recording to a file), in the same run: the console's CPU with it minus without it (the
 *    baseline), as a share of one core; and the recorder's own main-thread time.
 * 2. bytesPerSample: an hour of 200 nodes at 1 s (synthetic ingest calls through a real
 *    core with the recorder attached, values moving like bench/fakeFleet.ts's) — file bytes
 *    over scraped samples; Prometheus' TSDB stores about 1.3 bytes a sample.
 * 3. openMs (open the hour and be ready to play), seekP95Ms (random seeks), and
 *    truncatedRecoveredPct (the file cut at random points: complete chunks recovered).
 * Sizes by env: BENCH_NODES (200), BENCH_SECONDS (3600), BENCH_WINDOW_S (30).
 */
import { forkTs, killChildren, message } from './benchChildren';
import { copyFileSync, mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleCore } from '../src/main/core/consoleCore';
import { Recorder, RecordingFile } from '../src/main/core/recording';
import { ReplaySource } from '../src/main/core/sources/replay';
import { SynthFleet, prng } from './recordingSynth';

const NODES = Number(process.env.BENCH_NODES ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3600);
const WINDOW_S = Number(process.env.BENCH_WINDOW_S ?? 30);
const WARMUP_S = 10;
const log = (m: string) => process.stderr.write(`bench:recording ${m}\n`);
const rnd = prng(7);

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;


interface Window {
  cpuSeconds: number;
  wallSeconds: number;
  recorderBusyMs: number;
  recordingBytes: number;
  flightBytes: number;
  nodesUp: number;
  targets: number;
}

/** 1. The recorder's CPU on a live console of NODES fake nodes, against the same console without it. */
async function liveCpu(dir: string) {
  const fleetFile = join(dir, 'fleet.json');
  log(`starting ${NODES} fake nodes…`);
  const fleet = forkTs(join(__dirname, 'fakeFleet.ts'), ['--nodes', String(NODES), '--fleet-file', fleetFile, '--token', 'bench-read-token']);
  await message<{ ready?: boolean }>(fleet, (m) => m.ready === true, 120_000);
  const consoleChild = forkTs(join(__dirname, 'recordingConsole.ts'), [fleetFile, dir]);
  await message<{ ready?: boolean }>(consoleChild, (m) => m.ready === true, 120_000);
  log(`warming up ${WARMUP_S} s…`);
  await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
  const measure = async (record: boolean): Promise<Window> => {
    consoleChild.send({ cmd: 'begin', record });
    await message<{ begun?: boolean }>(consoleChild, (m) => m.begun === true, 120_000);
    log(`measuring ${WINDOW_S} s ${record ? 'with' : 'without'} the recorder…`);
    await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
    consoleChild.send({ cmd: 'end' });
    return message<Window>(consoleChild, (m) => typeof (m as Window).cpuSeconds === 'number', 120_000);
  };
  // Alternating windows, so a drift in the machine's load hits both alike.
  const windows = [await measure(false), await measure(true), await measure(false), await measure(true)];
  consoleChild.send({ cmd: 'stop' });
  fleet.kill('SIGTERM');
  const sum = (ws: Window[]): Window => ws.reduce((a, w) => ({ cpuSeconds: a.cpuSeconds + w.cpuSeconds, wallSeconds: a.wallSeconds + w.wallSeconds, recorderBusyMs: a.recorderBusyMs + w.recorderBusyMs, recordingBytes: a.recordingBytes + w.recordingBytes, flightBytes: Math.max(a.flightBytes, w.flightBytes), nodesUp: Math.min(a.nodesUp, w.nodesUp), targets: w.targets }));
  return { off: sum([windows[0], windows[2]]), on: sum([windows[1], windows[3]]) };
}

/** 2. An hour of NODES synthetic nodes through a real core with the recorder, to a file. */
async function generate(file: string) {
  const T0 = Date.UTC(2024, 4, 1, 10);
  let now = T0;
  // A short store: the generating core's memory is not what is measured.
  const core = new ConsoleCore({ now: () => now, scrapeIntervalMs: 1000, store: { retentionMs: 120_000 } });
  const recorder = await Recorder.attach(core, { now: () => now, chunkEveryMs: 1e9, flightWindowMs: 0 });
  const fleet = new SynthFleet(NODES);
  core.ingest.setTargets(fleet.targets());
  const started = recorder.startRecording(file);
  if (!started.ok) throw new Error(started.message);
  let samples = 0;
  const t0 = performance.now();
  for (let s = 0; s < SECONDS; s++) {
    const base = T0 + s * 1000;
    for (let i = 0; i < NODES; i++) {
      fleet.step(i);
      const id = fleet.nodes[i].id;
      now = base + Math.floor((i * 900) / NODES);
      core.ingest.streamEvent(id, fleet.vitals(i, now - 3));
      now += 2;
      const scrape = fleet.scrape(i, now - 5);
      if (scrape.ok) samples += scrape.samples;
      core.ingest.scrape(id, scrape);
    }
    // A few events on the timeline, as in an incident: a drain now and then.
    if (s % 600 === 300) core.ingest.streamEvent(fleet.nodes[s % NODES].id, { type: 'lifecycle', bootId: null, data: { ts: now, node: fleet.nodes[s % NODES].id, kind: 'drain_started', detail: { deadlineSeconds: 60 } } });
    now = base + 950;
    core.tick();
    now = base + 999;
    recorder.flush();
    if (s % 300 === 299) log(`generated ${s + 1} of ${SECONDS} s`);
  }
  const st = recorder.stopRecording()!;
  const busyMs = recorder.status().busyMs;
  recorder.detach();
  return { bytes: st.bytes, chunks: st.chunks, samples, generateSeconds: (performance.now() - t0) / 1000, recorderMsPerRecordedSecond: busyMs / SECONDS };
}

/** 3a. Open to ready-to-play, and seeks. */
async function openAndSeek(file: string) {
  const opens: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const src = await ReplaySource.open(file, { preload: false });
    opens.push(performance.now() - t0);
    if (src.status().state !== 'paused') throw new Error(`open failed: ${src.status().error}`);
    src.close();
  }
  const src = await ReplaySource.open(file, { preload: false });
  const { startMs, endMs } = src.status();
  const seeks: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = startMs + rnd() * (endMs - startMs);
    const t0 = performance.now();
    const r = src.seek(t);
    seeks.push(performance.now() - t0);
    if (!r.ok) throw new Error(r.message);
  }
  const exact: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t = startMs + rnd() * (endMs - startMs);
    const t0 = performance.now();
    src.seek(t, 'exact');
    exact.push(performance.now() - t0);
  }
  src.close();
  seeks.sort((a, b) => a - b);
  exact.sort((a, b) => a - b);
  return { openMs: round(opens[0]), openMedianMs: round([...opens].sort((a, b) => a - b)[1]), seekP50Ms: round(pct(seeks, 0.5)), seekP95Ms: round(pct(seeks, 0.95)), seekMaxMs: round(seeks.at(-1)!), seekExactP50Ms: round(pct(exact, 0.5)), seekExactP95Ms: round(pct(exact, 0.95)) };
}

/** 3b. The file cut at random points: complete chunks before each cut, and how many came back. */
async function truncation(file: string, dir: string) {
  const f = await RecordingFile.open(file);
  if (!f.ok) throw new Error(f.message);
  const chunks = f.value.chunks.map((c) => ({ offset: c.offset, end: c.offset + c.length }));
  const size = f.value.bytes;
  f.value.close();
  const copy = join(dir, 'cut.mcap');
  copyFileSync(file, copy);
  const cuts = Array.from({ length: 8 }, () => Math.floor(size * (0.05 + 0.95 * rnd()))).sort((a, b) => b - a);
  let complete = 0;
  let recovered = 0;
  let scanMs = 0;
  for (const cut of cuts) {
    truncateSync(copy, cut);
    const t0 = performance.now();
    const g = await RecordingFile.open(copy);
    scanMs = Math.max(scanMs, performance.now() - t0);
    if (!g.ok) throw new Error(g.message);
    complete += chunks.filter((c) => c.end <= cut).length;
    recovered += g.value.chunks.filter((c) => !c.bad).length;
    g.value.close();
  }
  return { truncatedRecoveredPct: round((recovered / complete) * 100, 2), truncatedCuts: cuts.length, truncatedOpenMaxMs: Math.round(scanMs) };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-recording-'));
  try {
    const { off, on } = await liveCpu(dir);
    const file = join(dir, 'hour.mcap');
    log(`generating ${SECONDS} s of ${NODES} nodes…`);
    const gen = await generate(file);
    log('opening and seeking…');
    const seek = await openAndSeek(file);
    log('cutting…');
    const cut = await truncation(file, dir);
    const result = {
      nodes: NODES,
      seconds: SECONDS,
      samples: gen.samples,
      fileBytes: gen.bytes,
      chunks: gen.chunks,
      bytesPerSample: round(gen.bytes / gen.samples, 3),
      prometheusTsdbBytesPerSample: 1.3,
      // CPU of the recorder path: the console's CPU with the recorder minus without it, as a share of one core.
      recorderCpuPct: round(((on.cpuSeconds / on.wallSeconds) - (off.cpuSeconds / off.wallSeconds)) * 100, 2),
      // Wall time spent inside the recorder (taps, encoding, compression, writes): an upper bound on a busy machine.
      recorderBusyPct: round((on.recorderBusyMs / (on.wallSeconds * 1000)) * 100, 2),
      consoleCpuPctWithoutRecorder: round((off.cpuSeconds / off.wallSeconds) * 100, 2),
      consoleCpuPctWithRecorder: round((on.cpuSeconds / on.wallSeconds) * 100, 2),
      liveNodesUp: on.nodesUp,
      liveRecordingBytesPerSecond: Math.round(on.recordingBytes / on.wallSeconds),
      flightRingBytes: on.flightBytes,
      recorderMsPerRecordedSecondSynthetic: round(gen.recorderMsPerRecordedSecond, 2),
      generateSeconds: round(gen.generateSeconds),
      ...seek,
      ...cut,
      loadAverage: (await import('node:os')).loadavg().map((x) => round(x, 2)),
      targets: { bytesPerSample: 2, seekP95Ms: 100, openMs: 1000 },
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    killChildren();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  killChildren();
  process.stderr.write(`bench:recording failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
