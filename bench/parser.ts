// Parser throughput: our exposition parser against the `parse-prometheus-text-format`
// npm package and against JSON.parse of the same data, on one input in one run.
// Run: node bin/run-ts.cjs bench/parser.ts  (last stdout line is the JSON result)

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { parseExposition } from '../src/main/core/sources/metrics/parseExposition';

/** Figures in MB/s of each parser's own input (MB = 10^6 bytes, per CPU second), best process. */
export interface ParserBenchResult {
  parserMBps: number;
  libParserMBps: number;
  jsonParseMBps: number;
  /** parserMBps / libParserMBps; the console needs at least 10. */
  parserVsLib: number;
  /** parserMBps / jsonParseMBps, each on its own input; the console needs at least 0.5. */
  parserVsJsonParse: number;
  /** Size of the text exposition, in bytes (the JSON equivalent is larger). */
  inputBytes: number;
}

interface FamilySpec {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  help: string;
  /** 'one' for an info-style gauge (=1), 'flag' for a 0/1 gauge. */
  values?: 'one' | 'flag';
  /** Label name → values; a family has one series per combination. */
  labels?: Record<string, string[]>;
  buckets?: number[];
}

const TRANSPORTS = ['ws', 'sse', 'longpoll'];
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const GC_BUCKETS = [0.001, 0.01, 0.1, 1, 2, 5];
const HEAP_SPACES = ['read_only', 'new', 'old', 'code', 'shared', 'new_large_object', 'large_object', 'code_large_object', 'shared_large_object'];

/** The fleet contract's realtime_* metrics, then prom-client's default metrics. */
const FAMILIES: FamilySpec[] = [
  { name: 'realtime_node_info', type: 'gauge', values: 'one', help: 'Node identity.', labels: { version: ['1.4.2'], boot_id: ['b7f3c1d2-5e6f-4a8b-9c0d-1e2f3a4b5c6d'] } },
  { name: 'realtime_node_draining', type: 'gauge', values: 'flag', help: 'The node is draining or drained.' },
  { name: 'realtime_node_accepting', type: 'gauge', values: 'flag', help: 'The node accepts new client connections.' },
  { name: 'realtime_connection_limit', type: 'gauge', help: 'Configured maximum of concurrent connections.' },
  { name: 'realtime_connections', type: 'gauge', help: 'Open client connections now.', labels: { transport: TRANSPORTS } },
  { name: 'realtime_connections_opened_total', type: 'counter', help: 'Client connections opened.', labels: { transport: TRANSPORTS } },
  {
    name: 'realtime_connections_closed_total', type: 'counter', help: 'Client connections closed, by reason.',
    labels: { transport: TRANSPORTS, reason: ['client', 'heartbeat_timeout', 'slow_consumer', 'drain', 'shutdown', 'error', 'auth'] },
  },
  { name: 'realtime_reconnects_total', type: 'counter', help: 'Connections that arrived with a resume position.', labels: { transport: TRANSPORTS } },
  { name: 'realtime_resume_replayed_messages_total', type: 'counter', help: 'Messages replayed to resuming clients.' },
  { name: 'realtime_resume_gaps_total', type: 'counter', help: 'Resumes older than the history kept.' },
  { name: 'realtime_messages_published_total', type: 'counter', help: 'Messages published.' },
  { name: 'realtime_messages_delivered_total', type: 'counter', help: 'Messages delivered.', labels: { transport: TRANSPORTS } },
  { name: 'realtime_messages_dropped_total', type: 'counter', help: 'Messages dropped.', labels: { reason: ['slow_consumer', 'buffer_full', 'rate_limited', 'invalid'] } },
  { name: 'realtime_delivery_latency_seconds', type: 'histogram', help: 'Publish accepted to written to the client socket.', buckets: LATENCY_BUCKETS },
  { name: 'realtime_pubsub_lag_seconds', type: 'histogram', help: 'Published on the bus to received by this node.', buckets: LATENCY_BUCKETS },
  { name: 'realtime_pubsub_connected', type: 'gauge', values: 'flag', help: 'The bus link is up.' },
  { name: 'realtime_presence_users', type: 'gauge', help: 'Users present through this node.', labels: { state: ['online', 'away'] } },
  { name: 'realtime_presence_transitions_total', type: 'counter', help: 'Presence transitions.', labels: { to: ['online', 'away', 'offline'] } },
  { name: 'realtime_heartbeat_timeouts_total', type: 'counter', help: 'Zombie connections closed.', labels: { transport: TRANSPORTS } },
  { name: 'realtime_drain_remaining_connections', type: 'gauge', help: 'Connections still open during a drain.' },
  {
    name: 'realtime_admin_requests_total', type: 'counter', help: 'Admin API requests.',
    labels: { action: ['drain', 'undrain', 'restart', 'status'], outcome: ['accepted', 'rejected', 'unauthorized'] },
  },
  { name: 'process_cpu_user_seconds_total', type: 'counter', help: 'Total user CPU time spent in seconds.' },
  { name: 'process_cpu_system_seconds_total', type: 'counter', help: 'Total system CPU time spent in seconds.' },
  { name: 'process_cpu_seconds_total', type: 'counter', help: 'Total user and system CPU time spent in seconds.' },
  { name: 'process_start_time_seconds', type: 'gauge', help: 'Start time of the process since unix epoch in seconds.' },
  { name: 'process_resident_memory_bytes', type: 'gauge', help: 'Resident memory size in bytes.' },
  { name: 'process_virtual_memory_bytes', type: 'gauge', help: 'Virtual memory size in bytes.' },
  { name: 'process_heap_bytes', type: 'gauge', help: 'Process heap size in bytes.' },
  { name: 'process_open_fds', type: 'gauge', help: 'Number of open file descriptors.' },
  { name: 'process_max_fds', type: 'gauge', help: 'Maximum number of open file descriptors.' },
  ...['', '_min', '_max', '_mean', '_stddev', '_p50', '_p90', '_p99'].map((s): FamilySpec => ({
    name: `nodejs_eventloop_lag${s}_seconds`, type: 'gauge', help: 'Event loop delay statistic, in seconds.',
  })),
  { name: 'nodejs_active_resources', type: 'gauge', help: 'Active resources keeping the event loop alive.', labels: { type: ['TCPSocketWrap', 'Timeout', 'Immediate', 'FSReqCallback'] } },
  { name: 'nodejs_active_resources_total', type: 'gauge', help: 'Total number of active resources.' },
  { name: 'nodejs_active_handles', type: 'gauge', help: 'Number of active libuv handles grouped by handle type.', labels: { type: ['Socket', 'Server'] } },
  { name: 'nodejs_active_handles_total', type: 'gauge', help: 'Total number of active handles.' },
  { name: 'nodejs_heap_size_total_bytes', type: 'gauge', help: 'Process heap size from Node.js in bytes.' },
  { name: 'nodejs_heap_size_used_bytes', type: 'gauge', help: 'Process heap size used from Node.js in bytes.' },
  { name: 'nodejs_external_memory_bytes', type: 'gauge', help: 'Node.js external memory size in bytes.' },
  ...['total', 'used', 'available'].map((k): FamilySpec => ({
    name: `nodejs_heap_space_size_${k}_bytes`, type: 'gauge', help: `Process heap space size ${k} from Node.js in bytes.`, labels: { space: HEAP_SPACES },
  })),
  { name: 'nodejs_version_info', type: 'gauge', values: 'one', help: 'Node.js version info.', labels: { version: ['v20.20.2'], major: ['20'], minor: ['20'], patch: ['2'] } },
  { name: 'nodejs_gc_duration_seconds', type: 'histogram', help: 'Garbage collection duration by kind.', labels: { kind: ['minor', 'major', 'incremental', 'weakcb'] }, buckets: GC_BUCKETS },
];

/** Deterministic pseudo-random numbers (mulberry32), so every run parses the same text. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function combinations(labels: Record<string, string[]> | undefined): string[] {
  let out = [''];
  for (const [name, values] of Object.entries(labels ?? {})) {
    out = out.flatMap((prefix) => values.map((v) => `${prefix},${name}="${v}"`));
  }
  return out;
}

/**
 * A fleet's worth of node expositions merged into one valid 0.0.4 document: every
 * series gets a `node_id` label, so each node's samples stay distinct series of the
 * same families. prom-client's layout: HELP, TYPE, samples, blank line.
 */
export function fleetExposition(nodes: number): string {
  const rand = prng(42);
  const parts: string[] = [];
  for (const f of FAMILIES) {
    parts.push(`# HELP ${f.name} ${f.help}\n# TYPE ${f.name} ${f.type}\n`);
    for (let n = 0; n < nodes; n++) {
      const node = `node_id="gw-${String(n).padStart(3, '0')}"`;
      for (const extra of combinations(f.labels)) {
        const labels = node + extra;
        if (f.buckets === undefined) {
          const v = f.values === 'one' ? 1
            : f.values === 'flag' ? Number(rand() < 0.1)
              : f.type === 'counter' ? Math.floor(rand() * 1e7) : Math.round(rand() * 1e6) / 1000;
          parts.push(`${f.name}{${labels}} ${v}\n`);
          continue;
        }
        let count = 0;
        for (const le of [...f.buckets, '+Inf']) {
          count += Math.floor(rand() * 500);
          parts.push(`${f.name}_bucket{le="${le}",${labels}} ${count}\n`);
        }
        parts.push(`${f.name}_sum{${labels}} ${(count * rand() * 0.05).toFixed(6)}\n${f.name}_count{${labels}} ${count}\n`);
      }
    }
    parts.push('\n');
  }
  return parts.join('');
}

/** CPU seconds used by this process so far (user + system). */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * Iterations of `run` for at least `seconds` of CPU; returns MB/s over `bytes` per
 * iteration. CPU time, not wall time: on a shared machine the process is often
 * descheduled, which says nothing about the parser.
 */
function timeRound(bytes: number, run: () => unknown, seconds: number): number {
  let iterations = 0;
  const start = cpuSeconds();
  let elapsed = 0;
  do {
    run();
    iterations++;
    elapsed = cpuSeconds() - start;
  } while (elapsed < seconds || iterations < 3);
  return (bytes * iterations) / elapsed / 1e6;
}

type Contender = 'parser' | 'lib' | 'json';
const CONTENDERS: readonly Contender[] = ['parser', 'lib', 'json'];
const NODES = 100;

/**
 * MB/s of one contender in this process: warm up (JIT and heap), then the best of
 * a few rounds. Every contender builds the same inputs first.
 */
function measureHere(contender: Contender): number {
  const text = fleetExposition(NODES);
  const parsed = parseExposition(text);
  if (!parsed.ok) throw new Error(`benchmark input does not parse: ${parsed.error.message}`);
  const json = JSON.stringify(parsed.value);
  const run = contender === 'parser' ? () => parseExposition(text) : contender === 'lib' ? () => parsePrometheusTextFormat(text) : () => JSON.parse(json);
  const bytes = Buffer.byteLength(contender === 'json' ? json : text);
  let best = 0;
  for (let r = 0; r < 6; r++) {
    const mbps = timeRound(bytes, run, 0.25);
    if (r >= 2) best = Math.max(best, mbps);
  }
  return best;
}

/**
 * MB/s of one contender in a fresh process. Isolation matters: V8 sizes its young
 * generation to the work it has seen, and how a parser whose output survives fares
 * (±40% for any of these) depends on the heap history, not on the parser alone.
 */
function measureInChild(contender: Contender): number {
  const runner = path.resolve(__dirname, '../bin/run-ts.cjs');
  const child = spawnSync(process.execPath, [runner, __filename, '--contender', contender], { encoding: 'utf8' });
  const mbps = Number(child.stdout.trim().split('\n').at(-1));
  if (child.status !== 0 || !Number.isFinite(mbps)) throw new Error(`${contender} benchmark failed: ${child.stderr.trim()}`);
  return mbps;
}

/**
 * Measures the three parsers on a ~1.4 MB fleet exposition (and its JSON
 * equivalent): each in its own processes, taking turns so every contender sees
 * the same share of a noisy machine, best process each.
 */
export async function benchParser(processesPerContender = 3): Promise<ParserBenchResult> {
  const text = fleetExposition(NODES);
  const parsed = parseExposition(text);
  if (!parsed.ok) throw new Error(`benchmark input does not parse: ${parsed.error.message}`);
  const libFamilies = parsePrometheusTextFormat(text).length;
  if (libFamilies !== parsed.value.families.length) {
    throw new Error(`parsers disagree: ${libFamilies} vs ${parsed.value.families.length} families`);
  }
  const best: Record<Contender, number> = { parser: 0, lib: 0, json: 0 };
  for (let p = 0; p < processesPerContender; p++) {
    for (const c of CONTENDERS) best[c] = Math.max(best[c], measureInChild(c));
  }
  const round = (x: number): number => Math.round(x * 100) / 100;
  return {
    parserMBps: round(best.parser),
    libParserMBps: round(best.lib),
    jsonParseMBps: round(best.json),
    parserVsLib: round(best.parser / best.lib),
    parserVsJsonParse: round(best.parser / best.json),
    inputBytes: Buffer.byteLength(text),
  };
}

// bin/run-ts.cjs loads this file with require(), so require.main is the runner; argv says who was asked for.
const isMain = require.main === module || path.resolve(process.argv[1] ?? '') === __filename;
if (isMain) {
  const flag = process.argv.indexOf('--contender');
  const contender = flag > 0 ? process.argv[flag + 1] : undefined;
  if (contender !== undefined) {
    if (!(CONTENDERS as readonly string[]).includes(contender)) throw new Error(`unknown contender ${contender}`);
    console.log(measureHere(contender as Contender));
  } else {
    benchParser().then(
      (result) => console.log(JSON.stringify(result)),
      (err: unknown) => {
        console.error(err instanceof Error ? err.message : String(err));
        process.exitCode = 1;
      },
    );
  }
}
