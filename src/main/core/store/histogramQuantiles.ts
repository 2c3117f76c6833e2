import { increaseBetween } from './counterRate';
import type { SeriesReader } from './seriesReader';
import type { Labels } from './seriesKey';
import { parseSeriesKey } from './seriesKey';
import type { SeriesStore } from './seriesStore';

/**
 * Histograms → quantiles with Prometheus `histogram_quantile` semantics, over the
 * observations made in a time window (the reset-aware increase of every cumulative
 * `le` bucket counter between two points in time).
 */

/** One cumulative bucket counter of a classic histogram: `<name>_bucket{le="..."}`. */
export interface BucketSeries {
  /** Upper bound, in the metric's unit (seconds for the contract's histograms); +Infinity for `le="+Inf"`. */
  le: number;
  series: SeriesReader;
}

/** The quantiles a latency chart shows by default. */
export const DEFAULT_QUANTILES: readonly number[] = [0.5, 0.9, 0.99];

/**
 * Prometheus' `bucketQuantile`: the q-quantile of cumulative bucket counts.
 *
 * Buckets are sorted by upper bound here; equal bounds are merged; tiny float
 * noise (relative 1e-12) is smoothed and any remaining decrease between successive
 * cumulative counts is lifted to the running maximum, as Prometheus does. Within the
 * bucket holding the rank, the result is interpolated linearly (the lowest bucket
 * starts at 0 when its bound is positive, else its bound is the answer).
 *
 * @param upperBounds bucket `le` values; the largest must be +Infinity.
 * @param cumulativeCounts observations <= each bound (parallel to upperBounds).
 * @returns NaN for q = NaN, no +Inf bucket, fewer than 2 buckets or no observations;
 *   -Infinity for q < 0, +Infinity for q > 1; the highest finite bound when the
 *   rank falls into the +Inf bucket.
 */
export function bucketQuantile(q: number, upperBounds: ArrayLike<number>, cumulativeCounts: ArrayLike<number>): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const n = Math.min(upperBounds.length, cumulativeCounts.length);
  if (n === 0) return NaN;
  let bounds: ArrayLike<number>;
  const counts: number[] = [];
  let ascending = true;
  for (let i = 1; i < n && ascending; i++) ascending = upperBounds[i - 1] < upperBounds[i];
  if (ascending) {
    // As an exposition lists them (every scrape of a node): no sort, nothing to merge.
    if (upperBounds[n - 1] !== Infinity) return NaN;
    bounds = upperBounds;
    for (let i = 0; i < n; i++) counts.push(cumulativeCounts[i]);
  } else {
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => upperBounds[a] - upperBounds[b]);
    if (upperBounds[order[n - 1]] !== Infinity) return NaN;
    const merged: number[] = [];
    for (const i of order) {
      if (merged.length > 0 && merged[merged.length - 1] === upperBounds[i]) counts[counts.length - 1] += cumulativeCounts[i];
      else {
        merged.push(upperBounds[i]);
        counts.push(cumulativeCounts[i]);
      }
    }
    bounds = merged;
  }
  let prev = counts[0];
  for (let i = 1; i < counts.length; i++) {
    const delta = Math.abs(counts[i] - prev);
    if (delta === 0) continue;
    if (delta / counts[i] <= 1e-12) counts[i] = prev;
    else prev = counts[i];
  }
  for (let i = 1; i < counts.length; i++) if (counts[i] < counts[i - 1]) counts[i] = counts[i - 1];
  const m = counts.length;
  if (m < 2) return NaN;
  const observations = counts[m - 1];
  if (!(observations > 0)) return NaN;
  let rank = q * observations;
  let b = 0;
  while (b < m - 1 && counts[b] < rank) b++;
  if (b === m - 1) return bounds[m - 2];
  if (b === 0 && bounds[0] <= 0) return bounds[0];
  let start = 0;
  let count = counts[b];
  if (b > 0) {
    start = bounds[b - 1];
    count -= counts[b - 1];
    rank -= counts[b - 1];
  }
  return start + (bounds[b] - start) * (rank / count);
}

/**
 * Quantiles of the observations made between `fromMs` and `toMs`: each bucket's
 * {@link increaseBetween} (reset-aware, from the value in effect at fromMs to the last
 * sample at or before toMs), then {@link bucketQuantile} per q.
 * @returns one number per q, in the metric's unit; NaN when nothing was observed in
 *   the window (or no bucket has two samples to compare).
 */
export function histogramQuantiles(
  buckets: readonly BucketSeries[],
  fromMs: number,
  toMs: number,
  quantiles: readonly number[] = DEFAULT_QUANTILES,
): number[] {
  const bounds = new Float64Array(buckets.length);
  const counts = new Float64Array(buckets.length);
  for (let i = 0; i < buckets.length; i++) {
    bounds[i] = buckets[i].le;
    const inc = increaseBetween(buckets[i].series, fromMs, toMs);
    counts[i] = Number.isNaN(inc) ? 0 : inc;
  }
  return quantiles.map((q) => bucketQuantile(q, bounds, counts));
}

/**
 * Finds the bucket series of histogram `metric` (without the `_bucket` suffix) for a
 * target, among the series whose labels other than `le` equal `labels` exactly.
 * @returns the buckets sorted by `le` (empty when the histogram is unknown); keys
 *   whose `le` is not a number are skipped.
 */
export function findBucketSeries(store: SeriesStore, target: string, metric: string, labels: Labels = {}): BucketSeries[] {
  const wanted = `${metric}_bucket`;
  const wantedNames = Object.keys(labels).filter((k) => labels[k] !== '');
  const out: BucketSeries[] = [];
  for (const key of store.keys(target)) {
    if (!key.startsWith(wanted)) continue;
    const parsed = parseSeriesKey(key);
    if (parsed === undefined || parsed.name !== wanted || parsed.labels.le === undefined) continue;
    const names = Object.keys(parsed.labels).filter((k) => k !== 'le');
    if (names.length !== wantedNames.length || !wantedNames.every((k) => parsed.labels[k] === labels[k])) continue;
    const le = parseLe(parsed.labels.le);
    const series = store.get(target, key);
    if (Number.isNaN(le) || series === undefined) continue;
    out.push({ le, series });
  }
  return out.sort((a, b) => a.le - b.le);
}

function parseLe(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  const trimmed = text.trim();
  return trimmed === '' ? NaN : Number(trimmed);
}
