/**
 * The contract every stored series honours, whatever its encoding (plain typed-array
 * ring or compressed chunks), so rates, quantiles and downsampling work on either.
 *
 * Units everywhere in the store: timestamps are milliseconds since the Unix epoch
 * (`tMs`), values are the raw metric value (seconds, bytes, counts: whatever the
 * metric's own unit is). Samples are kept in strictly increasing timestamp order.
 */

/**
 * Outcome of an append. Strings (not exceptions) because a rejected sample is a
 * normal event on the ingest path (a re-sent scrape, a late event), and because
 * constant strings cost no allocation.
 *
 * - `ok`: stored.
 * - `duplicate`: same timestamp as the latest sample; the first one is kept
 *   (Prometheus TSDB does the same; a repeated scrape carries the same value).
 * - `out-of-order`: older than the latest sample; dropped.
 * - `invalid`: non-finite timestamp (or, at the store, an empty target or key).
 * - `series-limit`: the target already has its maximum number of series (store only).
 */
export type AppendResult = 'ok' | 'duplicate' | 'out-of-order' | 'invalid' | 'series-limit';

/** Receives one sample per call, oldest first. Must not re-enter the series it reads. */
export type SampleVisitor = (tMs: number, value: number) => void;

/** A caller-owned, reusable out-parameter, so point look-ups allocate nothing. */
export interface SamplePoint {
  tMs: number;
  value: number;
}

/** Read side of a series. */
export interface SeriesReader {
  /** Samples currently retained. */
  readonly length: number;
  /** Timestamp (ms) of the oldest retained sample; NaN when empty. */
  firstTimestamp(): number;
  /** Timestamp (ms) of the newest sample; NaN when empty. */
  latestTimestamp(): number;
  /** Value of the newest sample; NaN when empty. */
  latestValue(): number;
  /**
   * Writes the newest retained sample with `tMs <= atMs` into `out`.
   * @returns false (leaving `out` untouched) when there is none.
   */
  sampleAtOrBefore(atMs: number, out: SamplePoint): boolean;
  /**
   * Visits every retained sample with `fromMs <= tMs <= toMs` (closed range), oldest
   * first, without allocating per sample.
   * @returns the number of samples visited.
   */
  scan(fromMs: number, toMs: number, visit: SampleVisitor): number;
  /**
   * Copies the samples with `fromMs <= tMs <= toMs`, oldest first, into `outT[i]` /
   * `outV[i]` from index 0, as many as fit. The bulk path for charts: no call per
   * sample, nothing allocated. The caller owns the arrays; `length` samples always fit.
   * @returns the number of samples copied.
   */
  copyRange(fromMs: number, toMs: number, outT: Float64Array, outV: Float64Array): number;
  /** Bytes held by this series (typed-array storage plus a fixed object estimate). */
  approxBytes(): number;
}

/** Write side of a series. */
export interface SeriesWriter {
  /** Appends one sample; timestamps must strictly increase (see {@link AppendResult}). */
  append(tMs: number, value: number): AppendResult;
}

/** A series that can be written and read. */
export interface Series extends SeriesReader, SeriesWriter {}

/**
 * Samples as two parallel columns: `t[i]` (ms) belongs with `v[i]`.
 * Whoever receives a `SampleColumns` owns it; functions here never keep a reference.
 */
export interface SampleColumns {
  t: Float64Array;
  v: Float64Array;
}

/**
 * Copies the samples with `fromMs <= tMs <= toMs` into columns.
 * @param out optional reusable buffers; used when large enough, else new ones are
 *   allocated. The result is always exactly as long as the number of samples (a
 *   `subarray` view when `out` was used).
 */
export function readRange(series: SeriesReader, fromMs: number, toMs: number, out?: SampleColumns): SampleColumns {
  const need = series.length;
  const t = out !== undefined && out.t.length >= need ? out.t : new Float64Array(need);
  const v = out !== undefined && out.v.length >= need ? out.v : new Float64Array(need);
  const n = series.copyRange(fromMs, toMs, t, v);
  return { t: t.subarray(0, n), v: v.subarray(0, n) };
}

/** Estimated bytes of a JS object holding a few typed arrays (V8 headers, not measured per object). */
export const SERIES_OBJECT_OVERHEAD_BYTES = 160;
