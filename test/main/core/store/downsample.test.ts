import { describe, expect, it } from 'vitest';
import { CompressedSeries } from '../../../../src/main/core/store/compressedSeries';
import { lttb, minMaxBuckets } from '../../../../src/main/core/store/downsample';
import { RingSeries } from '../../../../src/main/core/store/ringSeries';
import type { SampleColumns, Series } from '../../../../src/main/core/store/seriesReader';

const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;

/** One hour at 1 s of a flat line at 100, with one spike of 1000 at sample `spikeAt` and one dip of -50 at `dipAt`. */
function hourWithSpike(make: () => Series, spikeAt: number, dipAt: number): Series {
  const s = make();
  for (let i = 0; i < 3600; i++) s.append(T0 + i * 1000, i === spikeAt ? 1000 : i === dipAt ? -50 : 100);
  return s;
}

function columns(points: Array<[number, number]>): SampleColumns {
  return { t: Float64Array.from(points.map((p) => p[0])), v: Float64Array.from(points.map((p) => p[1])) };
}

describe.each([
  ['plain', () => new RingSeries(3600)],
  ['compressed', () => new CompressedSeries(3600)],
] as Array<[string, () => Series]>)('minMaxBuckets on %s series', (_name, make) => {
  it('gives exactly `width` buckets for an hour at 1 s into 800 pixels, spike and dip kept', () => {
    const s = hourWithSpike(make, 1234, 2345);
    const b = minMaxBuckets(s, T0, T0 + HOUR, 800);
    expect(b.t.length).toBe(800);
    expect(b.min.length).toBe(800);
    expect(b.max.length).toBe(800);
    // 4.5 s a bucket: sample 1234 (t = 1234 s) is in bucket floor(1234 / 4.5) = 274.
    expect(b.max[274]).toBe(1000);
    expect(b.min[274]).toBe(100);
    expect(b.min[Math.floor(2345 / 4.5)]).toBe(-50);
    expect(Math.max(...b.max)).toBe(1000);
    expect(b.max.filter((v) => v === 1000).length).toBe(1);
    expect(b.t[0]).toBe(T0);
    expect(b.t[1]).toBe(T0 + 4500);
    expect(b.t[799]).toBe(T0 + 799 * 4500);
  });

  it('gives one bucket a sample when there are fewer samples than pixels', () => {
    const s = make();
    for (let i = 0; i < 10; i++) s.append(T0 + i * 60_000, i);
    const b = minMaxBuckets(s, T0, T0 + HOUR, 800);
    expect(b.t.length).toBe(10);
    expect([...b.min]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...b.max]).toEqual([...b.min]);
  });

  it('puts a sample at exactly the window end into the last bucket and skips NaN', () => {
    const s = make();
    s.append(T0, 1);
    s.append(T0 + 500, Number.NaN);
    s.append(T0 + 1000, 3);
    const b = minMaxBuckets(s, T0, T0 + 1000, 4);
    expect([...b.t]).toEqual([T0, T0 + 750]);
    expect([...b.max]).toEqual([1, 3]);
  });
});

describe('minMaxBuckets', () => {
  it('treats columns like a stored series and only looks inside the window', () => {
    const cols = columns([[0, 5], [10, 7], [20, 1], [30, 9], [40, 2]]);
    const b = minMaxBuckets(cols, 10, 30, 2);
    expect([...b.t]).toEqual([10, 20]);
    expect([...b.min]).toEqual([7, 1]);
    expect([...b.max]).toEqual([7, 9]);
  });

  it('returns nothing for an inverted window and rejects a bad width', () => {
    expect(minMaxBuckets(columns([[0, 1]]), 10, 0, 5).t.length).toBe(0);
    expect(() => minMaxBuckets(columns([]), 0, 1, 0)).toThrow(/width must be a positive integer, got 0/);
    expect(() => minMaxBuckets(columns([]), 0, 1, 2.5)).toThrow(RangeError);
  });
});

describe('lttb', () => {
  const hour = (): SampleColumns => {
    const pts: Array<[number, number]> = [];
    for (let i = 0; i < 3600; i++) pts.push([T0 + i * 1000, i === 1800 ? 500 : 10 + (i % 2)]);
    return columns(pts);
  };

  it('keeps `threshold` points, the first and the last', () => {
    const out = lttb(hour(), 800);
    expect(out.t.length).toBe(800);
    expect(out.t[0]).toBe(T0);
    expect(out.v[0]).toBe(10);
    expect(out.t[799]).toBe(T0 + 3599 * 1000);
    expect(out.v[799]).toBe(11);
    for (let i = 1; i < 800; i++) expect(out.t[i]).toBeGreaterThan(out.t[i - 1]);
  });

  it('keeps a single-sample spike', () => {
    const out = lttb(hour(), 800);
    const at = out.v.indexOf(500);
    expect(at).toBeGreaterThan(0);
    expect(out.t[at]).toBe(T0 + 1800 * 1000);
  });

  it('picks the largest triangle in each bucket (hand-checked small case)', () => {
    // 6 points into 4: the middle buckets are points {1, 2} and {3, 4}. With a = (0, 0) and
    // the next bucket's average (3.5, 4), twice the areas are |4t − 3.5v|: 0.5 for (1, 1),
    // 23.5 for (2, 9). Then a = (2, 9), next = the last point (5, 0): twice the areas are
    // |−3(v − 9) + 9(2 − t)|: 12 for (3, 2), 9 for (4, 6).
    const out = lttb(columns([[0, 0], [1, 1], [2, 9], [3, 2], [4, 6], [5, 0]]), 4);
    expect([...out.t]).toEqual([0, 2, 3, 5]);
    expect([...out.v]).toEqual([0, 9, 2, 0]);
  });

  it('returns a copy when there are no more points than the threshold, and rejects threshold < 3', () => {
    const input = columns([[1, 1], [2, 2], [3, 3]]);
    const out = lttb(input, 3);
    expect([...out.t]).toEqual([1, 2, 3]);
    expect(out.t).not.toBe(input.t);
    expect(() => lttb(input, 2)).toThrow(/threshold must be an integer >= 3, got 2/);
  });
});
