/**
 * What grows in the UI's heap: opens the console like bench:ui (serve mode, 200 light fake
 * nodes, real Chromium), takes a heap snapshot (after a forced GC) when the console is
 * BENCH_UI_HEAP_START_S old (default 120) and another BENCH_UI_HEAP_MINUTES later
 * (default 5; BENCH_UI_RENDERER_DIR as in bench:ui), reads the heap after a
 * forced GC every 30 s in between (a fill flattens, a leak does not), and prints what grew
 * most between the snapshots: by constructor (count, self size), the strings, the objects
 * born between the two snapshots that are still alive, and sample retainer paths of those.
 *   node bin/run-ts.cjs bench/uiHeap.ts                  # run and compare
 *   node bin/run-ts.cjs bench/uiHeap.ts a.heapsnapshot b.heapsnapshot   # compare saved ones
 * Snapshots are kept in a temp dir (printed). Last stdout line: one JSON object.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log, openConsole, runBench, sleep, stopProbes } from './ui';

const START_S = Number(process.env.BENCH_UI_HEAP_START_S ?? 120);
const MINUTES = Number(process.env.BENCH_UI_HEAP_MINUTES ?? 5);
const TOP = Number(process.env.BENCH_UI_HEAP_TOP ?? 25);

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]]; edge_fields: string[]; edge_types: [string[], ...unknown[]] }; node_count: number };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** One snapshot, flattened into columns. */
export class Heap {
  readonly n: number;
  readonly type: string[];
  readonly name: Int32Array;
  readonly id: Float64Array;
  readonly self: Float64Array;
  readonly detached: Uint8Array;
  readonly firstEdge: Int32Array;
  readonly strings: string[];
  readonly edgeType: string[];
  readonly edges: number[];
  readonly ef: number;
  readonly nodeTypes: string[];
  private readonly nf: number;
  private parent: Int32Array | null = null;
  private parentEdge: Int32Array | null = null;

  constructor(s: Snapshot) {
    const m = s.snapshot.meta;
    const nf = (this.nf = m.node_fields.length);
    const f = (k: string) => m.node_fields.indexOf(k);
    const [T, N, I, S, E, D] = [f('type'), f('name'), f('id'), f('self_size'), f('edge_count'), f('detachedness')];
    this.nodeTypes = m.node_types[0];
    this.edgeType = m.edge_types[0];
    this.ef = m.edge_fields.length;
    this.n = s.nodes.length / nf;
    this.type = new Array<string>(this.n);
    this.name = new Int32Array(this.n);
    this.id = new Float64Array(this.n);
    this.self = new Float64Array(this.n);
    this.detached = new Uint8Array(this.n);
    this.firstEdge = new Int32Array(this.n + 1);
    let e = 0;
    for (let i = 0; i < this.n; i++) {
      const o = i * nf;
      this.type[i] = this.nodeTypes[s.nodes[o + T]];
      this.name[i] = s.nodes[o + N];
      this.id[i] = s.nodes[o + I];
      this.self[i] = s.nodes[o + S];
      this.detached[i] = D >= 0 ? s.nodes[o + D] : 0;
      this.firstEdge[i] = e;
      e += s.nodes[o + E] * this.ef;
    }
    this.firstEdge[this.n] = e;
    this.edges = s.edges;
    this.strings = s.strings;
  }

  /** Constructor-ish key: "Foo" for objects, "(closure) foo" for closures, "(string)" etc. */
  key(i: number): string {
    const t = this.type[i];
    const nm = this.strings[this.name[i]];
    if (t === 'object' || t === 'native') return nm.length > 80 ? `${nm.slice(0, 80)}…` : nm;
    if (t === 'closure') return `(closure) ${nm}`;
    if (t === 'string' || t === 'concatenated string' || t === 'sliced string') return '(string)';
    return `(${t})${t === 'hidden' || t === 'code' || t === 'array' || t === 'object shape' ? ` ${nm.slice(0, 60)}` : ''}`;
  }

  isString(i: number): boolean {
    const t = this.type[i];
    return t === 'string' || t === 'concatenated string' || t === 'sliced string';
  }

  edgeTo(e: number): number {
    return this.edges[e + 2] / this.nf;
  }

  edgeName(e: number): string {
    const t = this.edgeType[this.edges[e]];
    const v = this.edges[e + 1];
    if (t === 'element' || t === 'hidden') return `[${v}]`;
    return t === 'weak' ? `(weak ${this.strings[v] ?? v})` : String(this.strings[v]);
  }

  /** For every node, its parent on a shortest path from the root along non-weak edges (and that edge). */
  private prepare(): void {
    if (this.parent) return;
    const parent = new Int32Array(this.n).fill(-1);
    const parentEdge = new Int32Array(this.n).fill(-1);
    parent[0] = 0;
    let frontier = [0];
    while (frontier.length) {
      const next: number[] = [];
      for (const i of frontier)
        for (let e = this.firstEdge[i]; e < this.firstEdge[i + 1]; e += this.ef) {
          if (this.edgeType[this.edges[e]] === 'weak') continue;
          const to = this.edgeTo(e);
          if (parent[to] < 0) {
            parent[to] = i;
            parentEdge[to] = e;
            next.push(to);
          }
        }
      frontier = next;
    }
    this.parent = parent;
    this.parentEdge = parentEdge;
  }

  /** The shortest retainer path from a GC root to node i, as "Holder.edge" steps. */
  retainerPath(i: number, maxSteps = 12): string {
    this.prepare();
    const steps: string[] = [];
    let cur = i;
    for (let k = 0; k < maxSteps && cur !== 0; k++) {
      const p = this.parent![cur];
      if (p < 0) {
        steps.push('(unreachable)');
        break;
      }
      steps.push(`${this.key(p)}.${this.edgeName(this.parentEdge![cur])}`);
      cur = p;
    }
    return `${this.key(i)} ← ${steps.join(' ← ')}`;
  }

  /**
   * For each node that `isNew`, the nearest older object on its shortest retainer path
   * (where the new objects hang from) and the edge from it; -1 for the others.
   */
  anchors(isNew: (i: number) => boolean): { anchor: Int32Array; edge: Int32Array } {
    this.prepare();
    const anchor = new Int32Array(this.n).fill(-1);
    const edge = new Int32Array(this.n).fill(-1);
    const stack: number[] = [];
    for (let i = 0; i < this.n; i++) {
      if (!isNew(i) || anchor[i] >= 0) continue;
      let cur = i;
      while (isNew(cur) && anchor[cur] < 0 && this.parent![cur] >= 0 && cur !== 0) {
        stack.push(cur);
        cur = this.parent![cur];
      }
      let a: number;
      let ae: number;
      if (isNew(cur) && anchor[cur] >= 0) [a, ae] = [anchor[cur], edge[cur]];
      else if (isNew(cur)) [a, ae] = [cur, -1];
      else {
        a = cur;
        ae = this.parentEdge![stack[stack.length - 1] ?? cur];
      }
      while (stack.length) {
        const j = stack.pop()!;
        anchor[j] = a;
        edge[j] = ae;
      }
    }
    return { anchor, edge };
  }

  edgeLabel(e: number): string {
    return e < 0 ? '(none)' : this.edgeName(e);
  }

  /** Every non-weak edge, grouped as "Holder -edge-> Child kind" (element indexes and WeakMap pairs folded). */
  edgeGroups(): Map<string, Agg> {
    const m = new Map<string, Agg>();
    for (let i = 0; i < this.n; i++)
      for (let e = this.firstEdge[i]; e < this.firstEdge[i + 1]; e += this.ef) {
        const t = this.edgeType[this.edges[e]];
        if (t === 'weak') continue;
        const to = this.edgeTo(e);
        const nm = t === 'element' || t === 'hidden' ? `[${t}]` : this.edgeName(e).replace(/@\d+/g, '@').replace(/^\d+ \/ part of key/, 'part of key');
        const k = `${this.key(i)} -${nm}-> ${this.key(to)}`;
        const a = m.get(k);
        if (a) {
          a.count++;
          a.size += this.self[to];
        } else m.set(k, { count: 1, size: this.self[to] });
      }
    return m;
  }
}

export function load(file: string): Heap {
  return new Heap(JSON.parse(readFileSync(file, 'utf8')) as Snapshot);
}

interface Agg {
  count: number;
  size: number;
}

function aggregate(h: Heap, pick: (i: number) => boolean, keyOf: (i: number) => string): Map<string, Agg> {
  const m = new Map<string, Agg>();
  for (let i = 0; i < h.n; i++) {
    if (!pick(i)) continue;
    const k = keyOf(i);
    const a = m.get(k);
    if (a) {
      a.count++;
      a.size += h.self[i];
    } else m.set(k, { count: 1, size: h.self[i] });
  }
  return m;
}

const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
const pad = (s: string | number, w: number) => String(s).padStart(w);

function printDiff(title: string, a: Map<string, Agg>, b: Map<string, Agg>): Array<{ key: string; dCount: number; dSize: number }> {
  const keys = new Set([...a.keys(), ...b.keys()]);
  const rows = [...keys].map((key) => {
    const x = a.get(key) ?? { count: 0, size: 0 };
    const y = b.get(key) ?? { count: 0, size: 0 };
    return { key, count0: x.count, count1: y.count, dCount: y.count - x.count, size0: x.size, size1: y.size, dSize: y.size - x.size };
  });
  rows.sort((p, q) => q.dSize - p.dSize);
  const out = rows.slice(0, TOP).filter((r) => r.dSize > 0 || r.dCount > 0);
  console.log(`\n== ${title}: top ${TOP} by self-size growth`);
  console.log(`${pad('Δcount', 9)} ${pad('count0→count1', 17)} ${pad('Δsize', 11)} ${pad('size1', 11)}  key`);
  for (const r of out) console.log(`${pad(r.dCount, 9)} ${pad(`${r.count0}→${r.count1}`, 17)} ${pad(kb(r.dSize), 11)} ${pad(kb(r.size1), 11)}  ${r.key}`);
  return out.map(({ key, dCount, dSize }) => ({ key, dCount, dSize }));
}

function totals(h: Heap): { nodes: number; bytes: number; detachedDom: number } {
  let bytes = 0;
  let detachedDom = 0;
  for (let i = 0; i < h.n; i++) {
    bytes += h.self[i];
    if (h.detached[i] === 2) detachedDom++;
  }
  return { nodes: h.n, bytes, detachedDom };
}

/** Objects known to fill up (or not): counted by the properties they have. */
const SHAPES: Record<string, string[]> = {
  'chart points {x,y,value,payload} (recharts)': ['x', 'y', 'value', 'payload'],
  'selector cache nodes {s,v,o,p} (reselect)': ['s', 'v', 'o', 'p'],
  'timeline events {id,kind,ts,node}': ['id', 'kind', 'ts', 'node'],
};

/** Per shape, how many objects have all its properties; and the entries of recharts' text-size cache (an LRU). */
function shapeCounts(h: Heap): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(Object.keys(SHAPES).map((k) => [k, 0]));
  out['text-size cache entries (recharts LRU, max 2000)'] = 0;
  const names = new Set<string>();
  for (let i = 0; i < h.n; i++) {
    if (h.type[i] !== 'object') continue;
    names.clear();
    for (let e = h.firstEdge[i]; e < h.firstEdge[i + 1]; e += h.ef) names.add(h.edgeName(e));
    for (const [k, props] of Object.entries(SHAPES)) if (props.every((p) => names.has(p))) out[k]++;
    if (h.key(i) !== 'LRUCache') continue;
    for (let e = h.firstEdge[i]; e < h.firstEdge[i + 1]; e += h.ef) {
      if (h.edgeName(e) !== 'cache') continue;
      const map = h.edgeTo(e);
      for (let e2 = h.firstEdge[map]; e2 < h.firstEdge[map + 1]; e2 += h.ef) {
        if (h.edgeName(e2) !== 'table') continue;
        const t = h.edgeTo(e2);
        for (let e3 = h.firstEdge[t]; e3 < h.firstEdge[t + 1]; e3 += h.ef) if (h.isString(h.edgeTo(e3))) out['text-size cache entries (recharts LRU, max 2000)']++;
      }
    }
  }
  return out;
}

/** Compares two snapshots; returns a summary for the JSON line. */
export function compare(fileA: string, fileB: string): object {
  log(`parsing ${fileA}…`);
  const a = load(fileA);
  log(`parsing ${fileB}…`);
  const b = load(fileB);
  const ta = totals(a);
  const tb = totals(b);
  console.log(`\nsnapshot A: ${ta.nodes} nodes, ${kb(ta.bytes)} self, ${ta.detachedDom} detached DOM nodes`);
  console.log(`snapshot B: ${tb.nodes} nodes, ${kb(tb.bytes)} self, ${tb.detachedDom} detached DOM nodes`);
  const sa = shapeCounts(a);
  const sb = shapeCounts(b);
  console.log('\n== known shapes: count at A → at B');
  for (const k of Object.keys(sa)) console.log(`${pad(`${sa[k]}→${sb[k]}`, 17)}  ${k}`);
  const all = (h: Heap) => aggregate(h, () => true, (i) => h.key(i));
  const byCtor = printDiff('by constructor', all(a), all(b));
  printDiff('by holder and edge (Holder -edge-> child)', a.edgeGroups(), b.edgeGroups());
  const str = (h: Heap) => aggregate(h, (i) => h.isString(i), (i) => JSON.stringify(h.strings[h.name[i]].slice(0, 70)));
  const byString = printDiff('strings by value', str(a), str(b));

  // V8 keeps object ids across snapshots of one page: ids above A's largest are objects
  // born after A that were still alive at B.
  let maxA = 0;
  for (let i = 0; i < a.n; i++) if (a.id[i] > maxA) maxA = a.id[i];
  const born = aggregate(b, (i) => b.id[i] > maxA, (i) => b.key(i));
  const bornRows = [...born.entries()].sort((p, q) => q[1].size - p[1].size);
  let bornCount = 0;
  let bornSize = 0;
  for (const [, v] of born) {
    bornCount += v.count;
    bornSize += v.size;
  }
  console.log(`\n== born between A and B and alive at B: ${bornCount} objects, ${kb(bornSize)} self; top ${TOP}`);
  for (const [k, v] of bornRows.slice(0, TOP)) console.log(`${pad(v.count, 9)} ${pad(kb(v.size), 11)}  ${k}`);

  const { anchor, edge } = b.anchors((i) => b.id[i] > maxA);
  const byAnchor = new Map<number, Agg & { edges: Map<string, number> }>();
  for (let i = 0; i < b.n; i++) {
    if (anchor[i] < 0) continue;
    let g = byAnchor.get(anchor[i]);
    if (!g) byAnchor.set(anchor[i], (g = { count: 0, size: 0, edges: new Map() }));
    g.count++;
    g.size += b.self[i];
    const el = b.edgeLabel(edge[i]);
    g.edges.set(el, (g.edges.get(el) ?? 0) + 1);
  }
  const anchorRows = [...byAnchor.entries()].sort((p, q) => q[1].size - p[1].size).slice(0, 12);
  console.log(`\n== where the objects born between A and B hang from (the nearest object older than A on their path from the root)`);
  for (const [a, g] of anchorRows) {
    const edges = [...g.edges.entries()].sort((p, q) => q[1] - p[1]).slice(0, 3).map(([k, v]) => `${k}×${v}`).join(' ');
    console.log(`${pad(g.count, 9)} ${pad(kb(g.size), 11)}  via ${edges}\n            ${b.retainerPath(a, 10)}`);
  }

  console.log(`\n== sample retainer paths of objects born between A and B`);
  for (const [k] of bornRows.slice(0, 8)) {
    const samples: number[] = [];
    for (let i = b.n - 1; i >= 0 && samples.length < 2; i--) if (b.id[i] > maxA && b.key(i) === k) samples.push(i);
    for (const i of samples) console.log(`  ${b.retainerPath(i)}`);
  }
  return {
    snapshotA: { ...ta, file: fileA },
    snapshotB: { ...tb, file: fileB },
    selfBytesGrowth: tb.bytes - ta.bytes,
    shapes: Object.fromEntries(Object.keys(sa).map((k) => [k, [sa[k], sb[k]]])),
    bornAliveObjects: bornCount,
    bornAliveBytes: bornSize,
    topByConstructor: byCtor.slice(0, 10),
    topStrings: byString.slice(0, 5),
  };
}

async function main(): Promise<object> {
  const { page, fleet, startedAt } = await openConsole();
  await stopProbes(page);
  const t0 = startedAt;
  const cdp = await page.context().newCDPSession(page);
  const dir = mkdtempSync(join(tmpdir(), 'sb-ui-heap-'));
  const gcHeap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  const snap = async (name: string) => {
    await cdp.send('HeapProfiler.collectGarbage');
    const chunks: string[] = [];
    const onChunk = (p: { chunk: string }) => chunks.push(p.chunk);
    cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
    const file = join(dir, `${name}.heapsnapshot`);
    writeFileSync(file, chunks.join(''));
    log(`snapshot ${name} at ${Math.round((Date.now() - t0) / 1000)} s: ${file}`);
    return file;
  };
  const heapSeries: Array<[number, number]> = [];
  const sample = async () => {
    const used = await gcHeap();
    heapSeries.push([Math.round((Date.now() - t0) / 1000), used]);
    log(`t=${heapSeries.at(-1)![0]} s heap ${(used / 1e6).toFixed(2)} MB`);
  };
  log(`waiting ${START_S} s before the first snapshot…`);
  while (Date.now() - t0 < START_S * 1000 - 30_000) {
    await sleep(30_000);
    await sample();
  }
  await sleep(Math.max(0, START_S * 1000 - (Date.now() - t0)));
  await sample();
  const fileA = await snap('A');
  const tB = Date.now() + MINUTES * 60_000;
  while (Date.now() < tB - 30_000) {
    await sleep(30_000);
    await sample();
  }
  await sleep(Math.max(0, tB - Date.now()));
  await sample();
  const fileB = await snap('B');
  await fleet.stop();
  const heapStart = heapSeries.find(([t]) => t >= START_S - 5)?.[1] ?? heapSeries[0][1];
  const heapEnd = heapSeries.at(-1)![1];
  return {
    startSeconds: START_S,
    minutes: MINUTES,
    heapStartBytes: heapStart,
    heapEndBytes: heapEnd,
    heapGrowthPct: Math.round(((heapEnd - heapStart) / heapStart) * 10_000) / 100,
    heapSeries,
    ...compare(fileA, fileB),
  };
}

if (require.main === module) {
  const files = process.argv.slice(2);
  if (files.length === 2) {
    process.stdout.write(`${JSON.stringify(compare(files[0], files[1]))}\n`);
  } else runBench(main);
}
