import type { SampleColumns, SeriesReader } from './seriesReader';
import { readRange } from './seriesReader';

/**
 * Chart windows reduced to the chart's pixel width. The renderer never receives raw
 * samples: a 1 h window at 1 s is 3,600 samples, an 800-pixel chart needs 800 columns.
 */

/**
 * Scratch columns a stored series is decoded into before bucketing: owned by this
 * module, reused across calls, never returned or kept past a call (single-threaded).
 */
const scratch: SampleColumns = { t: new Float64Array(0), v: new Float64Array(0) };

/**
 * Per pixel column, the smallest and largest value seen, so a one-sample spike still
 * shows (an average would flatten it). Columns are parallel arrays; whoever receives
 * them owns them.
 */
export interface MinMaxBuckets {
  /** Start of each bucket's time span, ms. */
  t: Float64Array;
  min: Float64Array;
  max: Float64Array;
}

/**
 * Splits [fromMs, toMs] into `width` equal time spans (one per pixel column; a sample
 * at exactly toMs belongs to the last) and reports min and max of each span that
 * holds at least one non-NaN sample. Spans without samples are left out, so the
 * result has at most `width` buckets: exactly `width` when every span holds a sample
 * (the case for regular samples at least as dense as the pixels), fewer when there
 * are fewer samples or gaps.
 * @param source a stored series, or columns (e.g. a fleet-wide sum) sorted by time.
 * @throws RangeError when width is not a positive integer.
 */
export function minMaxBuckets(source: SeriesReader | SampleColumns, fromMs: number, toMs: number, width: number): MinMaxBuckets {
  if (!Number.isInteger(width) || width < 1) throw new RangeError(`minMaxBuckets width must be a positive integer, got ${width}`);
  const t = new Float64Array(width);
  const min = new Float64Array(width);
  const max = new Float64Array(width);
  if (!(fromMs <= toMs)) return { t: t.subarray(0, 0), min: min.subarray(0, 0), max: max.subarray(0, 0) };
  const span = (toMs - fromMs) / width;
  let ts: Float64Array;
  let vs: Float64Array;
  let k = 0;
  if ('copyRange' in source) {
    if (scratch.t.length < source.length) scratch.t = new Float64Array(source.length);
    if (scratch.v.length < source.length) scratch.v = new Float64Array(source.length);
    ({ t: ts, v: vs } = readRange(source, fromMs, toMs, scratch));
  } else {
    ({ t: ts, v: vs } = source);
    k = lowerBound(ts, fromMs);
  }
  let n = 0;
  let current = -1;
  for (; k < ts.length && ts[k] <= toMs; k++) {
    const value = vs[k];
    if (Number.isNaN(value)) continue;
    let i = span > 0 ? Math.floor((ts[k] - fromMs) / span) : 0;
    if (i >= width) i = width - 1;
    if (i !== current) {
      current = i;
      t[n] = fromMs + i * span;
      min[n] = value;
      max[n] = value;
      n++;
    } else {
      if (value < min[n - 1]) min[n - 1] = value;
      if (value > max[n - 1]) max[n - 1] = value;
    }
  }
  return { t: t.subarray(0, n), min: min.subarray(0, n), max: max.subarray(0, n) };
}

/**
 * Largest-Triangle-Three-Buckets (Steinarsson, 2013): keeps `threshold` of the points
 * for a line chart, always the first and the last, and in each bucket between them
 * the point forming the largest triangle with the point kept before and the average
 * of the next bucket, so a lone spike survives. NaN values never win a bucket.
 * @param points columns sorted by time (not modified, not kept).
 * @param threshold points wanted (>= 3); when the input has no more than that, a copy
 *   of all of it is returned.
 * @throws RangeError when threshold is not an integer >= 3.
 */
export function lttb(points: SampleColumns, threshold: number): SampleColumns {
  if (!Number.isInteger(threshold) || threshold < 3) throw new RangeError(`lttb threshold must be an integer >= 3, got ${threshold}`);
  const { t, v } = points;
  const n = Math.min(t.length, v.length);
  if (n <= threshold) return { t: t.slice(0, n), v: v.slice(0, n) };
  const outT = new Float64Array(threshold);
  const outV = new Float64Array(threshold);
  // Times relative to the first point keep the area products well inside float precision.
  const t0 = t[0];
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  outT[0] = t[0];
  outV[0] = v[0];
  for (let i = 0; i < threshold - 2; i++) {
    const nextStart = Math.floor((i + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
    let avgT = 0;
    let avgV = 0;
    let count = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      if (Number.isNaN(v[j])) continue;
      avgT += t[j] - t0;
      avgV += v[j];
      count++;
    }
    if (count > 0) {
      avgT /= count;
      avgV /= count;
    } else {
      avgT = t[n - 1] - t0;
      avgV = v[n - 1];
    }
    const rangeStart = Math.floor(i * every) + 1;
    const rangeEnd = Math.floor((i + 1) * every) + 1;
    const aT = t[a] - t0;
    const aV = v[a];
    let maxArea = -1;
    let chosen = rangeStart;
    for (let j = rangeStart; j < rangeEnd; j++) {
      const area = Math.abs((aT - avgT) * (v[j] - aV) - (aT - (t[j] - t0)) * (avgV - aV));
      if (area > maxArea) {
        maxArea = area;
        chosen = j;
      }
    }
    outT[i + 1] = t[chosen];
    outV[i + 1] = v[chosen];
    a = chosen;
  }
  outT[threshold - 1] = t[n - 1];
  outV[threshold - 1] = v[n - 1];
  return { t: outT, v: outV };
}

function lowerBound(ts: Float64Array, atMs: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid] < atMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
