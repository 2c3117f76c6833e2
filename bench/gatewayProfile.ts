/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and says where the time went: self time per
 * function, and total (inclusive) time of the gateway's own functions, in % of samples.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** One function's share of the samples. */
export interface ProfileEntry {
  fn: string;
  /** Path relative to the repo (or a Node-internal / native name), with the 1-based line. */
  where: string;
  selfPct: number;
  totalPct: number;
}

export interface ProfileSummary {
  file: string;
  /** Span and number of the samples summarized. */
  seconds: number;
  samples: number;
  /** Samples spent idle (waiting in the event loop) and in GC. */
  idlePct: number;
  gcPct: number;
  /** Highest self time, anywhere. */
  topSelf: ProfileEntry[];
  /** src/fleet/gateway (and src/fleet/protocol) functions by total time: what the owner can change. */
  gateway: ProfileEntry[];
  /** Self time grouped by where the code lives (gateway source, ws, Node internals, native, ...). */
  byArea: Record<string, number>;
}

/** The newest .cpuprofile in `dir`. */
export function newestProfile(dir: string): string | null {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  return files.length > 0 ? join(dir, files[files.length - 1]) : null;
}

/**
 * @param windowUs only samples taken in [start, end] (CLOCK_MONOTONIC µs, the profile's own
 *   clock): the measured run, without start-up and shutdown
 */
export function summarizeProfile(file: string, repoRoot: string, windowUs: [number, number] | null, top = 15): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const hits = new Map<number, number>();
  let t = p.startTime;
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    if (windowUs && (t < windowUs[0] || t > windowUs[1])) continue;
    first = Math.min(first, t);
    last = Math.max(last, t);
    hits.set(p.samples[i], (hits.get(p.samples[i]) ?? 0) + 1);
  }
  let counted = 0;
  for (const h of hits.values()) counted += h;
  const total = Math.max(1, counted);
  const where = (n: ProfileNode) => {
    const url = n.callFrame.url.replace(/^file:\/\//, '').replace(`${repoRoot}/`, '');
    if (!url) return '(native)';
    // Repo files run through tsx: its output lines do not match the source, so name the file only.
    if (!url.startsWith('node:') && !url.includes('node_modules/')) return url;
    return `${url.replace(/^.*node_modules\//, 'node_modules/')}:${n.callFrame.lineNumber + 1}`;
  };
  const key = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'}@${where(n)}`;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const area = new Map<string, number>();
  const meta = new Map<string, { fn: string; where: string }>();

  // Depth-first with the stack of keys on the path: a sample counts once for every distinct
  // function on its stack (recursion is not counted twice).
  const root = p.nodes[0];
  const onStack = new Map<string, number>();
  const visit = (n: ProfileNode) => {
    const k = key(n);
    meta.set(k, { fn: n.callFrame.functionName || '(anonymous)', where: where(n) });
    onStack.set(k, (onStack.get(k) ?? 0) + 1);
    const h = hits.get(n.id) ?? 0;
    if (h > 0) {
      self.set(k, (self.get(k) ?? 0) + h);
      area.set(areaOf(where(n), n.callFrame.functionName), (area.get(areaOf(where(n), n.callFrame.functionName)) ?? 0) + h);
      for (const sk of onStack.keys()) inclusive.set(sk, (inclusive.get(sk) ?? 0) + h);
    }
    for (const c of n.children ?? []) {
      const child = byId.get(c);
      if (child) visit(child);
    }
    const left = (onStack.get(k) ?? 1) - 1;
    if (left === 0) onStack.delete(k);
    else onStack.set(k, left);
  };
  visit(root);

  const pctOf = (x: number) => Math.round((x / total) * 1000) / 10;
  const entry = (k: string): ProfileEntry => {
    const m = meta.get(k) ?? { fn: k, where: '' };
    return { fn: m.fn, where: m.where, selfPct: pctOf(self.get(k) ?? 0), totalPct: pctOf(inclusive.get(k) ?? 0) };
  };
  const sortedBy = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);
  const special = (name: string) => pctOf([...self.entries()].filter(([k]) => k.startsWith(`${name}@`)).reduce((a, [, v]) => a + v, 0));
  return {
    file,
    seconds: counted > 0 ? (last - first) / 1e6 : 0,
    samples: counted,
    idlePct: special('(idle)'),
    gcPct: special('(garbage collector)'),
    topSelf: sortedBy(self).filter((k) => !k.startsWith('(idle)@')).slice(0, top).map(entry),
    gateway: sortedBy(inclusive)
      .filter((k) => /@src\/fleet\/(gateway|protocol)\//.test(k))
      .slice(0, top)
      .map(entry),
    byArea: Object.fromEntries([...area.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, pctOf(v)])),
  };
}

function areaOf(where: string, fn: string): string {
  if (where.startsWith('src/fleet/')) return 'src/fleet (gateway code)';
  if (where.startsWith('node_modules/ws/')) return 'ws';
  if (where.startsWith('node_modules/prom-client/')) return 'prom-client';
  if (where.startsWith('node_modules/')) return 'other node_modules';
  if (where.startsWith('node:')) return 'Node.js internals (JS)';
  if (fn === '(idle)') return 'idle';
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(program)') return 'V8/native (program)';
  return 'native (syscalls, libuv, C++ builtins)';
}
