import type { SampleColumns, SeriesReader } from './seriesReader';
import { readRange } from './seriesReader';

/** Default look-back: a series counts at a step if it has a sample this recent (2 × the slowest 5 s scrape). */
export const DEFAULT_LOOKBACK_MS = 10_000;

/**
 * Fleet-wide sum of one series over many targets (e.g. `realtime_connections{transport="ws"}`
 * of every node), evaluated like a Prometheus range query of `sum(x)`: at every step
 * t = fromMs, fromMs + stepMs, ... <= toMs, each series contributes its latest sample
 * with t − lookbackMs < tSample <= t (NaN values contribute nothing). Nodes are not
 * scraped in lockstep, so raw samples of different nodes do not line up; steps do.
 *
 * @param stepMs step between result points, ms (e.g. the store's resolution).
 * @param lookbackMs how stale a sample may be and still count (default 10 s); a node
 *   that stopped reporting drops out of the sum after this long.
 * @returns columns with one point per step; the value is NaN where no series had a
 *   fresh sample (a gap, as Prometheus returns nothing there).
 * @throws RangeError when stepMs or lookbackMs is not positive, or the range has more
 *   than 1,000,000 steps.
 */
export function sumAtSteps(
  series: readonly SeriesReader[],
  fromMs: number,
  toMs: number,
  stepMs: number,
  lookbackMs: number = DEFAULT_LOOKBACK_MS,
): SampleColumns {
  if (!(stepMs > 0) || !Number.isFinite(stepMs)) throw new RangeError(`sumAtSteps stepMs must be a positive number of ms, got ${stepMs}`);
  if (!(lookbackMs > 0)) throw new RangeError(`sumAtSteps lookbackMs must be a positive number of ms, got ${lookbackMs}`);
  const steps = fromMs <= toMs ? Math.floor((toMs - fromMs) / stepMs) + 1 : 0;
  if (steps > 1_000_000) throw new RangeError(`sumAtSteps would produce ${steps} steps (more than 1,000,000); use a larger stepMs`);
  const t = new Float64Array(steps);
  const v = new Float64Array(steps);
  const contributors = new Uint32Array(steps);
  for (let k = 0; k < steps; k++) t[k] = fromMs + k * stepMs;

  // One sweep per series over its samples (decoded into reused columns): each step
  // takes the latest sample at or before it, if fresh enough.
  let room = 0;
  for (const s of series) room = Math.max(room, s.length);
  const cols: SampleColumns = { t: new Float64Array(room), v: new Float64Array(room) };
  for (const s of series) {
    const { t: st, v: sv } = readRange(s, fromMs - lookbackMs, toMs, cols);
    let j = -1;
    for (let k = 0; k < steps; k++) {
      while (j + 1 < st.length && st[j + 1] <= t[k]) j++;
      if (j >= 0 && st[j] > t[k] - lookbackMs && !Number.isNaN(sv[j])) {
        v[k] += sv[j];
        contributors[k]++;
      }
    }
  }
  for (let i = 0; i < steps; i++) if (contributors[i] === 0) v[i] = NaN;
  return { t, v };
}
