// Classic (bucketed) histograms out of a parsed family, and Prometheus'
// histogram_quantile over them.

import type { MetricFamily } from './types';

/** One cumulative bucket: how many observations were ≤ `le`. */
export interface Bucket {
  /** Upper bound; +Infinity for the `+Inf` bucket. */
  le: number;
  count: number;
}

/** One series of a histogram family: its labels (without `le`), buckets by `le`, sum and count. */
export interface HistogramSnapshot {
  labels: Record<string, string>;
  /** Sorted by `le`, ascending. */
  buckets: Bucket[];
  /** From `_sum` (`_gsum` for a gaugehistogram), when exposed. */
  sum?: number;
  /** From `_count` (`_gcount` for a gaugehistogram), when exposed. */
  count?: number;
}

/**
 * Splits a histogram (or gaugehistogram) family into one snapshot per label set,
 * ignoring `le`. Buckets whose `le` is not a number are skipped; other samples
 * (such as `_created`) are ignored. Snapshots keep the order of first appearance.
 */
export function histogramSnapshots(family: MetricFamily): HistogramSnapshot[] {
  const byKey = new Map<string, HistogramSnapshot>();
  const base = family.name;
  for (const sample of family.samples) {
    if (!sample.name.startsWith(base)) continue;
    const suffix = sample.name.slice(base.length);
    const { le, ...labels } = sample.labels;
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    let snapshot = byKey.get(key);
    if (snapshot === undefined) {
      snapshot = { labels, buckets: [] };
      byKey.set(key, snapshot);
    }
    if (suffix === '_bucket') {
      const bound = le === undefined ? NaN : parseBound(le);
      if (!Number.isNaN(bound)) snapshot.buckets.push({ le: bound, count: sample.value });
    } else if (suffix === '_sum' || suffix === '_gsum') snapshot.sum = sample.value;
    else if (suffix === '_count' || suffix === '_gcount') snapshot.count = sample.value;
  }
  const snapshots = [...byKey.values()].filter((s) => s.buckets.length > 0 || s.sum !== undefined || s.count !== undefined);
  for (const s of snapshots) s.buckets.sort((a, b) => a.le - b.le);
  return snapshots;
}

/** An `le` label value as a number: `+Inf`/`Inf` in any case, else a decimal float. */
function parseBound(le: string): number {
  if (/^\+?inf(inity)?$/i.test(le)) return Infinity;
  if (/^-inf(inity)?$/i.test(le)) return -Infinity;
  return le.trim() === '' ? NaN : Number(le);
}

/**
 * The q-quantile of cumulative buckets, exactly as Prometheus' histogram_quantile
 * computes it: linear interpolation inside the bucket holding the rank, 0 as the
 * lower bound of the first bucket (unless that bucket's bound is ≤ 0, then the
 * bound itself), and the highest finite bound when the rank falls in `+Inf`.
 * NaN when q is NaN, when there are fewer than two buckets, no `+Inf` bucket or no
 * observations; -Inf for q < 0 and +Inf for q > 1. Does not modify `buckets`.
 */
export function quantileFromBuckets(q: number, buckets: readonly Bucket[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  if (buckets.length === 0) return NaN;
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  if (sorted[sorted.length - 1].le !== Infinity) return NaN;
  const bs = coalesce(sorted);
  correctPrecisionErrors(bs, 1e-12);
  ensureMonotonic(bs);
  if (bs.length < 2) return NaN;
  const observations = bs[bs.length - 1].count;
  if (observations === 0) return NaN;
  let rank = q * observations;
  // First bucket (excluding +Inf) whose cumulative count reaches the rank.
  let b = 0;
  while (b < bs.length - 1 && !(bs[b].count >= rank)) b++;
  if (b === bs.length - 1) return bs[bs.length - 2].le;
  if (b === 0 && bs[0].le <= 0) return bs[0].le;
  let start = 0;
  let count = bs[b].count;
  if (b > 0) {
    start = bs[b - 1].le;
    count -= bs[b - 1].count;
    rank -= bs[b - 1].count;
  }
  return start + (bs[b].le - start) * (rank / count);
}

/** Merges buckets of equal bound (summing counts); input sorted, output a fresh array. */
function coalesce(sorted: readonly Bucket[]): Bucket[] {
  const out: Bucket[] = [];
  for (const b of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && last.le === b.le) last.count += b.count;
    else out.push({ le: b.le, count: b.count });
  }
  return out;
}

/** Flattens float noise that would make counts decrease by a relative amount ≤ tolerance. */
function correctPrecisionErrors(bs: Bucket[], tolerance: number): void {
  let prev = bs[0].count;
  for (let i = 1; i < bs.length; i++) {
    const curr = bs[i].count;
    const delta = Math.abs(curr - prev);
    if (delta === 0) continue;
    if (delta / curr <= tolerance) bs[i].count = prev;
    else prev = curr;
  }
}

/** Replaces decreases in cumulative counts by the running maximum (inconsistent sources). */
function ensureMonotonic(bs: Bucket[]): void {
  let max = bs[0].count;
  for (let i = 1; i < bs.length; i++) {
    if (bs[i].count > max) max = bs[i].count;
    else if (bs[i].count < max) bs[i].count = max;
  }
}
