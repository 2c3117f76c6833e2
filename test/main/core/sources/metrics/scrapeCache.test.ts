import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../../../../src/main/core/sources/metrics/parseExposition';
import { ExpositionCache } from '../../../../../src/main/core/sources/metrics/skeleton';
import type { ExpositionFormat, ParseOptions, ParseResult } from '../../../../../src/main/core/sources/metrics/types';

const OM: ExpositionFormat = 'openmetrics-1.0';

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

/** Parses with the cache and without; both must give the same answer (values and errors alike). */
function same(text: string, cache: ExpositionCache, opts: ParseOptions = {}): ParseResult {
  const cached = parseExposition(text, { ...opts, cache });
  const plain = parseExposition(text, opts);
  expect(cached, text).toEqual(plain);
  return cached;
}

const NODE = (v: { conns: number; lag: string; ts?: string; eol?: string }) => [
  '# HELP realtime_connections Open client connections now.',
  '# TYPE realtime_connections gauge',
  `realtime_connections{transport="ws"} ${v.conns}${v.ts ?? ''}`,
  `realtime_connections{transport="sse"} ${v.conns + 1}`,
  '# TYPE realtime_pubsub_lag_seconds histogram',
  `realtime_pubsub_lag_seconds_bucket{le="0.01"} ${v.conns}`,
  `realtime_pubsub_lag_seconds_bucket{le="+Inf"} ${v.conns * 2}`,
  `realtime_pubsub_lag_seconds_sum ${v.lag}`,
  `realtime_pubsub_lag_seconds_count ${v.conns * 2}`,
  'up 1',
].join(v.eol ?? '\n');

describe('parseExposition with a scrape cache', () => {
  it('answers a repeat with new values from the cache: same families, label objects shared', () => {
    const cache = new ExpositionCache();
    const first = same(`${NODE({ conns: 10, lag: '0.5' })}\n`, cache);
    const second = same(`${NODE({ conns: 12345, lag: '1.25e-3' })}\n`, cache);
    expect(cache.hits).toBe(1);
    if (!first.ok || !second.ok) throw new Error('expected parses');
    expect(second.value.families[0].samples.map((s) => s.value)).toEqual([12345, 12346]);
    expect(second.value.families[1].samples.at(-2)?.value).toBe(0.00125);
    // The same label objects: a store can find a series by object identity.
    expect(second.value.families[0].samples[0].labels).toBe(first.value.families[0].samples[0].labels);
    expect(Object.keys(second.value.families[0])).toEqual(['name', 'type', 'help', 'samples']);
  });

  it('gives the full parser\'s answer whenever the text differs from the skeleton beyond its values', () => {
    const base = `${NODE({ conns: 1, lag: '0.5' })}\n`;
    const variants = [
      base.replace('transport="sse"', 'transport="longpoll"'),
      base.replace('up 1\n', 'up 1\nnew_series 2\n'),
      base.replace('up 1\n', ''),
      base.replace('Open client', 'Open'),
      base.replace('realtime_connections{transport="ws"} 1', 'realtime_connections{transport="ws"} 1 1712345678901'),
      base.replace('realtime_connections{transport="ws"} 1', 'realtime_connections{transport="ws"} 1   '),
      base.replace('realtime_connections{transport="ws"} 1', 'realtime_connections{transport="ws"}  1'),
      base.replace('realtime_connections{transport="ws"} 1', 'realtime_connections{transport="ws"} Nan'),
      base.replace('realtime_connections{transport="ws"} 1', 'realtime_connections{transport="ws"} -Inf'),
      base.replace('realtime_connections{transport="ws"} 1', 'realtime_connections{transport="ws"} 1x'),
      base.replace('realtime_connections{transport="ws"} 1', 'realtime_connections{transport="ws"}'),
      base.replace('realtime_connections{transport="ws"} 1', 'realtime_connections{transport="ws"} 1 2 3'),
      base.replace('realtime_connections{transport="ws"} 1', 'realtime_connections{transport="ws"} 1 12.5'),
      base.replace(/\n/g, '\r\n'),
      base.slice(0, -1),
      `${base}\n\n`,
      base.slice(0, base.length - 3),
      `${base}# a comment\n`,
      `${base}# TYPE up gauge\n`,
      '',
      '\n',
    ];
    for (const text of variants) {
      const cache = new ExpositionCache();
      same(base, cache);
      same(text, cache);
      // And back: the cache now holds the variant's skeleton (or none).
      same(base, cache);
      same(text, cache);
    }
  });

  it('reads timestamps and CRLF from the cache too', () => {
    const cache = new ExpositionCache();
    same(`${NODE({ conns: 1, lag: '0.5', ts: ' 1712345678901', eol: '\r\n' })}\r\n`, cache);
    same(`${NODE({ conns: 2, lag: '0.25', ts: ' 1712345679901', eol: '\r\n' })}\r\n`, cache);
    expect(cache.hits).toBe(1);
  });

  it('handles OpenMetrics: float-second timestamps, # EOF with or without a newline, exemplars in full', () => {
    const om = (v: number, tail: string, ex = '') => [
      '# TYPE jobs counter', `jobs_total{queue="a"} ${v} 1520879607.789${ex}`, `jobs_total{queue="b"} ${v * 2}`, `# EOF${tail}`,
    ].join('\n');
    const cache = new ExpositionCache();
    same(om(1, '\n'), cache, { format: OM });
    same(om(2, '\n'), cache, { format: OM });
    same(om(3, ''), cache, { format: OM });
    same(om(4, '\n') + 'x 1\n', cache, { format: OM });
    same(om(5, '\n').replace('# EOF\n', ''), cache, { format: OM });
    same(om(6, '\n'), cache, { format: OM });
    expect(cache.hits).toBeGreaterThanOrEqual(2);
    // An exposition with exemplars is always read by the full parser.
    const exemplars = new ExpositionCache();
    same(om(1, '\n', ' # {trace_id="x"} 1'), exemplars, { format: OM });
    same(om(2, '\n', ' # {trace_id="y"} 2'), exemplars, { format: OM });
    expect(exemplars.hits).toBe(0);
  });

  it('does not use a skeleton recorded for another format or other limits', () => {
    const cache = new ExpositionCache();
    const text = 'a_total 1\n# EOF\n';
    same(text, cache);
    same(text, cache, { format: OM });
    same(text, cache, { format: OM, maxSamples: 0 });
    same('a 1\nb 2\n', cache, { maxSamples: 2 });
    same('a 1\nb 2\n', cache, { maxSamples: 1 });
    same('a{x="long value"} 1\n', cache);
    same('a{x="long value"} 2\n', cache, { maxLabelValueBytes: 4 });
  });

  it('matches the full parser on random value changes and mutations of a primed cache', () => {
    const rand = prng(17);
    const noise = '{}="\\,# \n\t\r.-+eE0123456789aN';
    let hits = 0;
    for (let i = 0; i < 1500; i++) {
      const om = i % 3 === 0;
      const opts: ParseOptions = om ? { format: OM } : {};
      const lines: string[] = [];
      const families = 1 + Math.floor(rand() * 4);
      for (let f = 0; f < families; f++) {
        if (rand() < 0.7) lines.push(`# TYPE f${f} ${om ? 'gauge' : rand() < 0.5 ? 'gauge' : 'untyped'}`);
        const series = 1 + Math.floor(rand() * 5);
        for (let s = 0; s < series; s++) {
          const labels = rand() < 0.2 ? '' : `{a="${s}",b="${rand() < 0.5 ? 'x' : 'y\\"z'}"}`;
          lines.push(`f${f}${labels} ${Math.floor(rand() * 1000) / 10}${!om && rand() < 0.1 ? ' 1712345678901' : ''}`);
        }
      }
      if (om) lines.push('# EOF');
      const text = `${lines.join('\n')}\n`;
      const cache = new ExpositionCache();
      same(text, cache, opts);
      // Same skeleton, other values.
      same(text.replace(/ (\d+(\.\d+)?)(?=\n| )/g, () => ` ${Math.floor(rand() * 1e6) / 100}`), cache, opts);
      // A few random characters changed.
      const chars = [...text];
      for (let m = 1 + Math.floor(rand() * 3); m > 0; m--) chars[Math.floor(rand() * chars.length)] = noise[Math.floor(rand() * noise.length)];
      same(chars.join(''), cache, opts);
      same(text, cache, opts);
      hits += cache.hits;
    }
    // The value-only change is answered from the cache (when its random value did not add a timestamp-like token).
    expect(hits).toBeGreaterThan(1200);
  });

  it('backs off after the fast path gives up, and comes back to it', () => {
    const cache = new ExpositionCache();
    let n = 0;
    // A series whose label changes every scrape: the skeleton never matches.
    for (let i = 0; i < 40; i++) same(`a 1\nb{t="${n++}"} 2\n`, cache);
    expect(cache.hits).toBe(0);
    for (let i = 0; i < 200; i++) same(`a ${i}\nb{t="steady"} 2\n`, cache);
    expect(cache.hits).toBeGreaterThan(100);
  });
});
