/**
 * Store benchmark: a full hour of a 200-node fleet at 1 s, every contract metric.
 *
 * Run: node --expose-gc bin/run-ts.cjs bench/store.ts   (the JSON is the last stdout line)
 *
 * Data: per node 100 series shaped like the fleet contract's /metrics (constant
 * gauges, integer random-walk gauges, counters from busy to almost idle, two
 * prom-client-default histograms of 12 `le` buckets + _sum + _count, process and
 * Node.js gauges, some of them noisy floats), one scrape a second with a per-node
 * phase and 0–4 ms of jitter (timestamps are stored exactly, jitter included).
 * Compression depends on data, so the shape matters: the worst case (random floats)
 * is measured separately and reported as `worstCaseBytesPerSample`.
 * Baseline, measured in the same run: the plain typed-array ring (16 B a sample) on
 * 10 nodes, for append throughput and query latency.
 */
import { loadavg } from 'node:os';
import { getHeapSpaceStatistics } from 'node:v8';
import { CompressedSeries, SeriesStore, lttb, minMaxBuckets, readRange, seriesKey, sumAtSteps } from '../src/main/core/store';

const NODES = 200;
const SAMPLES = 3600;
const STEP_MS = 1000;
const WIDTH = 800;
const T0 = Date.UTC(2025, 0, 1);
const LE = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];

/** mulberry32: small, fast, seeded; the bench must not depend on Math.random's quality or state. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One series of a node: its key and how its value moves each second.
 * const: a = value │ walk: integer random walk from a, ± up to b │ counter: a a second
 * on average (below 1: that probability of +1) │ float: a × (0.5 + U) │ cpu: a float
 * counter │ bucket/sum/count: histogram `a` (0 or 1), bucket index b.
 */
interface Spec { key: string; kind: 'const' | 'walk' | 'counter' | 'float' | 'cpu' | 'bucket' | 'sum' | 'count'; a: number; b: number }

const HISTOGRAMS = [
  { name: 'realtime_delivery_latency_seconds', perSecond: 2000, scale: 0.02 },
  { name: 'realtime_pubsub_lag_seconds', perSecond: 300, scale: 0.004 },
];

/** The 100 series of one node, shaped like the fleet contract's /metrics plus prom-client defaults. */
function nodeSpecs(): Spec[] {
  const out: Spec[] = [];
  const add = (name: string, labels: Record<string, string>, kind: Spec['kind'], a = 0, b = 0): void => {
    out.push({ key: seriesKey(name, labels), kind, a, b });
  };
  const transports = ['ws', 'sse', 'longpoll'];
  add('realtime_node_info', { node_id: 'n', region: 'eu', version: '1.0.0', boot_id: 'b' }, 'const', 1);
  const gauges = [['node_draining', 0], ['node_accepting', 1], ['connection_limit', 20000], ['pubsub_connected', 1], ['drain_remaining_connections', 0]] as const;
  for (const [name, v] of gauges) add(`realtime_${name}`, {}, 'const', v);
  for (const t of transports) add('realtime_connections', { transport: t }, 'walk', 3000, 5);
  for (const s of ['online', 'away']) add('realtime_presence_users', { state: s }, 'walk', 2000, 3);
  for (const t of transports) add('realtime_connections_opened_total', { transport: t }, 'counter', 4);
  for (const t of transports) {
    for (const reason of ['client', 'heartbeat_timeout', 'slow_consumer', 'drain', 'shutdown', 'error', 'auth']) {
      add('realtime_connections_closed_total', { transport: t, reason }, 'counter', reason === 'client' ? 4 : 0.02);
    }
  }
  for (const t of transports) add('realtime_reconnects_total', { transport: t }, 'counter', 0.5);
  add('realtime_resume_replayed_messages_total', {}, 'counter', 20);
  add('realtime_resume_gaps_total', {}, 'counter', 0.01);
  add('realtime_messages_published_total', {}, 'counter', 300);
  for (const t of transports) add('realtime_messages_delivered_total', { transport: t }, 'counter', 2000);
  for (const reason of ['slow_consumer', 'buffer_full', 'rate_limited', 'invalid']) add('realtime_messages_dropped_total', { reason }, 'counter', 0.05);
  for (const to of ['online', 'away', 'offline']) add('realtime_presence_transitions_total', { to }, 'counter', 2);
  for (const t of transports) add('realtime_heartbeat_timeouts_total', { transport: t }, 'counter', 0.1);
  for (const [action, outcome] of [['drain', 'accepted'], ['drain', 'rejected'], ['undrain', 'accepted'], ['restart', 'accepted'], ['restart', 'rejected']]) {
    add('realtime_admin_requests_total', { action, outcome }, 'counter', 0.001);
  }
  HISTOGRAMS.forEach((h, i) => {
    LE.forEach((le, b) => add(`${h.name}_bucket`, { le }, 'bucket', i, b));
    add(`${h.name}_sum`, {}, 'sum', i);
    add(`${h.name}_count`, {}, 'count', i);
  });
  add('process_cpu_seconds_total', {}, 'cpu', 0.05);
  add('process_resident_memory_bytes', {}, 'walk', 180_000_000, 40_960);
  add('nodejs_heap_size_used_bytes', {}, 'walk', 90_000_000, 200_000);
  add('nodejs_eventloop_lag_p99_seconds', {}, 'float', 0.01);
  add('nodejs_eventloop_lag_seconds', {}, 'float', 0.002);
  for (const space of ['new', 'old', 'code', 'map', 'large_object']) add('nodejs_heap_space_size_used_bytes', { space }, 'walk', 10_000_000, 50_000);
  add('nodejs_active_handles_total', {}, 'walk', 9000, 20);
  add('nodejs_active_requests_total', {}, 'walk', 5, 2);
  add('process_open_fds', {}, 'walk', 9050, 20);
  return out;
}

/** Exponential latencies: share of observations <= each bound, P(x <= le) = 1 − exp(−le / scale). */
const CDF = HISTOGRAMS.map((h) => LE.map((le) => (le === '+Inf' ? 1 : 1 - Math.exp(-Number(le) / h.scale))));

/**
 * Advances one node by a second, writing every series' value into `out` (state kept in
 * `out` itself and `hist`: cumulative buckets, then sum and count, per histogram).
 * Allocation-free, so the benchmark's own garbage does not inflate the process.
 */
function step(specs: readonly Spec[], r: () => number, out: Float64Array, hist: Float64Array): void {
  const stride = LE.length + 2;
  for (let h = 0; h < HISTOGRAMS.length; h++) {
    const n = Math.round(HISTOGRAMS[h].perSecond * (0.8 + 0.4 * r()));
    let below = 0;
    for (let b = 0; b < LE.length; b++) {
      const share = b === LE.length - 1 ? n : Math.min(n, Math.max(below, Math.round(n * CDF[h][b] * (0.97 + 0.06 * r()))));
      hist[h * stride + b] += share;
      below = share;
    }
    hist[h * stride + LE.length] += n * HISTOGRAMS[h].scale * (0.9 + 0.2 * r());
    hist[h * stride + LE.length + 1] += n;
  }
  for (let k = 0; k < specs.length; k++) {
    const { kind, a, b } = specs[k];
    const v = out[k];
    switch (kind) {
      case 'const': out[k] = a; break;
      case 'walk': out[k] = Math.max(0, (v === 0 ? a : v) + Math.round((r() - 0.5) * 2 * b)); break;
      case 'counter': out[k] = v + (a >= 1 ? Math.round(a * (0.8 + 0.4 * r())) : r() < a ? 1 : 0); break;
      case 'float': out[k] = a * (0.5 + r()); break;
      case 'cpu': out[k] = v + a * (0.6 + 0.8 * r()); break;
      case 'bucket': out[k] = hist[a * stride + b]; break;
      case 'sum': out[k] = hist[a * stride + LE.length]; break;
      case 'count': out[k] = hist[a * stride + LE.length + 1]; break;
    }
  }
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Fills `store` with `nodes` nodes for SAMPLES seconds. @returns appends per second (append calls only). */
function fill(store: SeriesStore, nodes: number): { appendsPerSec: number; seriesPerNode: number } {
  const specs = nodeSpecs();
  const keys = specs.map((sp) => sp.key);
  const seriesPerNode = specs.length;
  const rnds = Array.from({ length: nodes }, (_, i) => prng(i + 1));
  const phase = Array.from({ length: nodes }, (_, i) => Math.floor(rnds[i]() * STEP_MS));
  const targets = Array.from({ length: nodes }, (_, i) => `node-${String(i).padStart(3, '0')}`);
  const values = Array.from({ length: nodes }, () => new Float64Array(seriesPerNode));
  const hists = Array.from({ length: nodes }, () => new Float64Array(HISTOGRAMS.length * (LE.length + 2)));
  const times = new Float64Array(nodes);
  let appendMs = 0;
  for (let s = 0; s < SAMPLES; s++) {
    for (let n = 0; n < nodes; n++) {
      times[n] = T0 + s * STEP_MS + phase[n] + Math.floor(rnds[n]() * 5); // scrape jitter 0–4 ms
      step(specs, rnds[n], values[n], hists[n]);
    }
    const start = performance.now(); // only the appends are timed, not the data generation
    for (let n = 0; n < nodes; n++) for (let k = 0; k < seriesPerNode; k++) store.append(targets[n], keys[k], times[n], values[n][k]);
    appendMs += performance.now() - start;
  }
  return { appendsPerSec: Math.round((nodes * seriesPerNode * SAMPLES) / (appendMs / 1000)), seriesPerNode };
}

interface Latency { p50: number; p99: number; cpuP99: number }

/**
 * p50/p99 wall ms and p99 CPU ms of the chart queries: raw 1 h range, 1 h → 800 min/max,
 * 1 h → 800 LTTB, fleet sum → 800 min/max. Wall time includes being descheduled on a
 * busy machine; CPU time (this process, GC threads included) does not.
 */
function queries(store: SeriesStore, fleetKey: string, runs: number): { range: Latency; minMax: Latency; lttb: Latency; fleet: Latency; fleetSeries: number } {
  const targets = store.targets();
  const keys = store.keys(targets[0]);
  const [from, to, r] = [T0, T0 + SAMPLES * STEP_MS + STEP_MS, prng(99)];
  const [range, minMax, line, fleet]: Timing[] = [[[], []], [[], []], [[], []], [[], []]];
  for (let i = 0; i < runs; i++) {
    const series = store.get(targets[Math.floor(r() * targets.length)], keys[Math.floor(r() * keys.length)]);
    if (series === undefined) throw new Error('bench: series missing');
    time(range, () => readRange(series, from, to));
    time(minMax, () => minMaxBuckets(series, from, to, WIDTH));
    time(line, () => lttb(readRange(series, from, to), WIDTH));
  }
  const fleetSeries = store.seriesAcrossTargets(fleetKey);
  for (let i = 0; i < Math.max(20, runs / 5); i++) time(fleet, () => minMaxBuckets(sumAtSteps(fleetSeries, from, to, STEP_MS), from, to, WIDTH));
  return { range: latency(range), minMax: latency(minMax), lttb: latency(line), fleet: latency(fleet), fleetSeries: fleetSeries.length };
}

/** Wall and CPU milliseconds of repeated runs. */
type Timing = [number[], number[]];

function time(into: Timing, fn: () => void): void {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  fn();
  into[0].push(performance.now() - start);
  const cpu = process.cpuUsage(cpu0);
  into[1].push((cpu.user + cpu.system) / 1000);
}

function latency([wall, cpu]: Timing): Latency {
  const at = (ms: number[], q: number): number => {
    const sorted = [...ms].sort((a, b) => a - b);
    return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * q) - 1)] * 1000) / 1000;
  };
  return { p50: at(wall, 0.5), p99: at(wall, 0.99), cpuP99: at(cpu, 0.99) };
}

/** Bytes a sample for noise: random float values and jittered timestamps (incompressible). */
function worstCaseBytesPerSample(): number {
  const s = new CompressedSeries(SAMPLES);
  const r = prng(7);
  for (let i = 0; i < SAMPLES; i++) s.append(T0 + i * STEP_MS + Math.floor(r() * 5), r() * 1000);
  return Math.round((s.usedBytes() / SAMPLES) * 100) / 100;
}

function newSpaceBytes(): number {
  return getHeapSpaceStatistics().find((sp) => sp.space_name === 'new_space')?.space_size ?? 0;
}

const RSS_BUDGET_BYTES = 300_000_000;

/** Runs the benchmark; see the file comment. Takes about half a minute; async for callers that await benchmarks. */
export async function benchStore(): Promise<{
  nodes: number; seriesPerNode: number; samplesPerSeries: number; heapUsedBytes: number; rssBytes: number;
  appendsPerSec: number; rangeQueryP99Ms: number; downsampleP99Ms: number; [extra: string]: unknown;
}> {
  const fleetKey = seriesKey('realtime_connections', { transport: 'ws' });
  gc();
  const rssBeforeFillBytes = process.memoryUsage().rss;
  const store = new SeriesStore({ retentionMs: SAMPLES * STEP_MS, resolutionMs: STEP_MS });
  const { appendsPerSec, seriesPerNode } = fill(store, NODES);
  gc();
  const mem = process.memoryUsage();
  const v8NewSpaceBytes = newSpaceBytes();
  // The young generation V8 grew during the fill (the burst of 20,000 series creations)
  // is in this RSS; V8's memory reducer usually gives it back after ~10 quiet seconds.
  const samples = store.seriesCount() * SAMPLES;
  const approxBytes = store.approxBytes();
  const stats = store.stats();
  if (stats.ok !== samples) throw new Error(`bench: ${stats.ok} appends accepted, expected ${samples}`);
  const q = queries(store, fleetKey, 400);

  // Baseline in the same run: the plain ring on 10 nodes (16 B a sample; 200 nodes would need ~1.2 GB).
  const plain = new SeriesStore({ retentionMs: SAMPLES * STEP_MS, resolutionMs: STEP_MS, encoding: 'plain' });
  const plainFill = fill(plain, 10);
  const plainQ = queries(plain, fleetKey, 400);

  return {
    nodes: NODES,
    seriesPerNode,
    samplesPerSeries: SAMPLES,
    heapUsedBytes: mem.heapUsed,
    rssBytes: mem.rss,
    appendsPerSec,
    rangeQueryP99Ms: q.range.p99,
    downsampleP99Ms: q.minMax.p99,
    fleetSumDownsampleP99Ms: q.fleet.p99,
    lttbP99Ms: q.lttb.p99,
    rangeQueryP50Ms: q.range.p50,
    downsampleP50Ms: q.minMax.p50,
    fleetSumDownsampleP50Ms: q.fleet.p50,
    lttbP50Ms: q.lttb.p50,
    rangeQueryCpuP99Ms: q.range.cpuP99,
    downsampleCpuP99Ms: q.minMax.cpuP99,
    fleetSumDownsampleCpuP99Ms: q.fleet.cpuP99,
    fleetSumSeries: q.fleetSeries,
    rssBudgetBytes: RSS_BUDGET_BYTES,
    withinBudget: mem.rss <= RSS_BUDGET_BYTES,
    rssBeforeFillBytes,
    arrayBuffersBytes: mem.arrayBuffers,
    v8NewSpaceBytes,
    storeApproxBytes: approxBytes,
    bytesPerSample: Math.round((approxBytes / samples) * 100) / 100,
    worstCaseBytesPerSample: worstCaseBytesPerSample(),
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
    loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
    baselinePlain: {
      nodes: 10, appendsPerSec: plainFill.appendsPerSec,
      bytesPerSample: Math.round((plain.approxBytes() / (plain.seriesCount() * SAMPLES)) * 100) / 100,
      rangeQueryP99Ms: plainQ.range.p99, downsampleP99Ms: plainQ.minMax.p99, lttbP99Ms: plainQ.lttb.p99,
      fleetSumDownsampleP99Ms: plainQ.fleet.p99, downsampleP50Ms: plainQ.minMax.p50, fleetSumDownsampleP50Ms: plainQ.fleet.p50,
      downsampleCpuP99Ms: plainQ.minMax.cpuP99, fleetSumDownsampleCpuP99Ms: plainQ.fleet.cpuP99,
    },
  };
}

if (require.main === module) {
  benchStore().then(
    (result) => console.log(JSON.stringify(result)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
