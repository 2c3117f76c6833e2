import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, backoffDelay } from '../../../../../src/main/core/sources/eventStream';

const fixed = (r: number) => () => r;

describe('backoffDelay', () => {
  it('is random() times a ceiling that doubles per attempt from baseMs', () => {
    const b = { baseMs: 100, maxMs: 10_000 };
    expect([0, 1, 2, 3, 4].map((a) => backoffDelay(a, 0, fixed(0.5), b))).toEqual([50, 100, 200, 400, 800]);
    expect(backoffDelay(3, 0, fixed(0.25), b)).toBe(200);
  });

  it('uses full jitter: anywhere from 0 up to the ceiling', () => {
    const b = { baseMs: 100, maxMs: 10_000 };
    expect(backoffDelay(2, 0, fixed(0), b)).toBe(0);
    expect(backoffDelay(2, 0, fixed(0.999), b)).toBe(399);
  });

  it('caps the ceiling at maxMs, even for huge attempt counts', () => {
    const b = { baseMs: 100, maxMs: 1000 };
    expect(backoffDelay(4, 0, fixed(0.5), b)).toBe(500);
    expect(backoffDelay(10, 0, fixed(0.999), b)).toBe(999);
    expect(backoffDelay(5000, 0, fixed(0.5), b)).toBe(500);
  });

  it('never goes below the server-advised retry', () => {
    const b = { baseMs: 100, maxMs: 1000 };
    expect(backoffDelay(0, 300, fixed(0.5), b)).toBe(300);
    expect(backoffDelay(3, 300, fixed(0.5), b)).toBe(400);
    expect(backoffDelay(0, 3000, fixed(0.999), b)).toBe(3000);
  });

  it('clamps a misbehaving random source', () => {
    const b = { baseMs: 100, maxMs: 1000 };
    expect(backoffDelay(1, 0, fixed(7), b)).toBe(200);
    expect(backoffDelay(1, 0, fixed(-1), b)).toBe(0);
    expect(backoffDelay(1, 0, fixed(Number.NaN), b)).toBe(200);
  });

  it('defaults to 500 ms base and 30 s ceiling', () => {
    expect(DEFAULT_BACKOFF).toEqual({ baseMs: 500, maxMs: 30_000 });
    expect(backoffDelay(0, 0, fixed(0.5))).toBe(250);
    expect(backoffDelay(20, 0, fixed(0.5))).toBe(15_000);
  });
});
