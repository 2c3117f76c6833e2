import { describe, expect, it } from 'vitest';
import { CompressedSeries } from '../../../../src/main/core/store/compressedSeries';
import { sumAtSteps } from '../../../../src/main/core/store/fleetAggregate';
import { RingSeries } from '../../../../src/main/core/store/ringSeries';

function series(points: Array<[number, number]>, compressed = false): RingSeries | CompressedSeries {
  const s = compressed ? new CompressedSeries(100) : new RingSeries(100);
  for (const [t, v] of points) s.append(t, v);
  return s;
}

describe('sumAtSteps', () => {
  it('sums, at each step, every series\' latest sample at or before it', () => {
    // Node a scraped on the second, node b 300 ms later: b counts from the step after.
    const a = series([[0, 10], [1000, 11], [2000, 12], [3000, 13]]);
    const b = series([[300, 100], [1300, 200], [2300, 300]], true);
    const { t, v } = sumAtSteps([a, b], 0, 3000, 1000);
    expect([...t]).toEqual([0, 1000, 2000, 3000]);
    expect([...v]).toEqual([10, 111, 212, 313]);
  });

  it('drops a series that has no sample within the look-back, and is NaN where none contributes', () => {
    const a = series([[0, 1], [1000, 2]]);
    const b = series([[0, 10], [5000, 20]]);
    const { v } = sumAtSteps([a, b], 0, 7000, 1000, 2500);
    // a is stale from 3500 ms on (1000 + 2500); b's 0 ms sample is stale from 2500 ms on.
    expect([...v]).toEqual([11, 12, 12, 2, NaN, 20, 20, 20]);
    expect([...sumAtSteps([a], 10_000, 12_000, 1000, 2500).v]).toEqual([NaN, NaN, NaN]);
  });

  it('uses samples before the window start when fresh enough, and skips NaN values', () => {
    const a = series([[-500, 5], [500, Number.NaN], [1500, 7]]);
    expect([...sumAtSteps([a], 0, 2000, 1000).v]).toEqual([5, NaN, 7]);
  });

  it('rejects a non-positive step or look-back, and absurd step counts', () => {
    expect(() => sumAtSteps([], 0, 10, 0)).toThrow(/stepMs must be a positive number of ms, got 0/);
    expect(() => sumAtSteps([], 0, 10, 1, -1)).toThrow(/lookbackMs/);
    expect(() => sumAtSteps([], 0, 1e9, 1)).toThrow(/more than 1,000,000/);
    expect(sumAtSteps([], 10, 0, 1).t.length).toBe(0);
  });
});
