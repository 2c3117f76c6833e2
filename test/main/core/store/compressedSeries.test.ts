import { describe, expect, it } from 'vitest';
import { CompressedSeries } from '../../../../src/main/core/store/compressedSeries';
import { PagePool } from '../../../../src/main/core/store/pagePool';
import { RingSeries } from '../../../../src/main/core/store/ringSeries';
import { SERIES_OBJECT_OVERHEAD_BYTES } from '../../../../src/main/core/store/seriesReader';
import type { SeriesReader } from '../../../../src/main/core/store/seriesReader';

/** Deterministic pseudo-random numbers in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function all(series: SeriesReader, from = -Infinity, to = Infinity): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  series.scan(from, to, (t, v) => out.push([t, v]));
  return out;
}

/** Appends the same samples to a compressed series and to a plain ring of the same capacity. */
function twins(capacity: number, samples: Array<[number, number]>, pool: PagePool, chunkSamples = 120): [CompressedSeries, RingSeries] {
  const c = new CompressedSeries(capacity, { pool, chunkSamples });
  const r = new RingSeries(capacity);
  for (const [t, v] of samples) expect(c.append(t, v)).toBe(r.append(t, v));
  return [c, r];
}

/** Awkward data: jitter, gaps, fractional ms, duplicates, floats, NaN, -0, ±Infinity, huge integers. */
function awkwardSamples(n: number, seed: number): Array<[number, number]> {
  const r = lcg(seed);
  const out: Array<[number, number]> = [];
  let t = 1_700_000_000_000;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const k = r();
    t += k < 0.5 ? 1000 : k < 0.7 ? 1000 + Math.floor(r() * 9) - 4 : k < 0.8 ? Math.floor(r() * 100_000) : k < 0.9 ? r() * 5000 : k < 0.95 ? 0 : -3;
    const j = r();
    v = j < 0.3 ? v : j < 0.55 ? v + Math.floor(r() * 3000) : j < 0.7 ? r() * 1e6 : j < 0.75 ? Number.NaN : j < 0.8 ? -0 : j < 0.85 ? -Infinity : j < 0.9 ? 2 ** 60 + 4096 * Math.floor(r() * 1000) : -Math.floor(r() * 1e9);
    out.push([t, v]);
  }
  return out;
}

describe('CompressedSeries', () => {
  it('gives back exactly what a plain ring holds, bit for bit, across odd page sizes', () => {
    for (const pageBytes of [1, 3, 16, 256]) {
      const pool = new PagePool({ pageBytes, pagesPerSlab: 7 });
      const [c, r] = twins(700, awkwardSamples(3000, pageBytes), pool, 50);
      expect(c.length).toBe(r.length);
      expect(c.firstTimestamp()).toBe(r.firstTimestamp());
      expect(c.latestTimestamp()).toBe(r.latestTimestamp());
      const got = all(c);
      const want = all(r);
      expect(got.length).toBe(want.length);
      for (let i = 0; i < want.length; i++) {
        expect(got[i][0]).toBe(want[i][0]);
        expect(Object.is(got[i][1], want[i][1])).toBe(true);
      }
    }
  });

  it('answers range and point queries like the plain ring at chunk and retention edges', () => {
    const samples: Array<[number, number]> = [];
    for (let i = 0; i < 1000; i++) samples.push([1000 * i, 7 * i]);
    const [c, r] = twins(250, samples, new PagePool(), 100);
    // 1000 samples, capacity 250: visible are i = 750..999; chunks of 100 start at i = 700, 800, 900.
    expect(c.length).toBe(250);
    expect(c.firstTimestamp()).toBe(750_000);
    for (const [from, to] of [[0, 1e9], [749_000, 751_000], [799_000, 800_000], [800_000, 800_000], [899_500, 900_500], [999_000, 2e6], [0, 749_999]]) {
      expect(all(c, from, to)).toEqual(all(r, from, to));
    }
    const p = { tMs: 0, value: 0 };
    const q = { tMs: 0, value: 0 };
    for (const at of [749_999, 750_000, 799_999, 800_000, 850_500, 1e12]) {
      expect(c.sampleAtOrBefore(at, p)).toBe(r.sampleAtOrBefore(at, q));
      expect(p).toEqual(q);
    }
    expect(c.sampleAtOrBefore(749_999, p)).toBe(false);
  });

  it('rejects duplicate, out-of-order and non-finite timestamps without storing them', () => {
    const c = new CompressedSeries(10);
    expect(c.append(5000, 1)).toBe('ok');
    expect(c.append(5000, 2)).toBe('duplicate');
    expect(c.append(4000, 3)).toBe('out-of-order');
    expect(c.append(Number.NaN, 3)).toBe('invalid');
    expect(all(c)).toEqual([[5000, 1]]);
  });

  it('costs exactly 49 bytes for a chunk of 120 regular constant samples', () => {
    // First sample raw (128 bits); second: step 1000 ms set (4 + 16 bits) + unchanged value
    // (1 bit); 118 more at 1 + 1 bits: 385 bits, i.e. 49 bytes; the next chunk starts at a byte.
    const c = new CompressedSeries(3600, { pool: new PagePool({ pageBytes: 64 }) });
    for (let i = 0; i < 120; i++) c.append(1_700_000_000_000 + 1000 * i, 42);
    expect(c.usedBytes()).toBe(49);
    for (let i = 120; i < 240; i++) c.append(1_700_000_000_000 + 1000 * i, 42);
    expect(c.usedBytes()).toBe(98);
  });

  it('accounts pages, page-id ring and chunk table exactly', () => {
    const pool = new PagePool({ pageBytes: 64 });
    const c = new CompressedSeries(3600, { pool });
    // One page (64) + page-id ring of 4 entries (32) + chunk table 2 × (3600 / 120 + 2) doubles (512).
    expect(c.approxBytes()).toBe(64 + 32 + 512 + SERIES_OBJECT_OVERHEAD_BYTES);
    for (let i = 0; i < 240; i++) c.append(1000 * i, 42);
    expect(c.approxBytes()).toBe(2 * 64 + 32 + 512 + SERIES_OBJECT_OVERHEAD_BYTES);
    expect(pool.pagesInUse()).toBe(2);
  });

  it('keeps a busy counter with scrape jitter under 3 bytes a sample', () => {
    const r = lcg(3);
    const c = new CompressedSeries(3600);
    let v = 0;
    for (let i = 0; i < 3600; i++) c.append(1_700_000_000_000 + 1000 * i + Math.floor(r() * 5), (v += Math.round(2000 * (0.8 + 0.4 * r()))));
    expect(c.usedBytes() / 3600).toBeLessThan(3);
    expect(c.usedBytes() / 3600).toBeGreaterThan(1);
  });

  it('recycles its pages once full: memory stops growing', () => {
    const pool = new PagePool({ pageBytes: 32 });
    const c = new CompressedSeries(600, { pool });
    let v = 0;
    for (let i = 0; i < 2000; i++) c.append(1000 * i, (v += i % 7));
    const pages = pool.pagesInUse();
    for (let i = 2000; i < 6000; i++) c.append(1000 * i, (v += i % 7));
    expect(pool.pagesInUse()).toBeLessThanOrEqual(pages + 1);
    expect(c.length).toBe(600);
    expect(c.firstTimestamp()).toBe(5_400_000);
  });

  it('returns every page to the pool when disposed and then stays empty', () => {
    const pool = new PagePool({ pageBytes: 16 });
    const c = new CompressedSeries(100, { pool });
    for (let i = 0; i < 300; i++) c.append(i * 1000, i * 1.5);
    expect(pool.pagesInUse()).toBeGreaterThan(1);
    c.dispose();
    expect(pool.pagesInUse()).toBe(0);
    expect(c.length).toBe(0);
    expect(c.append(1e9, 1)).toBe('invalid');
    expect(all(c)).toEqual([]);
  });

  it('rejects a bad capacity or chunk size, naming it', () => {
    expect(() => new CompressedSeries(0)).toThrow(/capacity must be an integer/);
    expect(() => new CompressedSeries(10, { chunkSamples: 1 })).toThrow(/chunkSamples must be an integer in \[2, 65536\], got 1/);
  });
});
