import { readFileSync } from 'node:fs';

/** Quantiles of a sample, in the sample's unit. */
export interface Quantiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** Nearest-rank quantiles; NaN entries (unparseable samples) are left out. All 0 when empty. */
export function quantiles(sample: readonly number[]): Quantiles {
  const sorted = Float64Array.from(sample.filter((x) => !Number.isNaN(x))).sort();
  const n = sorted.length;
  if (n === 0) return { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  const at = (q: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))];
  return { count: n, p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: sorted[n - 1] };
}

/** Rounds to `digits` decimals (for the JSON report). */
export const round = (x: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; NaN when unreadable. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** Busy CPU seconds of the whole machine so far (every core, every process), from /proc/stat. */
export function machineBusySeconds(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
    // cpu user nice system idle iowait irq softirq steal …: busy = all but idle and iowait.
    const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
    return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** USER_HZ: 100 on every Linux build that matters (getconf CLK_TCK). */
const CLOCK_TICKS = 100;

/**
 * Per-second counts from samples of a growing counter ([ms since start, value], in time
 * order): the counts of fixed 1 s buckets from the start, their maximum, and the maximum
 * over any 1 s window (at the samples' resolution).
 */
export function peakPerSecond(samples: ReadonlyArray<readonly [number, number]>): { buckets: number[]; peakFixed: number; peakSliding: number } {
  if (samples.length === 0) return { buckets: [], peakFixed: 0, peakSliding: 0 };
  /** Value of the counter at `ms`: the last sample taken at or before it. */
  const at = (ms: number) => {
    let v = samples[0][1];
    for (const [t, x] of samples) {
      if (t > ms) break;
      v = x;
    }
    return v;
  };
  const end = samples[samples.length - 1][0];
  const buckets: number[] = [];
  for (let s = 0; s * 1000 < end; s++) buckets.push(at((s + 1) * 1000) - at(s * 1000));
  let peakSliding = 0;
  let j = 0;
  for (let i = 0; i < samples.length; i++) {
    while (j + 1 < samples.length && samples[j + 1][0] <= samples[i][0] + 1000) j++;
    peakSliding = Math.max(peakSliding, samples[j][1] - samples[i][1]);
  }
  return { buckets, peakFixed: Math.max(0, ...buckets), peakSliding };
}

/**
 * CPU (in cores) used over `ms` by processes other than `pids`: the machine is shared, and
 * other work on its 2 cores skews every throughput figure.
 */
export async function otherLoad(pids: () => number[], ms: number): Promise<number> {
  const own = () => pids().reduce((a, pid) => a + (cpuSeconds(pid) || 0), 0);
  const m0 = machineBusySeconds();
  const o0 = own();
  await new Promise((r) => setTimeout(r, ms));
  return Math.max(0, (machineBusySeconds() - m0 - (own() - o0)) / (ms / 1000));
}

/** Waits (at most `maxWaitMs`) for other work on the machine to fall under `cores`; returns the last reading. */
export async function awaitQuiet(pids: () => number[], cores: number, maxWaitMs: number): Promise<number> {
  const until = Date.now() + maxWaitMs;
  let load = await otherLoad(pids, 500);
  while (load > cores && Date.now() < until) load = await otherLoad(pids, 500);
  return load;
}

/** TcpExt ListenOverflows of the machine so far (connections dropped because an accept queue was full); NaN when unreadable. */
export function listenOverflows(): number {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
    for (let i = 0; i + 1 < lines.length; i += 2) {
      const names = lines[i].trim().split(/\s+/);
      const values = lines[i + 1].trim().split(/\s+/);
      const at = names.indexOf('ListenOverflows');
      if (names[0] === 'TcpExt:' && at > 0) return Number(values[at]);
    }
  } catch {
    // no /proc
  }
  return NaN;
}
