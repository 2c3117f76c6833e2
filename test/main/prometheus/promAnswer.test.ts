import { describe, expect, it } from 'vitest';
import { conceptFigures, expandQuery, rateWindowSec } from '../../../src/main/core/sources/prometheus';
import { readEnvelope, readMatrix, readVector, sampleValue } from '../../../src/main/core/sources/prometheus/promAnswer';
import type { Concept } from '../../../src/main/core/profiles';

describe('Prometheus answers', () => {
  it('sample values: numbers, NaN and infinities as Prometheus writes them; nothing else', () => {
    expect([sampleValue('1.5'), sampleValue('+Inf'), sampleValue('-Inf'), sampleValue('1e3')]).toEqual([1.5, Infinity, -Infinity, 1000]);
    expect(sampleValue('NaN')).toBeNaN();
    expect([sampleValue(''), sampleValue('x'), sampleValue(3)]).toEqual([null, null, null]);
  });

  it('vectors and matrices are checked field by field', () => {
    expect(readVector({ resultType: 'vector', result: [{ metric: { instance: 'a' }, value: [1700000000.5, '3'] }] })).toEqual({ ok: true, resultType: 'vector', samples: [{ labels: { instance: 'a' }, t: 1700000000.5, v: 3 }] });
    expect(readVector({ resultType: 'vector', result: [{ metric: { instance: 1 }, value: [1, '3'] }] })).toEqual({ ok: false, why: 'data.result[0] is not a sample with metric and value' });
    expect(readVector({ resultType: 'vector', result: [{ metric: {}, value: [1, 'three'] }] })).toEqual({ ok: false, why: 'data.result[0].value is not a number' });
    expect(readVector({ resultType: 'scalar', result: [1, '2'] })).toEqual({ ok: true, resultType: 'scalar', samples: [] });
    expect(readMatrix({ resultType: 'matrix', result: [{ metric: {}, values: [[1, '1'], [2, 'NaN']] }] })).toMatchObject({ ok: true, series: [{ t: [1, 2] }] });
    expect(readMatrix({ resultType: 'matrix', result: [{ metric: {}, values: [[1]] }] })).toEqual({ ok: false, why: 'data.result[0].values holds a point that is not [time, "number"]' });
    expect(readEnvelope({ status: 'error', errorType: 'bad_data', error: 'parse error' })).toEqual({ kind: 'error', errorType: 'bad_data', error: 'parse error' });
    expect(readEnvelope({ data: 1 })).toEqual({ kind: 'foreign', why: 'JSON that is not a Prometheus API answer (no "status")' });
  });
});

describe('queries and figures', () => {
  it('the rate window covers four scrapes, and one step and a scrape in range queries', () => {
    expect(rateWindowSec(5000)).toBe(20);
    expect(rateWindowSec(1000)).toBe(4);
    expect(rateWindowSec(5000, 60_000)).toBe(65);
    expect(expandQuery('rate(a[$__rate_interval]) / rate(b[$__rate_interval])', 20)).toBe('rate(a[20s]) / rate(b[20s])');
  });

  it('per-node answers become the figures the direct scraper makes (ms, two decimals, unknown stays unknown)', () => {
    const all = new Set<Concept>(['draining', 'busConnected']);
    const f = conceptFigures(
      { values: { connectionsWs: 7, connectionsSse: 2, deliveredRate: 10.123, lagP50: 0.0012345, lagP99: NaN, presenceOnline: 5, draining: 1, drainRemaining: 3, busConnected: 0, connectionLimit: 100 }, bootId: 'b' },
      1000,
      all,
    );
    expect(f).toEqual({
      at: 1000, state: 'draining', connections: { ws: 7, sse: 2, longpoll: 0 }, limit: 100,
      deliveredPerSec: 10.12, publishedPerSec: 0, reconnectsPerSec: 0, droppedPerSec: 0,
      lagP50Ms: 1.23, lagP99Ms: null, presence: { online: 5, away: 0 }, busConnected: false,
    });
    expect(conceptFigures({ values: { draining: 1, drainRemaining: 0 }, bootId: null }, 1, all).state).toBe('drained');
    // A profile without a draining concept cannot say the node serves: state unknown.
    expect(conceptFigures({ values: {}, bootId: null }, 1, new Set()).state).toBeNull();
    expect(conceptFigures({ values: {}, bootId: null }, 1, all)).toMatchObject({ state: 'serving', busConnected: null, limit: null });
  });
});
