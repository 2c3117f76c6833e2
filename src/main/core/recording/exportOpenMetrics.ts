import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { Result } from '../../../shared/api';
import { RecordingDecoder } from './reader/recordingDecoder';
import { RecordingFile } from './reader/recordingFile';
import type { ReplayInput } from './reader/replayInput';

export interface ExportOptions {
  /** Window start, ms since the epoch (default: the recording's start). */
  fromMs?: number;
  /** Window end, inclusive (default: the recording's end). */
  toMs?: number;
  /** Where to write the OpenMetrics text (replaced atomically). */
  out: string;
}

export interface ExportSummary {
  out: string;
  families: number;
  series: number;
  samples: number;
  bytes: number;
  fromMs: number;
  toMs: number;
  warnings: string[];
}

interface Points {
  name: string;
  labels: string;
  t: number[];
  v: number[];
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/**
 * Writes the scraped samples of a recording's window as OpenMetrics text, the input of
 * `promtool tsdb create-blocks-from openmetrics`: every series of every node, with an
 * `instance` label naming the node (a scraped `instance` label becomes
 * `exported_instance`, as Prometheus does), timestamps in seconds, each series' samples
 * in time order and the families apart, ending with `# EOF`. Families are typed
 * `unknown`: a TSDB keeps no types, and a counter's or histogram's suffix rules cannot
 * then reject a sample. Memory is about 16 bytes per exported sample.
 */
export async function exportOpenMetrics(recording: string, o: ExportOptions): Promise<Result<ExportSummary>> {
  const opened = await RecordingFile.open(recording);
  if (!opened.ok) return opened;
  const file = opened.value;
  try {
    const fromMs = o.fromMs ?? file.startMs;
    const toMs = o.toMs ?? file.endMs;
    if (!(toMs >= fromMs)) return { ok: false, code: 'invalid', message: `the window ends (${new Date(toMs).toISOString()}) before it starts (${new Date(fromMs).toISOString()})` };
    const series = collect(file, fromMs, toMs);
    const written = write(o.out, series);
    if (!written.ok) return written;
    let samples = 0;
    for (const s of series.values()) samples += s.t.length;
    const families = new Set([...series.values()].map((s) => s.name)).size;
    return { ok: true, value: { out: o.out, families, series: series.size, samples, bytes: written.value, fromMs, toMs, warnings: [...file.warnings] } };
  } finally {
    file.close();
  }
}

function collect(file: RecordingFile, fromMs: number, toMs: number): Map<string, Points> {
  const chunks = file.chunks;
  // Decoding starts at the key chunk before the window (delta-coded scrapes need it).
  let start = chunks.findIndex((c) => c.key && !c.bad);
  for (let i = 0; i < chunks.length; i++) if (chunks[i].key && !chunks[i].bad && chunks[i].startMs <= fromMs) start = i;
  const series = new Map<string, Points>();
  const labelText = new WeakMap<object, string>();
  if (start < 0) return series;
  const decoder = new RecordingDecoder(file);
  const inputs: ReplayInput[] = [];
  for (let i = start; i < chunks.length && chunks[i].startMs <= toMs; i++) {
    inputs.length = 0;
    decoder.decodeChunk(i, inputs);
    for (const x of inputs) {
      if (x.kind !== 'scrape' || !x.outcome.ok) continue;
      const at = x.outcome.at;
      for (const f of x.outcome.exposition.families) {
        for (const s of f.samples) {
          const ts = s.timestampMs ?? at;
          if (ts < fromMs || ts > toMs) continue;
          let labels = labelText.get(s.labels);
          if (labels === undefined) {
            const parts = [`instance="${escapeLabel(x.node)}"`];
            for (const [k, v] of Object.entries(s.labels)) parts.push(`${k === 'instance' ? 'exported_instance' : k}="${escapeLabel(v)}"`);
            labels = parts.join(',');
            labelText.set(s.labels, labels);
          }
          const key = `${s.name}{${labels}}`;
          let p = series.get(key);
          if (!p) series.set(key, (p = { name: s.name, labels, t: [], v: [] }));
          p.t.push(ts);
          p.v.push(s.value);
        }
      }
    }
  }
  return series;
}

/** Writes to a temporary file renamed over `out`: never a half-written export. Returns the bytes written. */
function write(out: string, series: Map<string, Points>): Result<number> {
  const byFamily = new Map<string, Points[]>();
  for (const p of series.values()) {
    let list = byFamily.get(p.name);
    if (!list) byFamily.set(p.name, (list = []));
    list.push(p);
  }
  const tmp = `${out}.${process.pid}.tmp`;
  let fd: number;
  try {
    fd = openSync(tmp, 'w', 0o644);
  } catch (err) {
    return { ok: false, code: 'invalid', message: `cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
  let bytes = 0;
  let buf = '';
  const flush = (force: boolean) => {
    if (!force && buf.length < 1 << 20) return;
    bytes += writeSync(fd, buf);
    buf = '';
  };
  try {
    for (const name of [...byFamily.keys()].sort()) {
      buf += `# TYPE ${name} unknown\n`;
      for (const p of byFamily.get(name)!.sort((a, b) => (a.labels < b.labels ? -1 : a.labels > b.labels ? 1 : 0))) {
        const order = p.t.map((_, i) => i);
        if (p.t.some((t, i) => i > 0 && t < p.t[i - 1])) order.sort((a, b) => p.t[a] - p.t[b] || a - b);
        for (let k = 0; k < order.length; k++) {
          const i = order[k];
          // One sample per timestamp and series: the last recorded one.
          if (k + 1 < order.length && p.t[order[k + 1]] === p.t[i]) continue;
          buf += `${name}{${p.labels}} ${formatValue(p.v[i])} ${p.t[i] / 1000}\n`;
          flush(false);
        }
      }
    }
    buf += '# EOF\n';
    flush(true);
    closeSync(fd);
    renameSync(tmp, out);
    return { ok: true, value: bytes };
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true });
    return { ok: false, code: 'internal', message: `cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
}
