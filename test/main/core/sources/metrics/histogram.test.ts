import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { type Bucket, histogramSnapshots, quantileFromBuckets } from '../../../../../src/main/core/sources/metrics/histogram';
import { parseExposition } from '../../../../../src/main/core/sources/metrics/parseExposition';
import type { ExpositionFormat, MetricFamily } from '../../../../../src/main/core/sources/metrics/types';

function family(text: string, format?: ExpositionFormat): MetricFamily {
  const r = parseExposition(text, { format });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.families[0];
}

/** The example in Prometheus' documentation of histogram_quantile. */
const DOC_BUCKETS: Bucket[] = [
  { le: 0.05, count: 24054 },
  { le: 0.1, count: 33444 },
  { le: 0.2, count: 100392 },
  { le: 0.5, count: 129389 },
  { le: 1, count: 133988 },
  { le: Infinity, count: 144320 },
];

describe('histogramSnapshots', () => {
  it('gives one snapshot per label set without le, buckets sorted, with sum and count', () => {
    const text = [
      '# TYPE lat histogram',
      'lat_bucket{route="/a",le="+Inf"} 3',
      'lat_bucket{route="/a",le="0.5"} 2',
      'lat_bucket{route="/a",le="0.1"} 1',
      'lat_sum{route="/a"} 1.25',
      'lat_count{route="/a"} 3',
      'lat_created{route="/a"} 1520430000',
      'lat_bucket{le="1e-3",route="/b"} 0',
      'lat_bucket{le="Inf",route="/b"} 4',
      'lat_bucket{le="bogus",route="/b"} 9',
      'lat_count{route="/b"} 4',
      '# EOF',
    ].join('\n');
    expect(histogramSnapshots(family(text, 'openmetrics-1.0'))).toEqual([
      { labels: { route: '/a' }, buckets: [{ le: 0.1, count: 1 }, { le: 0.5, count: 2 }, { le: Infinity, count: 3 }], sum: 1.25, count: 3 },
      { labels: { route: '/b' }, buckets: [{ le: 0.001, count: 0 }, { le: Infinity, count: 4 }], count: 4 },
    ]);
  });

  it('matches label sets whatever their order, and reads gaugehistogram _gsum and _gcount', () => {
    const text = [
      '# TYPE q gaugehistogram',
      'q_bucket{a="1",b="2",le="10"} 4',
      'q_bucket{b="2",a="1",le="+Inf"} 5',
      'q_gsum{b="2",a="1"} 33',
      'q_gcount{a="1",b="2"} 5',
      '# EOF',
    ].join('\n');
    expect(histogramSnapshots(family(text, 'openmetrics-1.0'))).toEqual([
      { labels: { a: '1', b: '2' }, buckets: [{ le: 10, count: 4 }, { le: Infinity, count: 5 }], sum: 33, count: 5 },
    ]);
  });

  it('feeds quantileFromBuckets from real prom-client output', async () => {
    const registry = new Registry();
    const h = new Histogram({ name: 'req_seconds', help: 'h', labelNames: ['route'], buckets: [0.1, 0.5, 1], registers: [registry] });
    for (const v of [0.05, 0.7, 3]) h.observe({ route: '/x' }, v);
    const [snapshot] = histogramSnapshots(family(await registry.metrics()));
    expect(snapshot).toEqual({
      labels: { route: '/x' },
      buckets: [{ le: 0.1, count: 1 }, { le: 0.5, count: 1 }, { le: 1, count: 2 }, { le: Infinity, count: 3 }],
      sum: 3.75,
      count: 3,
    });
    // rank 1.5 falls in (0.5, 1], which holds 1 of its 2 observations below: 0.5 + 0.5 * 0.5.
    expect(quantileFromBuckets(0.5, snapshot.buckets)).toBe(0.75);
  });
});

describe('quantileFromBuckets (Prometheus histogram_quantile semantics)', () => {
  it.each<[number, number]>([
    [0.5, 0.15782995757901658],
    [0, 0],
    [0.1, 0.05 * ((0.1 * 144320) / 24054)],
    [0.99, 1],
    [1, 1],
  ])('q=%d interpolates linearly inside the bucket holding the rank', (q, expected) => {
    expect(quantileFromBuckets(q, DOC_BUCKETS)).toBeCloseTo(expected, 12);
  });

  it('answers -Inf below 0, +Inf above 1 and NaN for a NaN q', () => {
    expect(quantileFromBuckets(-0.1, DOC_BUCKETS)).toBe(-Infinity);
    expect(quantileFromBuckets(1.1, DOC_BUCKETS)).toBe(Infinity);
    expect(quantileFromBuckets(NaN, DOC_BUCKETS)).toBeNaN();
  });

  it.each<[string, Bucket[]]>([
    ['no buckets', []],
    ['no +Inf bucket', [{ le: 1, count: 2 }, { le: 2, count: 3 }]],
    ['only the +Inf bucket', [{ le: Infinity, count: 3 }]],
    ['no observations', [{ le: 1, count: 0 }, { le: Infinity, count: 0 }]],
  ])('is NaN with %s', (_what, buckets) => {
    expect(quantileFromBuckets(0.5, buckets)).toBeNaN();
  });

  it('returns the first bound when it is at most 0 and holds the rank', () => {
    expect(quantileFromBuckets(0.5, [{ le: -1, count: 5 }, { le: 0, count: 5 }, { le: Infinity, count: 5 }])).toBe(-1);
  });

  it('sorts, merges equal bounds and forces monotonic counts, without touching its input', () => {
    const input: Bucket[] = [{ le: Infinity, count: 10 }, { le: 1, count: 2 }, { le: 1, count: 3 }];
    const copy = structuredClone(input);
    // Merged: (1: 5), (+Inf: 10); rank 2.5 of 5 in [0, 1].
    expect(quantileFromBuckets(0.25, input)).toBe(0.5);
    expect(input).toEqual(copy);
    // 0.2 reports fewer than 0.1: treated as 10; rank 5 of 10 in [0, 0.1].
    expect(quantileFromBuckets(0.5, [{ le: 0.1, count: 10 }, { le: 0.2, count: 5 }, { le: Infinity, count: 10 }])).toBe(0.05);
  });
});
