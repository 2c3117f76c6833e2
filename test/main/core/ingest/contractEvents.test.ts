import { describe, expect, it } from 'vitest';
import { fastVitals, vitalsSchema } from '../../../../src/main/core/ingest/contractEvents';

/** Deterministic pseudo-random numbers (mulberry32), so a failure reproduces. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const vitals = () => ({
  ts: 1_712_345_678_901, node: 'gw-1', state: 'serving',
  connections: { ws: 700, sse: 200, longpoll: 100 }, limit: 10000,
  rates: { opened: 1, closed: 1, reconnects: 0.5, published: 30, delivered: 900, dropped: 0 },
  pubsubLagMs: { p50: 1, p99: 10 }, deliveryLatencyMs: { p50: 0.5, p99: 2.5 },
  presence: { online: 720, away: 50 }, eventLoopLagMs: 10.5, rssBytes: 90_000_000, busConnected: true,
});

/** Paths to every leaf of an object. */
function leaves(o: Record<string, unknown>, prefix: string[] = []): string[][] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? leaves(v as Record<string, unknown>, [...prefix, k]) : [[...prefix, k]]));
}

const STRANGE: unknown[] = [
  -1, -0, 0, 1e9, 1e9 + 1, 1e7 + 0.5, 1e14, 1e14 + 1e3, 1e15, NaN, Infinity, -Infinity, '1', '', 'x'.repeat(201), 'draining', 'drained', 'bogus',
  true, false, null, undefined, {}, [], [1], { ws: 1 },
];

describe('fastVitals', () => {
  it('accepts exactly what vitalsSchema accepts, and gives the same object', () => {
    const rand = prng(9);
    const paths = leaves(vitals());
    const check = (data: unknown) => {
      const z = vitalsSchema.safeParse(data);
      const fast = fastVitals(data);
      expect(fast, JSON.stringify(data)).toEqual(z.success ? z.data : undefined);
      if (fast !== undefined && z.success) expect(JSON.stringify(fast)).toBe(JSON.stringify(z.data));
    };
    check(vitals());
    check({ ...vitals(), extra: 1, rates: { ...vitals().rates, more: 'x' } });
    for (const x of [null, undefined, 1, 'vitals', [], [vitals()]]) check(x);
    for (const path of paths) {
      for (const value of STRANGE) {
        const d = vitals() as Record<string, unknown>;
        let o = d;
        for (const k of path.slice(0, -1)) o = o[k] as Record<string, unknown>;
        o[path.at(-1)!] = value;
        check(d);
        delete o[path.at(-1)!];
        check(d);
      }
    }
    for (let i = 0; i < 2000; i++) {
      const d = vitals() as Record<string, unknown>;
      for (let m = 1 + Math.floor(rand() * 3); m > 0; m--) {
        const path = paths[Math.floor(rand() * paths.length)];
        let o = d;
        for (const k of path.slice(0, -1)) o = (typeof o[k] === 'object' && o[k] !== null ? o[k] : (o[k] = {})) as Record<string, unknown>;
        o[path.at(-1)!] = STRANGE[Math.floor(rand() * STRANGE.length)];
      }
      check(d);
    }
  });
});
