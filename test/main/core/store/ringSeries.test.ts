import { describe, expect, it } from 'vitest';
import { RingSeries } from '../../../../src/main/core/store/ringSeries';
import { SERIES_OBJECT_OVERHEAD_BYTES } from '../../../../src/main/core/store/seriesReader';

function collect(series: RingSeries, from: number, to: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  series.scan(from, to, (t, v) => out.push([t, v]));
  return out;
}

/** Capacity 5, samples t = 1000·i, v = 10·i for i = 1..8: after wrap-around holds i = 4..8. */
function wrapped(): RingSeries {
  const s = new RingSeries(5);
  for (let i = 1; i <= 8; i++) expect(s.append(1000 * i, 10 * i)).toBe('ok');
  return s;
}

describe('RingSeries', () => {
  it('rejects a capacity that is not a positive integer, naming it', () => {
    expect(() => new RingSeries(0)).toThrow(/capacity must be an integer in \[1, 10000000\], got 0/);
    expect(() => new RingSeries(2.5)).toThrow(RangeError);
    expect(() => new RingSeries(Number.NaN)).toThrow(RangeError);
  });

  it('is empty at first: length 0, NaN latest and first', () => {
    const s = new RingSeries(3);
    expect(s.length).toBe(0);
    expect(s.latestTimestamp()).toBeNaN();
    expect(s.latestValue()).toBeNaN();
    expect(s.firstTimestamp()).toBeNaN();
    expect(collect(s, -Infinity, Infinity)).toEqual([]);
  });

  it('keeps the first of two samples with the same timestamp and drops older ones', () => {
    const s = new RingSeries(4);
    expect(s.append(1000, 1)).toBe('ok');
    expect(s.append(1000, 2)).toBe('duplicate');
    expect(s.append(999, 3)).toBe('out-of-order');
    expect(s.append(Number.NaN, 4)).toBe('invalid');
    expect(s.append(Infinity, 4)).toBe('invalid');
    expect(s.length).toBe(1);
    expect(s.latestValue()).toBe(1);
  });

  it('overwrites the oldest samples once full (wrap-around)', () => {
    const s = wrapped();
    expect(s.length).toBe(5);
    expect(s.firstTimestamp()).toBe(4000);
    expect(s.latestTimestamp()).toBe(8000);
    expect(s.latestValue()).toBe(80);
    expect([0, 1, 2, 3, 4].map((i) => s.timestampAt(i))).toEqual([4000, 5000, 6000, 7000, 8000]);
    expect([0, 1, 2, 3, 4].map((i) => s.valueAt(i))).toEqual([40, 50, 60, 70, 80]);
    expect(s.timestampAt(5)).toBeNaN();
    expect(s.valueAt(-1)).toBeNaN();
  });

  it('binary-searches the wrapped ring at every edge', () => {
    const s = wrapped();
    expect(s.lowerBound(0)).toBe(0);
    expect(s.lowerBound(4000)).toBe(0);
    expect(s.lowerBound(4001)).toBe(1);
    expect(s.lowerBound(8000)).toBe(4);
    expect(s.lowerBound(8001)).toBe(5);
    expect(s.upperBound(3999)).toBe(0);
    expect(s.upperBound(4000)).toBe(1);
    expect(s.upperBound(6999)).toBe(3);
    expect(s.upperBound(7999)).toBe(4);
    expect(s.upperBound(8000)).toBe(5);
  });

  it('scans a closed time range, oldest first', () => {
    const s = wrapped();
    expect(collect(s, 5000, 7000)).toEqual([[5000, 50], [6000, 60], [7000, 70]]);
    expect(collect(s, 5001, 6999)).toEqual([[6000, 60]]);
    expect(collect(s, 0, 4000)).toEqual([[4000, 40]]);
    expect(collect(s, 8000, 9000)).toEqual([[8000, 80]]);
    expect(collect(s, 0, 3999)).toEqual([]);
    expect(collect(s, 8001, 9999)).toEqual([]);
    expect(collect(s, 7000, 5000)).toEqual([]);
    expect(s.scan(-Infinity, Infinity, () => undefined)).toBe(5);
  });

  it('finds the sample at or before a time', () => {
    const s = wrapped();
    const p = { tMs: -1, value: -1 };
    expect(s.sampleAtOrBefore(3999, p)).toBe(false);
    expect(p).toEqual({ tMs: -1, value: -1 });
    expect(s.sampleAtOrBefore(4000, p)).toBe(true);
    expect(p).toEqual({ tMs: 4000, value: 40 });
    expect(s.sampleAtOrBefore(6500, p)).toBe(true);
    expect(p).toEqual({ tMs: 6000, value: 60 });
    expect(s.sampleAtOrBefore(1e12, p)).toBe(true);
    expect(p).toEqual({ tMs: 8000, value: 80 });
  });

  it('copies a range into caller arrays, no more than fit', () => {
    const s = wrapped();
    const t = new Float64Array(5);
    const v = new Float64Array(5);
    expect(s.copyRange(5000, 8000, t, v)).toBe(4);
    expect([...t.subarray(0, 4)]).toEqual([5000, 6000, 7000, 8000]);
    expect([...v.subarray(0, 4)]).toEqual([50, 60, 70, 80]);
    expect(s.copyRange(0, 1e9, new Float64Array(2), new Float64Array(2))).toBe(2);
  });

  it('stores float32 values to single precision, float64 exactly', () => {
    const f32 = new RingSeries(2, { valueType: 'float32' });
    const f64 = new RingSeries(2);
    f32.append(1, 0.1);
    f64.append(1, 0.1);
    expect(f32.latestValue()).toBe(Math.fround(0.1));
    expect(f32.latestValue()).not.toBe(0.1);
    expect(f64.latestValue()).toBe(0.1);
    // Why raw counters must stay float64: 2^24 + 1 is not representable in float32.
    f32.append(2, 2 ** 24 + 1);
    expect(f32.latestValue()).toBe(2 ** 24);
  });

  it('accounts its memory: capacity × (8 + value bytes) plus the object estimate', () => {
    expect(new RingSeries(3600).approxBytes()).toBe(3600 * 16 + SERIES_OBJECT_OVERHEAD_BYTES);
    expect(new RingSeries(3600, { valueType: 'float32' }).approxBytes()).toBe(3600 * 12 + SERIES_OBJECT_OVERHEAD_BYTES);
  });

  it('is empty for good once disposed', () => {
    const s = wrapped();
    s.dispose();
    expect(s.length).toBe(0);
    expect(s.append(9000, 1)).toBe('invalid');
    expect(collect(s, -Infinity, Infinity)).toEqual([]);
  });
});
