/**
 * Reconnect-spike detection against a robust baseline: the median and the median
 * absolute deviation (MAD) of the rate over the last minutes, not a fixed threshold,
 * so a busy fleet and a quiet one are each judged against their own normal.
 */
export interface SpikeOptions {
  /** Baseline window, in samples (one per second): 5 minutes. */
  baselineSamples: number;
  /** A spike starts above median + k · 1.4826 · MAD … */
  k: number;
  /** … and above this absolute rate (per second), so noise on a quiet fleet is no spike. */
  minRate: number;
  /** It ends after this many samples in a row below the threshold. */
  quietSamples: number;
}

export const DEFAULT_SPIKE: SpikeOptions = { baselineSamples: 300, k: 6, minRate: 5, quietSamples: 5 };

export type SpikeUpdate =
  | { kind: 'start'; ts: number; rate: number; threshold: number; baseline: number }
  | { kind: 'peak'; ts: number; rate: number }
  | { kind: 'end'; ts: number; peak: number; total: number; startTs: number };

/** Median of the values in `buf[0..n)`; reorders a scratch copy, not `buf`. */
function median(values: Float64Array, n: number, scratch: Float64Array): number {
  if (n === 0) return 0;
  scratch.set(values.subarray(0, n));
  const s = scratch.subarray(0, n).sort();
  return n % 2 ? s[(n - 1) >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

export class SpikeDetector {
  /** Baseline samples (ring); spike samples are kept out so a long storm does not become normal. */
  private readonly ring: Float64Array;
  private readonly scratch: Float64Array;
  private readonly dev: Float64Array;
  private n = 0;
  private head = 0;
  /** The spike under way: its total counts samples above the threshold, and quiet gaps inside it. */
  private active: { startTs: number; peak: number; total: number; quiet: number; quietTotal: number; quietSince: number } | null = null;

  constructor(private readonly o: SpikeOptions = DEFAULT_SPIKE) {
    this.ring = new Float64Array(o.baselineSamples);
    this.scratch = new Float64Array(o.baselineSamples);
    this.dev = new Float64Array(o.baselineSamples);
  }

  get inSpike(): boolean {
    return this.active !== null;
  }

  /** The current threshold (per second). */
  threshold(): { threshold: number; baseline: number } {
    const med = median(this.ring, this.n, this.scratch);
    for (let i = 0; i < this.n; i++) this.dev[i] = Math.abs(this.ring[i] - med);
    const mad = median(this.dev, this.n, this.scratch);
    return { threshold: Math.max(this.o.minRate, med + this.o.k * 1.4826 * mad), baseline: med };
  }

  /** One sample per second: the reconnect rate at `ts`. Returns what changed. */
  push(ts: number, rate: number): SpikeUpdate | null {
    if (!Number.isFinite(rate) || rate < 0) return null;
    const { threshold, baseline } = this.threshold();
    const a = this.active;
    if (a) {
      if (rate > threshold) {
        a.total += a.quietTotal + rate;
        a.quiet = 0;
        a.quietTotal = 0;
        if (rate > a.peak) {
          a.peak = rate;
          return { kind: 'peak', ts, rate };
        }
        return null;
      }
      if (a.quiet === 0) a.quietSince = ts;
      a.quietTotal += rate;
      if (++a.quiet >= this.o.quietSamples) {
        this.active = null;
        // It ended when it first fell under the threshold; the quiet tail is not part of it.
        return { kind: 'end', ts: a.quietSince, peak: a.peak, total: Math.round(a.total), startTs: a.startTs };
      }
      return null;
    }
    if (rate > threshold && this.n >= Math.min(30, this.o.baselineSamples)) {
      this.active = { startTs: ts, peak: rate, total: rate, quiet: 0, quietTotal: 0, quietSince: ts };
      return { kind: 'start', ts, rate, threshold, baseline };
    }
    this.ring[this.head] = rate;
    this.head = (this.head + 1) % this.ring.length;
    if (this.n < this.ring.length) this.n++;
    return null;
  }
}
