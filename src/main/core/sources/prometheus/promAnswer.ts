/**
 * Prometheus HTTP API answers (`/api/v1/query`, `/api/v1/query_range`), checked by hand:
 * answers can hold thousands of series a round, and every field is untrusted input.
 */

/** One series of an instant query: its labels and its value at the evaluation time. */
export interface InstantSample {
  labels: Record<string, string>;
  /** Seconds since the epoch, as Prometheus gives it (fractional). */
  t: number;
  /** NaN, ±Infinity kept as such (a quantile of no observations is NaN). */
  v: number;
}

/** One series of a range query: labels and points in time order. */
export interface RangeSeries {
  labels: Record<string, string>;
  t: number[];
  v: number[];
}

export type ResultType = 'vector' | 'matrix' | 'scalar' | 'string';

/** The envelope: a success with its data, an error Prometheus explained, or something else. */
export type Envelope =
  | { kind: 'success'; data: unknown }
  | { kind: 'error'; errorType: string; error: string }
  | { kind: 'foreign'; why: string };

export function readEnvelope(json: unknown): Envelope {
  if (!isObject(json) || typeof json.status !== 'string') return { kind: 'foreign', why: 'JSON that is not a Prometheus API answer (no "status")' };
  if (json.status === 'success') return { kind: 'success', data: json.data };
  if (json.status === 'error') return { kind: 'error', errorType: typeof json.errorType === 'string' ? json.errorType : 'unknown', error: typeof json.error === 'string' ? json.error.slice(0, 500) : 'no message' };
  return { kind: 'foreign', why: `status ${JSON.stringify(json.status).slice(0, 40)}` };
}

/** `"1.5"`, `"NaN"`, `"+Inf"`, `"-Inf"` → number; anything else → null. */
export function sampleValue(s: unknown): number | null {
  if (typeof s !== 'string') return null;
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (s === 'NaN') return NaN;
  const n = Number(s);
  return s.trim() !== '' && Number.isFinite(n) ? n : null;
}

/** The series of a vector answer, or what is wrong with it. */
export function readVector(data: unknown): { ok: true; resultType: ResultType; samples: InstantSample[] } | { ok: false; why: string } {
  const r = result(data);
  if (!r.ok) return r;
  if (r.resultType !== 'vector') return { ok: true, resultType: r.resultType, samples: [] };
  const samples: InstantSample[] = [];
  for (let i = 0; i < r.result.length; i++) {
    const s = r.result[i];
    if (!isObject(s) || !isLabels(s.metric) || !Array.isArray(s.value) || s.value.length !== 2 || typeof s.value[0] !== 'number') return { ok: false, why: `data.result[${i}] is not a sample with metric and value` };
    const v = sampleValue(s.value[1]);
    if (v === null) return { ok: false, why: `data.result[${i}].value is not a number` };
    samples.push({ labels: s.metric, t: s.value[0], v });
  }
  return { ok: true, resultType: 'vector', samples };
}

/** The series of a matrix answer, or what is wrong with it. */
export function readMatrix(data: unknown): { ok: true; resultType: ResultType; series: RangeSeries[] } | { ok: false; why: string } {
  const r = result(data);
  if (!r.ok) return r;
  if (r.resultType !== 'matrix') return { ok: true, resultType: r.resultType, series: [] };
  const series: RangeSeries[] = [];
  for (let i = 0; i < r.result.length; i++) {
    const s = r.result[i];
    if (!isObject(s) || !isLabels(s.metric) || !Array.isArray(s.values)) return { ok: false, why: `data.result[${i}] is not a series with metric and values` };
    const t: number[] = [];
    const v: number[] = [];
    for (const p of s.values as unknown[]) {
      const value = Array.isArray(p) && p.length === 2 && typeof p[0] === 'number' ? sampleValue(p[1]) : null;
      if (value === null) return { ok: false, why: `data.result[${i}].values holds a point that is not [time, "number"]` };
      t.push((p as [number, string])[0]);
      v.push(value);
    }
    series.push({ labels: s.metric, t, v });
  }
  return { ok: true, resultType: 'matrix', series };
}

function result(data: unknown): { ok: true; resultType: ResultType; result: unknown[] } | { ok: false; why: string } {
  if (!isObject(data)) return { ok: false, why: 'no "data"' };
  const rt = data.resultType;
  if (rt !== 'vector' && rt !== 'matrix' && rt !== 'scalar' && rt !== 'string') return { ok: false, why: 'data.resultType is not vector, matrix, scalar or string' };
  if (rt === 'scalar' || rt === 'string') return { ok: true, resultType: rt, result: [] };
  if (!Array.isArray(data.result)) return { ok: false, why: 'data.result is not a list' };
  return { ok: true, resultType: rt, result: data.result };
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isLabels(x: unknown): x is Record<string, string> {
  if (!isObject(x)) return false;
  for (const k in x) if (typeof x[k] !== 'string') return false;
  return true;
}
