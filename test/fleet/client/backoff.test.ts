import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../src/fleet/client';

/** A seeded generator (mulberry32), so the jitter is random but reproducible. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const B = { baseMs: 250, maxMs: 10_000 };

describe('backoffDelay', () => {
  it('spans the whole window [0, base·2^attempt) with full jitter', () => {
    // random() near 1 gives the top of the window, 0 gives 0: no floor, no fixed part.
    expect(backoffDelay(0, B, () => 0)).toBe(0);
    expect(backoffDelay(0, B, () => 0.999_999)).toBe(249);
    expect(backoffDelay(1, B, () => 0.999_999)).toBe(499);
    expect(backoffDelay(3, B, () => 0.5)).toBe(1000);
    expect(backoffDelay(4, B, () => 0.25)).toBe(1000);
  });

  it('caps the window at maxMs, even for huge attempt counts', () => {
    expect(backoffDelay(6, B, () => 0.999_999)).toBe(9_999);
    expect(backoffDelay(50, B, () => 0.5)).toBe(5_000);
    expect(backoffDelay(5_000, B, () => 0.5)).toBe(5_000);
  });

  it('grows with the attempt: the mean of many draws doubles until the cap', () => {
    const random = seeded(42);
    const mean = (attempt: number): number => {
      let sum = 0;
      for (let i = 0; i < 4000; i++) sum += backoffDelay(attempt, B, random);
      return sum / 4000;
    };
    const means = [0, 1, 2, 3, 4, 5, 6, 7].map(mean);
    // Expected mean is half the window: 125, 250, 500, 1000, 2000, 4000, then 5000 (capped).
    [125, 250, 500, 1000, 2000, 4000, 5000, 5000].forEach((expected, i) => {
      expect(Math.abs(means[i] - expected) / expected).toBeLessThan(0.06);
    });
  });

  it('is jittered: draws for one attempt are spread over the window, not clustered', () => {
    const random = seeded(7);
    const draws = Array.from({ length: 2000 }, () => backoffDelay(4, B, random)); // window [0, 4000)
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(4000);
    // Each quarter of the window gets about a quarter of the draws.
    for (let q = 0; q < 4; q++) {
      const n = draws.filter((d) => d >= q * 1000 && d < (q + 1) * 1000).length;
      expect(n).toBeGreaterThan(400);
      expect(n).toBeLessThan(600);
    }
    expect(new Set(draws).size).toBeGreaterThan(1000);
    expect(draws.every(Number.isInteger)).toBe(true);
  });
});
