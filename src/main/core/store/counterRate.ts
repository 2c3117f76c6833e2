import type { AppendResult, SamplePoint, SeriesReader, SeriesWriter } from './seriesReader';

/**
 * Counters → rates, with Prometheus' counter-reset semantics: a sample lower than the
 * one before it means the counter restarted from 0 (a node restart), so the increase
 * across the reset is the new value, never a negative number. Samples whose value is
 * NaN are ignored. Times are ms; rates are per second.
 */

/**
 * Prometheus `increase(counter[range])` evaluated at `toMs`, range = toMs − fromMs.
 *
 * Exactly Prometheus' `extrapolatedRate` (Prometheus 3 semantics): the samples are
 * those with fromMs < tMs <= toMs (left-open, so adjacent windows never share a
 * sample); the reset-adjusted increase from the first to the last of them is
 * extrapolated to the window edges when a sample lies within 1.1 average intervals
 * of an edge (else by half an average interval), and never back past the point where
 * the counter would have been 0.
 * @returns NaN when the window holds fewer than two samples or is empty.
 */
export function increase(series: SeriesReader, fromMs: number, toMs: number): number {
  if (!(toMs > fromMs)) return NaN;
  let n = 0;
  let firstT = 0;
  let firstV = 0;
  let lastT = 0;
  let prev = 0;
  let resets = 0;
  series.scan(fromMs, toMs, (t, v) => {
    if (t === fromMs || Number.isNaN(v)) return;
    if (n === 0) {
      firstT = t;
      firstV = v;
    } else if (v < prev) {
      resets += prev;
    }
    prev = v;
    lastT = t;
    n++;
  });
  if (n < 2) return NaN;
  const result = prev - firstV + resets;
  const sampledSec = (lastT - firstT) / 1000;
  const averageSec = sampledSec / (n - 1);
  const thresholdSec = averageSec * 1.1;
  let toStartSec = (firstT - fromMs) / 1000;
  let toEndSec = (toMs - lastT) / 1000;
  if (toStartSec >= thresholdSec) toStartSec = averageSec / 2;
  if (result > 0 && firstV >= 0) {
    const toZeroSec = sampledSec * (firstV / result);
    if (toZeroSec < toStartSec) toStartSec = toZeroSec;
  }
  if (toEndSec >= thresholdSec) toEndSec = averageSec / 2;
  return result * ((sampledSec + toStartSec + toEndSec) / sampledSec);
}

/**
 * Prometheus `rate(counter[range])` evaluated at `toMs`: {@link increase} divided by
 * the range in seconds. Per second.
 * @returns NaN when the window holds fewer than two samples or is empty.
 */
export function rate(series: SeriesReader, fromMs: number, toMs: number): number {
  return increase(series, fromMs, toMs) / ((toMs - fromMs) / 1000);
}

/**
 * The counter's reset-adjusted increase between two points in time, without
 * extrapolation: from the value in effect at `fromMs` (the last sample at or before
 * it; if the series starts later, its first sample) to the last sample at or before
 * `toMs`. This counts what happened in the window exactly, to the sample resolution:
 * what histogram quantiles over a window need.
 * @returns NaN when there are fewer than two samples to compare.
 */
export function increaseBetween(series: SeriesReader, fromMs: number, toMs: number): number {
  if (!(toMs > fromMs)) return NaN;
  const base: SamplePoint = { tMs: NaN, value: NaN };
  let n = 0;
  let prev = NaN;
  let total = 0;
  if (series.sampleAtOrBefore(fromMs, base) && !Number.isNaN(base.value)) {
    prev = base.value;
    n = 1;
  }
  series.scan(fromMs, toMs, (t, v) => {
    if (t === base.tMs || Number.isNaN(v)) return;
    if (n > 0) total += v < prev ? v : v - prev;
    prev = v;
    n++;
  });
  return n < 2 ? NaN : total;
}

/**
 * Turns successive raw samples of one counter into a per-second rate series as they
 * arrive (what a chart of "connections opened per second" plots).
 *
 * Each accepted sample after the first yields (value − previous) / seconds elapsed,
 * or value / seconds elapsed when the value dropped (a counter reset: the counter
 * restarted from 0 in between), stamped with the sample's own timestamp, and appends
 * it to `sink`. Allocation-free per sample.
 */
export class CounterRateTracker {
  private lastT = NaN;
  private lastV = NaN;

  /** @param sink where rates go, e.g. `new RingSeries(capacity, { valueType: 'float32' })`. */
  constructor(private readonly sink: SeriesWriter) {}

  /**
   * Feeds one raw counter sample.
   * @returns the rate appended (per second), or NaN when none was: the first sample,
   *   a NaN value, or a timestamp not after the previous one (the sample is ignored).
   */
  push(tMs: number, value: number): number {
    if (Number.isNaN(value) || !Number.isFinite(tMs)) return NaN;
    if (Number.isNaN(this.lastT)) {
      this.lastT = tMs;
      this.lastV = value;
      return NaN;
    }
    if (!(tMs > this.lastT)) return NaN;
    const increase = value < this.lastV ? value : value - this.lastV;
    const perSecond = increase / ((tMs - this.lastT) / 1000);
    this.lastT = tMs;
    this.lastV = value;
    const result: AppendResult = this.sink.append(tMs, perSecond);
    return result === 'ok' ? perSecond : NaN;
  }

  /** Forgets the previous sample (the next push starts afresh), e.g. when a node is dropped. */
  reset(): void {
    this.lastT = NaN;
    this.lastV = NaN;
  }
}
