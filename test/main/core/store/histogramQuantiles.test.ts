import { describe, expect, it } from 'vitest';
import { bucketQuantile, findBucketSeries, histogramQuantiles } from '../../../../src/main/core/store/histogramQuantiles';
import { seriesKey } from '../../../../src/main/core/store/seriesKey';
import { SeriesStore } from '../../../../src/main/core/store/seriesStore';

/** prom-client's default buckets, as exposed: 0.005 .. 10 and +Inf. */
const LE_TEXT = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];
const LE = LE_TEXT.map((s) => (s === '+Inf' ? Infinity : Number(s)));
/** Cumulative counts of 100 observations. */
const COUNTS = [2, 10, 30, 45, 70, 80, 88, 95, 98, 99, 100, 100];

describe('bucketQuantile (Prometheus histogram_quantile)', () => {
  it('interpolates linearly inside the bucket holding the rank', () => {
    // p50: rank 50 falls in (0.05, 0.1] holding 45..70: 0.05 + 0.05 × (50 − 45) / 25.
    expect(bucketQuantile(0.5, LE, COUNTS)).toBeCloseTo(0.06, 12);
    // p90: rank 90 falls in (0.5, 1] holding 88..95: 0.5 + 0.5 × 2 / 7.
    expect(bucketQuantile(0.9, LE, COUNTS)).toBeCloseTo(0.5 + 0.5 * (2 / 7), 12);
    // p99: rank 99 is the top of (2.5, 5] holding 98..99.
    expect(bucketQuantile(0.99, LE, COUNTS)).toBeCloseTo(5, 12);
    // p1: rank 1 in the lowest bucket, which starts at 0: 0.005 × 1 / 2.
    expect(bucketQuantile(0.01, LE, COUNTS)).toBeCloseTo(0.0025, 12);
  });

  it('answers the highest finite bound when the rank falls in the +Inf bucket', () => {
    const withTail = [...COUNTS.slice(0, 11), 110];
    expect(bucketQuantile(0.99, LE, withTail)).toBe(10);
    expect(bucketQuantile(0.5, LE, withTail)).toBeCloseTo(0.05 + 0.05 * (10 / 25), 12);
  });

  it('is NaN without observations, without a +Inf bucket, or for q = NaN; ±Inf outside [0, 1]', () => {
    expect(bucketQuantile(0.5, LE, LE.map(() => 0))).toBeNaN();
    expect(bucketQuantile(0.5, LE.slice(0, 11), COUNTS.slice(0, 11))).toBeNaN();
    expect(bucketQuantile(0.5, [Infinity], [5])).toBeNaN();
    expect(bucketQuantile(Number.NaN, LE, COUNTS)).toBeNaN();
    expect(bucketQuantile(-0.1, LE, COUNTS)).toBe(-Infinity);
    expect(bucketQuantile(1.1, LE, COUNTS)).toBe(Infinity);
  });

  it('sorts buckets itself and lifts non-monotonic counts to the running maximum', () => {
    const order = [11, 3, 0, 7, 5, 1, 9, 2, 10, 4, 8, 6];
    expect(bucketQuantile(0.9, order.map((i) => LE[i]), order.map((i) => COUNTS[i]))).toBeCloseTo(0.5 + 0.5 * (2 / 7), 12);
    // 45 → 40 at 0.1 is lifted to 45, so rank 50 falls in (0.1, 0.25] holding 45..80.
    const dented = [2, 10, 30, 45, 40, 80, 88, 95, 98, 99, 100, 100];
    expect(bucketQuantile(0.5, LE, dented)).toBeCloseTo(0.1 + 0.15 * (5 / 35), 12);
  });
});

/** A store holding one target's delivery-latency histogram: cumulative counts at t = 0, 10 s, 20 s, 30 s. */
function storeWithHistogram(): SeriesStore {
  const store = new SeriesStore({ retentionMs: 60_000, resolutionMs: 1000 });
  const base = LE.map((_, i) => 1000 + 10 * i);
  const restarted = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4];
  const snapshots: Array<[number, number[]]> = [
    [0, base],
    [10_000, base.map((b, i) => b + COUNTS[i])],
    [20_000, restarted], // the node restarted: counters begin again from 0
    [30_000, restarted],
  ];
  for (const [t, counts] of snapshots) {
    LE_TEXT.forEach((le, i) => store.append('node-1', seriesKey('realtime_delivery_latency_seconds_bucket', { le }), t, counts[i]));
    store.append('node-1', 'realtime_delivery_latency_seconds_count', t, counts[11]);
  }
  return store;
}

describe('histogramQuantiles over a window', () => {
  it('computes p50/p90/p99 of the observations made between two points in time', () => {
    const buckets = findBucketSeries(storeWithHistogram(), 'node-1', 'realtime_delivery_latency_seconds');
    const [p50, p90, p99] = histogramQuantiles(buckets, 0, 10_000);
    expect(p50).toBeCloseTo(0.06, 12);
    expect(p90).toBeCloseTo(0.5 + 0.5 * (2 / 7), 12);
    expect(p99).toBeCloseTo(5, 12);
  });

  it('counts what came after a restart, not a negative difference', () => {
    const buckets = findBucketSeries(storeWithHistogram(), 'node-1', 'realtime_delivery_latency_seconds');
    // 4 observations in (5, 10] after the restart: 5 + 5 × rank / 4.
    expect(histogramQuantiles(buckets, 10_000, 20_000, [0.5, 0.9])).toEqual([7.5, 9.5]);
  });

  it('is NaN when nothing was observed in the window', () => {
    const buckets = findBucketSeries(storeWithHistogram(), 'node-1', 'realtime_delivery_latency_seconds');
    expect(histogramQuantiles(buckets, 20_000, 30_000).every(Number.isNaN)).toBe(true);
    expect(histogramQuantiles(buckets, 40_000, 50_000).every(Number.isNaN)).toBe(true);
    expect(histogramQuantiles([], 0, 10_000).every(Number.isNaN)).toBe(true);
  });
});

describe('findBucketSeries', () => {
  it('finds the `le` series of one label set, sorted by bound, skipping unparsable bounds', () => {
    const store = new SeriesStore();
    const name = 'realtime_pubsub_lag_seconds_bucket';
    for (const le of ['+Inf', '0.5', '0.05', 'junk']) store.append('n', seriesKey(name, { le }), 1, 1);
    store.append('n', seriesKey(name, { le: '0.1', region: 'eu' }), 1, 1);
    store.append('n', seriesKey(name, { le: '0.2', region: 'us' }), 1, 1);
    store.append('n', 'realtime_pubsub_lag_seconds_sum', 1, 1);
    store.append('n', seriesKey('realtime_pubsub_lag_seconds_bucket_other', { le: '1' }), 1, 1);
    expect(findBucketSeries(store, 'n', 'realtime_pubsub_lag_seconds').map((b) => b.le)).toEqual([0.05, 0.5, Infinity]);
    expect(findBucketSeries(store, 'n', 'realtime_pubsub_lag_seconds', { region: 'eu' }).map((b) => b.le)).toEqual([0.1]);
    expect(findBucketSeries(store, 'unknown', 'realtime_pubsub_lag_seconds')).toEqual([]);
  });
});
