import { describe, expect, it } from 'vitest';
import { CompressedSeries } from '../../../../src/main/core/store/compressedSeries';
import { CounterRateTracker, increase, increaseBetween, rate } from '../../../../src/main/core/store/counterRate';
import { RingSeries } from '../../../../src/main/core/store/ringSeries';
import type { Series } from '../../../../src/main/core/store/seriesReader';

const S = 1000;
const encodings: Array<[string, () => Series]> = [
  ['plain', () => new RingSeries(100)],
  ['compressed', () => new CompressedSeries(100)],
];

function series(make: () => Series, points: Array<[number, number]>): Series {
  const s = make();
  for (const [tSec, v] of points) expect(s.append(tSec * S, v)).toBe('ok');
  return s;
}

describe.each(encodings)('rate / increase (Prometheus semantics) on %s series', (_name, make) => {
  // A counter that restarts between 30 s and 40 s (a node restart): 100, 110, 120 | 5, 15.
  const restarted = (): Series => series(make, [[10, 100], [20, 110], [30, 120], [40, 5], [50, 15]]);

  it('counts a reset as the new value, never a negative increase', () => {
    // (0, 40 s]: 10 + 10 + 5 = 25 over samples 10..40 s (30 s sampled, average 10 s).
    // First sample 10 s from the start (< 1.1 × 10 s): extrapolate all the way; zero
    // point 30 × 100 / 25 = 120 s away, no clamp; last sample on the end. 25 × 40 / 30.
    expect(increase(restarted(), 0, 40 * S)).toBeCloseTo(100 / 3, 12);
    expect(rate(restarted(), 0, 40 * S)).toBeCloseTo(25 / 30, 12);
  });

  it('leaves a sample exactly on the window start out (left-open), keeps one on the end', () => {
    // (10 s, 40 s]: 110, 120, 5 → 10 + 5 = 15 over 20 s, extrapolated 10 s back: 15 × 30 / 20.
    expect(increase(restarted(), 10 * S, 40 * S)).toBeCloseTo(22.5, 12);
    expect(rate(restarted(), 10 * S, 40 * S)).toBeCloseTo(0.75, 12);
    // (10 s, 39.999 s]: 110, 120 → 10 over 10 s, extended 10 s back and 9.999 s forward.
    expect(rate(restarted(), 10 * S, 39_999)).toBeCloseTo(1, 12);
  });

  it('extrapolates only half an interval when the series starts or stops inside the window', () => {
    // 10, 20, 30 at 50..70 s in (0, 100 s]: 50 s and 30 s from the edges (>= 11 s), so
    // 5 s each side: 20 × (20 + 5 + 5) / 20 = 30 → 0.3 /s.
    const late = series(make, [[50, 10], [60, 20], [70, 30]]);
    expect(increase(late, 0, 100 * S)).toBeCloseTo(30, 12);
    expect(rate(late, 0, 100 * S)).toBeCloseTo(0.3, 12);
  });

  it('does not extrapolate back past the counter\'s zero point', () => {
    // 1, 11, 21 at 10..30 s in (0, 30 s]: zero point 20 × 1 / 20 = 1 s before the first
    // sample (< 10 s to the start): 20 × (20 + 1) / 20 = 21 → 0.7 /s.
    const young = series(make, [[10, 1], [20, 11], [30, 21]]);
    expect(rate(young, 0, 30 * S)).toBeCloseTo(0.7, 12);
  });

  it('ignores NaN samples', () => {
    const gappy = series(make, [[10, 100], [20, Number.NaN], [30, 120]]);
    // 100 → 120 over 20 s, extrapolated 10 s back (< 1.1 × 20 s): 20 × 30 / 20 → 1 /s.
    expect(rate(gappy, 0, 30 * S)).toBeCloseTo(1, 12);
  });

  it('is NaN with fewer than two samples or an empty window', () => {
    expect(rate(restarted(), 35 * S, 45 * S)).toBeNaN();
    expect(rate(restarted(), 60 * S, 90 * S)).toBeNaN();
    expect(rate(restarted(), 20 * S, 20 * S)).toBeNaN();
    expect(rate(make(), 0, 100 * S)).toBeNaN();
  });
});

describe.each(encodings)('increaseBetween on %s series', (_name, make) => {
  const restarted = (): Series => series(make, [[10, 100], [20, 110], [30, 120], [40, 5], [50, 15]]);

  it('sums reset-aware increases from the value in effect at the window start', () => {
    expect(increaseBetween(restarted(), 10 * S, 40 * S)).toBe(25);
    expect(increaseBetween(restarted(), 15 * S, 35 * S)).toBe(20);
    expect(increaseBetween(restarted(), 25 * S, 45 * S)).toBe(15);
  });

  it('starts from the first sample when the series begins inside the window', () => {
    expect(increaseBetween(restarted(), 0, 60 * S)).toBe(35);
  });

  it('is 0 for a flat counter and NaN without two samples to compare', () => {
    expect(increaseBetween(series(make, [[1, 7], [2, 7], [3, 7]]), 0, 5 * S)).toBe(0);
    expect(increaseBetween(restarted(), 50 * S, 60 * S)).toBeNaN();
    expect(increaseBetween(restarted(), 30 * S, 30 * S)).toBeNaN();
  });
});

describe('CounterRateTracker', () => {
  it('turns raw counter samples into per-second rates as they arrive, across a reset', () => {
    const sink = new RingSeries(10, { valueType: 'float32' });
    const tracker = new CounterRateTracker(sink);
    expect(tracker.push(0, 100)).toBeNaN();
    expect(tracker.push(1000, 110)).toBe(10);
    expect(tracker.push(3000, 130)).toBe(10);
    expect(tracker.push(4000, 5)).toBe(5);
    expect(tracker.push(4000, 7)).toBeNaN();
    expect(tracker.push(3500, 7)).toBeNaN();
    expect(tracker.push(5000, Number.NaN)).toBeNaN();
    expect(tracker.push(6000, 9)).toBe(2);
    const got: Array<[number, number]> = [];
    sink.scan(-Infinity, Infinity, (t, v) => got.push([t, v]));
    expect(got).toEqual([[1000, 10], [3000, 10], [4000, 5], [6000, 2]]);
  });

  it('starts afresh after reset()', () => {
    const sink = new RingSeries(10);
    const tracker = new CounterRateTracker(sink);
    tracker.push(0, 1);
    tracker.push(1000, 2);
    tracker.reset();
    expect(tracker.push(2000, 500)).toBeNaN();
    expect(tracker.push(4000, 501)).toBe(0.5);
    expect(sink.length).toBe(2);
  });
});
