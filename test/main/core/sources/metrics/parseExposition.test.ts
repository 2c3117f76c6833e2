import { Counter, Gauge, Histogram, Registry, type RegistryContentType, Summary, collectDefaultMetrics } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { contentTypeToFormat, parseExposition } from '../../../../../src/main/core/sources/metrics/parseExposition';
import type { ExpositionFormat, MetricFamily, ParseError, ParseOptions } from '../../../../../src/main/core/sources/metrics/types';

const OM: ExpositionFormat = 'openmetrics-1.0';

function families(text: string, opts: ParseOptions = {}): MetricFamily[] {
  const r = parseExposition(text, opts);
  if (!r.ok) throw new Error(`expected a parse, got: ${r.error.message}`);
  return r.value.families;
}

function failure(text: string, opts: ParseOptions = {}): ParseError {
  const r = parseExposition(text, opts);
  if (r.ok) throw new Error('expected a parse error');
  return r.error;
}

describe('parseExposition: Prometheus text format 0.0.4', () => {
  it('reads HELP (unescaping \\\\ and \\n), TYPE, labels, values and ms timestamps', () => {
    const text = [
      '# HELP http_requests_total Requests served.\\nSecond line with \\\\ and \\q kept.',
      '# TYPE http_requests_total counter',
      'http_requests_total{method="get",code="200"} 1027 1395066363000',
      'http_requests_total{method="post",code="400"} 3 -1',
      '',
    ].join('\n');
    expect(families(text)).toEqual([{
      name: 'http_requests_total',
      type: 'counter',
      help: 'Requests served.\nSecond line with \\ and \\q kept.',
      samples: [
        { name: 'http_requests_total', labels: { method: 'get', code: '200' }, value: 1027, timestampMs: 1395066363000 },
        { name: 'http_requests_total', labels: { method: 'post', code: '400' }, value: 3, timestampMs: -1 },
      ],
    }]);
  });

  it('unescapes \\\\, \\" and \\n in label values and keeps unknown escapes as written', () => {
    const text = 'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\"",tab="a\\tb"} 1.458255915e9\n';
    const [family] = families(text);
    expect(family.samples[0].labels).toEqual({ path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"', tab: 'a\\tb' });
    expect(family.samples[0].value).toBe(1458255915);
  });

  it('tolerates blanks and tabs between tokens, trailing blanks, blank lines, CRLF, a trailing comma and {}', () => {
    const text = '\n  \t\n  spaced_metric \t 12.47  \r\n\ntabbed\t{ x = "1" ,\ty="2", }\t 3 \t 42 \r\nempty{} 4\nempty2{ } 5';
    expect(families(text).map((f) => f.samples[0])).toEqual([
      { name: 'spaced_metric', labels: {}, value: 12.47 },
      { name: 'tabbed', labels: { x: '1', y: '2' }, value: 3, timestampMs: 42 },
      { name: 'empty', labels: {}, value: 4 },
      { name: 'empty2', labels: {}, value: 5 },
    ]);
  });

  it.each([
    ['NaN', NaN], ['Nan', NaN], ['nan', NaN], ['+Inf', Infinity], ['-Inf', -Infinity], ['Inf', Infinity],
    ['+infinity', Infinity], ['-INF', -Infinity], ['0', 0], ['-0', -0], ['42', 42], ['-17', -17], ['3.25', 3.25],
    ['0.1', 0.1], ['.5', 0.5], ['5.', 5], ['-1.5e-3', -0.0015], ['1E+6', 1e6], ['2.5e10', 2.5e10], ['1e308', 1e308],
    ['4.9e-324', 5e-324], ['1e400', Infinity], ['0.000000000000000000000001', 1e-24],
    ['9007199254740993', 9007199254740992], ['18446744073709551616', 2 ** 64], ['18446744073709551617', 2 ** 64],
    ['0.30000000000000004', 0.30000000000000004], ['123456789012.345', 123456789012.345],
  ])('reads the value %s exactly as Go ParseFloat does', (token, expected) => {
    expect(Object.is(families(`m ${token}\n`)[0].samples[0].value, expected)).toBe(true);
  });

  it('keeps histogram labels, buckets, _sum, _count and _created in the histogram family', () => {
    const text = [
      '# HELP http_request_duration_seconds Request duration.',
      '# TYPE http_request_duration_seconds histogram',
      'http_request_duration_seconds_bucket{le="0.05",route="/a"} 24054',
      'http_request_duration_seconds_bucket{le="0.1",route="/a"} 33444',
      'http_request_duration_seconds_bucket{le="+Inf",route="/a"} 144320',
      'http_request_duration_seconds_sum{route="/a"} 53423.5',
      'http_request_duration_seconds_count{route="/a"} 144320',
      'http_request_duration_seconds_created{route="/a"} 1520430000.123',
      'http_request_duration_seconds_bucket{le="+Inf",route="/b"} 0',
      'http_request_duration_seconds_sum{route="/b"} 0',
      'http_request_duration_seconds_count{route="/b"} 0',
    ].join('\n');
    const [family, ...rest] = families(text);
    expect(rest).toEqual([]);
    expect(family.name).toBe('http_request_duration_seconds');
    expect(family.type).toBe('histogram');
    expect(family.samples.map((s) => [s.name, s.labels, s.value])).toEqual([
      ['http_request_duration_seconds_bucket', { le: '0.05', route: '/a' }, 24054],
      ['http_request_duration_seconds_bucket', { le: '0.1', route: '/a' }, 33444],
      ['http_request_duration_seconds_bucket', { le: '+Inf', route: '/a' }, 144320],
      ['http_request_duration_seconds_sum', { route: '/a' }, 53423.5],
      ['http_request_duration_seconds_count', { route: '/a' }, 144320],
      ['http_request_duration_seconds_created', { route: '/a' }, 1520430000.123],
      ['http_request_duration_seconds_bucket', { le: '+Inf', route: '/b' }, 0],
      ['http_request_duration_seconds_sum', { route: '/b' }, 0],
      ['http_request_duration_seconds_count', { route: '/b' }, 0],
    ]);
  });

  it('groups summaries, names counters with _total as TYPE declares, and gives untyped samples their own family', () => {
    const text = [
      '# TYPE rpc_duration_seconds summary',
      'rpc_duration_seconds{quantile="0.5"} 4773',
      'rpc_duration_seconds_sum 1.7560473e+07',
      'rpc_duration_seconds_count 2693',
      '# TYPE jobs_total counter',
      'jobs_total 5',
      'lonely_bucket{le="1"} 2',
      '# HELP helped Only a HELP line.',
      'helped 1',
      '# a free comment, then 0.0.4 treats UNIT and EOF lines as comments too',
      '# UNIT helped seconds',
      '# EOF',
      'after_eof 7',
    ].join('\n');
    expect(families(text).map((f) => [f.name, f.type, f.help, f.unit, f.samples.map((s) => s.name)])).toEqual([
      ['rpc_duration_seconds', 'summary', undefined, undefined, ['rpc_duration_seconds', 'rpc_duration_seconds_sum', 'rpc_duration_seconds_count']],
      ['jobs_total', 'counter', undefined, undefined, ['jobs_total']],
      ['lonely_bucket', 'untyped', undefined, undefined, ['lonely_bucket']],
      ['helped', 'untyped', 'Only a HELP line.', undefined, ['helped']],
      ['after_eof', 'untyped', undefined, undefined, ['after_eof']],
    ]);
  });

  it('collects a family whose samples are not contiguous, in order of first appearance', () => {
    expect(families('b 1\na{x="1"} 2\nb 3\na{x="2"} 4\n').map((f) => [f.name, f.samples.map((s) => s.value)])).toEqual([
      ['b', [1, 3]],
      ['a', [2, 4]],
    ]);
  });

  it('stores labels named __proto__ and constructor as own properties', () => {
    const [family] = families('m{__proto__="p",constructor="c"} 1\nm{__proto__="q",constructor="c"} 2\nm{__proto__="r",constructor="c"} 3\n');
    for (const [k, s] of family.samples.entries()) {
      expect(Object.getPrototypeOf(s.labels)).toBe(Object.prototype);
      expect(Object.entries(s.labels)).toEqual([['__proto__', 'pqr'[k]], ['constructor', 'c']]);
    }
  });
});

describe('parseExposition: OpenMetrics 1.0', () => {
  it('reads counters (_total, _created), UNIT, escaped HELP, float-second timestamps and exemplars', () => {
    const text = [
      '# TYPE foo_seconds counter',
      '# UNIT foo_seconds seconds',
      '# HELP foo_seconds Help with \\"quotes\\", \\\\ and \\n.',
      'foo_seconds_total{a="b"} 17.0 1520879607.789 # {trace_id="oHg5SJYRHA0"} 9.8 1520879607.789',
      'foo_seconds_total{a="c"} 1 # {} 2',
      'foo_seconds_created{a="b"} 1520430000.123',
      '# EOF',
      '',
    ].join('\n');
    expect(families(text, { format: OM })).toEqual([{
      name: 'foo_seconds',
      type: 'counter',
      help: 'Help with "quotes", \\ and \n.',
      unit: 'seconds',
      samples: [
        {
          name: 'foo_seconds_total', labels: { a: 'b' }, value: 17, timestampMs: 1520879607789,
          exemplar: { labels: { trace_id: 'oHg5SJYRHA0' }, value: 9.8, timestampMs: 1520879607789 },
        },
        { name: 'foo_seconds_total', labels: { a: 'c' }, value: 1, exemplar: { labels: {}, value: 2 } },
        { name: 'foo_seconds_created', labels: { a: 'b' }, value: 1520430000.123 },
      ],
    }]);
  });

  it('groups every OpenMetrics type and its sample names', () => {
    const text = [
      '# TYPE lat histogram',
      'lat_bucket{le="0.1"} 2 # {trace_id="t1"} 0.05',
      'lat_bucket{le="+Inf"} 3',
      'lat_sum 1.5',
      'lat_count 3',
      'lat_created 1520430000',
      '# TYPE queue gaugehistogram',
      'queue_bucket{le="10"} 4',
      'queue_bucket{le="+Inf"} 5',
      'queue_gsum 33',
      'queue_gcount 5',
      '# TYPE build info',
      'build_info{version="1.2.3"} 1',
      '# TYPE door stateset',
      'door{door="open"} 1',
      'door{door="closed"} 0',
      '# TYPE rpc summary',
      'rpc{quantile="0.9"} 0.25',
      'rpc_sum 10',
      'rpc_count 40',
      'rpc_created 1520430000',
      '# TYPE other unknown',
      'other 1',
      'untyped_one 2',
      '# EOF',
    ].join('\n');
    expect(families(text, { format: OM }).map((f) => [f.name, f.type, f.samples.map((s) => s.name)])).toEqual([
      ['lat', 'histogram', ['lat_bucket', 'lat_bucket', 'lat_sum', 'lat_count', 'lat_created']],
      ['queue', 'gaugehistogram', ['queue_bucket', 'queue_bucket', 'queue_gsum', 'queue_gcount']],
      ['build', 'info', ['build_info']],
      ['door', 'stateset', ['door', 'door']],
      ['rpc', 'summary', ['rpc', 'rpc_sum', 'rpc_count', 'rpc_created']],
      ['other', 'unknown', ['other']],
      ['untyped_one', 'unknown', ['untyped_one']],
    ]);
  });

  it.each([
    ['1.5', 1500], ['1520879607', 1520879607000], ['-1.25', -1250], ['1520879607.789', 1520879607789], ['0', 0],
    ['1520879607.7891234', 1520879607789.1233], ['1.5e3', 1500000],
  ])('converts the timestamp %s s to %d ms', (token, ms) => {
    expect(families(`m 1 ${token}\n# EOF`, { format: OM })[0].samples[0].timestampMs).toBe(ms);
  });

  it('accepts # EOF with or without a final newline', () => {
    expect(families('a 1\n# EOF', { format: OM })).toHaveLength(1);
    expect(families('# EOF\n', { format: OM })).toEqual([]);
  });
});

const nine = Array.from({ length: 9 }, (_, k) => `http_requests_total{code="${k}"} ${k}`);

describe('parseExposition: errors name what is wrong and where', () => {
  it.each<[string, string, ParseOptions?]>([
    [['# HELP http_requests_total Requests.', '# TYPE http_requests_total counter', ...nine, 'http_requests_total{code="2"} abc'].join('\n'),
      'line 12, column 31: invalid value "abc" for sample http_requests_total'],
    ['# TYPE a counter\n# TYPE a gauge\n', 'line 2, column 8: duplicate TYPE for family "a"'],
    ['a 1\n# TYPE a gauge\n', 'line 2, column 8: TYPE for family "a" comes after its samples'],
    ['# HELP a x\n# HELP a y\n', 'line 2, column 8: duplicate HELP for family "a"'],
    ['foo-bar 1\n', 'line 1, column 4: invalid character "-" in metric name "foo-bar"'],
    ['ok 1\n1abc 2\n', 'line 2, column 1: invalid metric name "1abc"'],
    ['é 1\n', 'line 1, column 1: unexpected character "é" at the start of a sample'],
    ['a{b="xyz} 1\n', 'line 1, column 5: unterminated value of label "b" in a'],
    ['a{b="x\ny"} 1\n', 'line 1, column 5: unterminated value of label "b" in a'],
    ['a{b="1"} 1\na{b="2} 1\n', 'line 2, column 5: unterminated value of label "b" in a'],
    ['a{b="x\\', 'line 1, column 5: unterminated value of label "b" in a'],
    ['a{1b="x"} 1\n', 'line 1, column 3: invalid label name "1b" in a'],
    ['a{b-c="x"} 1\n', 'line 1, column 4: invalid character "-" in label name "b-c" in a'],
    ['a{,} 1\n', 'line 1, column 3: invalid label name "," in a'],
    ['a{b="1"\n', 'line 1, column 8: unterminated label set of a'],
    ['a{b "1"} 1\n', 'line 1, column 5: expected "=" after label name "b" in a'],
    ['a{b=1} 1\n', 'line 1, column 5: expected a quoted value for label "b" in a'],
    ['a{b="1",b="2"} 1\n', 'line 1, column 9: duplicate label "b" in a'],
    ['a{b="1"x} 1\n', 'line 1, column 8: unexpected character "x" after value of label "b" in a'],
    // The previous value `x"` (written escaped) must not be mistaken for the raw text `x"` that follows.
    ['a{b="x\\"",c="1"} 1\na{b="x\\"",c="2"} 1\na{b="x"",c="3"} 1\n', 'line 3, column 8: unexpected character "\\"" after value of label "b" in a'],
    ['a 1 2 3\n', 'line 1, column 7: unexpected "3" after the timestamp of sample a'],
    ['a\n', 'line 1, column 2: missing value for sample a'],
    ['a{b="c"}\n', 'line 1, column 9: missing value for sample a'],
    ['a 0x1F\n', 'line 1, column 3: invalid value "0x1F" for sample a'],
    ['a 1 1.5\n', 'line 1, column 5: invalid timestamp "1.5" for sample a'],
    ['a 1 # {x="y"} 1\n', 'line 1, column 5: invalid timestamp "#" for sample a'],
    ['# TYPE a info\n', 'line 1, column 10: invalid metric type "info" for family "a"'],
    ['# TYPE a\n', 'line 1, column 9: missing type in # TYPE for "a"'],
    ['# TYPE\n', 'line 1, column 7: missing metric name after # TYPE'],
    ['# HELP 1a x\n', 'line 1, column 8: invalid metric name "1a" in # HELP'],
    ['\r\n\r\na 1\r\nb x\r\n', 'line 4, column 3: invalid value "x" for sample b'],
    ['a{path="123456789"} 1\n', 'line 1, column 8: value of label "path" in a is longer than 8 bytes', { maxLabelValueBytes: 8 }],
    ['a{path="ééééé"} 1\n', 'line 1, column 8: value of label "path" in a is longer than 8 bytes', { maxLabelValueBytes: 8 }],
    [`a{path="${'x'.repeat(8193)}"} 1\n`, 'line 1, column 8: value of label "path" in a is longer than 8192 bytes'],
    ['a 1\nb 2\nc 3\n', 'line 3, column 1: too many samples: the limit is 2', { maxSamples: 2 }],
    ['a 1\n', 'line 2, column 1: missing "# EOF" at the end of the OpenMetrics exposition', { format: OM }],
    ['a 1', 'line 1, column 4: missing "# EOF" at the end of the OpenMetrics exposition', { format: OM }],
    ['', 'line 1, column 1: missing "# EOF" at the end of the OpenMetrics exposition', { format: OM }],
    ['# EOF\na 1\n', 'line 2, column 1: unexpected content after "# EOF"', { format: OM }],
    ['# EOF\n\n', 'line 2, column 1: unexpected content after "# EOF"', { format: OM }],
    ['# EOF x\n', 'line 1, column 7: unexpected "x" after "# EOF"', { format: OM }],
    ['# just a comment\n# EOF\n', 'line 1, column 1: unexpected comment: OpenMetrics allows only # HELP, # TYPE, # UNIT and # EOF', { format: OM }],
    ['# TYPE foo counter\nfoo 1\n# EOF\n', 'line 2, column 1: sample name "foo" does not fit counter family "foo" (expected foo_total, foo_created)', { format: OM }],
    ['# TYPE a untyped\n# EOF\n', 'line 1, column 10: invalid metric type "untyped" for family "a"', { format: OM }],
    ['# UNIT a s\n# UNIT a ms\n# EOF\n', 'line 2, column 8: duplicate UNIT for family "a"', { format: OM }],
    ['a_total 1 # trace_id="x" 1\n# EOF\n', 'line 1, column 13: expected "{" to start the exemplar of sample a_total', { format: OM }],
    ['a_total 1 # {t="x"} one\n# EOF\n', 'line 1, column 21: invalid exemplar value "one" for sample a_total', { format: OM }],
    ['a_total 1 # {t="x"} 1 2 3\n# EOF\n', 'line 1, column 25: unexpected "3" after the exemplar of sample a_total', { format: OM }],
    ['a 1 NaN\n# EOF\n', 'line 1, column 5: invalid timestamp "NaN" for sample a', { format: OM }],
  ])('%j', (text, message, opts) => {
    const error = failure(text, opts);
    expect(error.message).toBe(message);
    const [, line, column] = /^line (\d+), column (\d+): /.exec(message) ?? [];
    expect([error.line, error.column]).toEqual([Number(line), Number(column)]);
  });

  it('accepts a label value of exactly the byte limit, counting UTF-8 bytes', () => {
    expect(families('a{p="éééé"} 1\n', { maxLabelValueBytes: 8 })[0].samples[0].labels.p).toBe('éééé');
    expect(families(`a{p="${'x'.repeat(8192)}"} 1\n`)[0].samples[0].labels.p).toHaveLength(8192);
  });

  it('stops at 200 000 samples by default', () => {
    const lines = (n: number): string => Array.from({ length: n }, (_, k) => `m{i="${k}"} ${k}\n`).join('');
    expect(families(lines(200_000))[0].samples).toHaveLength(200_000);
    expect(failure(lines(200_001)).message).toBe('line 200001, column 1: too many samples: the limit is 200000');
  });

  it('answers a non-string input with an error value', () => {
    expect(failure(42 as unknown as string).message).toBe('line 1, column 1: input is not a string');
  });
});

/** The oracle: prom-client's own JSON view of the registry, mapped to our shape. */
async function expectedFromRegistry(registry: Registry<RegistryContentType>, openMetrics: boolean): Promise<MetricFamily[]> {
  return (await registry.getMetricsAsJSON()).map((m) => {
    // prom-client declares `type` as a numeric enum but sets strings such as 'counter'.
    const type = String(m.type) as MetricFamily['type'];
    // A counter's JSON name lacks `_total` in OpenMetrics mode; its samples always have it.
    const sampleName = type === 'counter' ? m.name.replace(/(_total)?$/, '_total') : m.name;
    return {
      name: openMetrics && type === 'counter' ? m.name.replace(/_total$/, '') : m.name,
      type,
      help: m.help,
      samples: m.values.map((v) => ({
        name: (v as { metricName?: string }).metricName ?? sampleName,
        labels: Object.fromEntries(Object.entries(v.labels).map(([k, x]) => [k, String(x)])),
        value: v.value,
      })),
    };
  });
}

async function exampleRegistry(): Promise<Registry<RegistryContentType>> {
  const registry = new Registry<RegistryContentType>();
  new Counter({ name: 'jobs_processed_total', help: 'Jobs "done"\nper queue \\ kind', labelNames: ['queue'], registers: [registry] })
    .inc({ queue: 'mail' }, 5);
  const temp = new Gauge({ name: 'temperature_celsius', help: 'Room temperature.', labelNames: ['room'], registers: [registry] });
  temp.set({ room: 'lab "A"\nnorth\\wing' }, 21.5);
  temp.set({ room: 'plain' }, -3);
  const hist = new Histogram({ name: 'request_seconds', help: 'Latency.', labelNames: ['route'], buckets: [0.1, 0.5, 1], registers: [registry] });
  hist.observe({ route: '/a' }, 0.05);
  hist.observe({ route: '/a' }, 0.7);
  hist.observe({ route: '/b' }, 3);
  const summary = new Summary({ name: 'payload_bytes', help: 'Payload sizes.', percentiles: [0.5, 0.9], registers: [registry] });
  for (const v of [100, 200, 300]) summary.observe(v);
  return registry;
}

describe('parseExposition: round trip with prom-client output', () => {
  it.each([false, true])('reads every family and sample prom-client writes (OpenMetrics: %s)', async (openMetrics) => {
    const registry = await exampleRegistry();
    if (openMetrics) registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    const format = contentTypeToFormat(registry.contentType);
    expect(format).toEqual({ ok: true, value: openMetrics ? OM : 'prometheus-0.0.4' });
    const parsed = families(await registry.metrics(), { format: format.ok ? format.value : undefined });
    expect(parsed).toEqual(await expectedFromRegistry(registry, openMetrics));
    const temp = parsed.find((f) => f.name === 'temperature_celsius');
    expect(temp?.samples[0].labels.room).toBe('lab "A"\nnorth\\wing');
    const hist = parsed.find((f) => f.name === 'request_seconds');
    expect(hist?.samples.filter((s) => s.labels.route === '/a').map((s) => [s.name, s.labels.le, s.value])).toEqual([
      ['request_seconds_bucket', '0.1', 1], ['request_seconds_bucket', '0.5', 1], ['request_seconds_bucket', '1', 2],
      ['request_seconds_bucket', '+Inf', 2], ['request_seconds_sum', undefined, 0.75], ['request_seconds_count', undefined, 2],
    ]);
  });

  it('reads prom-client default metrics, including its `Nan` values', async () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const text = await registry.metrics();
    const parsed = families(text);
    expect(parsed.map((f) => f.name)).toEqual((await registry.getMetricsAsJSON()).map((m) => m.name));
    if (/ Nan$/m.test(text)) expect(parsed.some((f) => f.samples.some((s) => Number.isNaN(s.value)))).toBe(true);
  });
});

describe('contentTypeToFormat', () => {
  it.each<[string | null, ExpositionFormat]>([
    [null, 'prometheus-0.0.4'], ['', 'prometheus-0.0.4'], ['text/plain', 'prometheus-0.0.4'],
    ['text/plain; version=0.0.4; charset=utf-8', 'prometheus-0.0.4'], ['TEXT/PLAIN;Version="0.0.4"', 'prometheus-0.0.4'],
    ['application/openmetrics-text; version=1.0.0; charset=utf-8', OM], ['application/openmetrics-text', OM],
    ['application/openmetrics-text; version=0.0.1', OM],
  ])('maps %j to %s', (contentType, format) => {
    expect(contentTypeToFormat(contentType)).toEqual({ ok: true, value: format });
  });

  it.each(['text/html; charset=utf-8', 'application/json', 'text/plain; version=1.0.0'])('rejects %j, naming it', (contentType) => {
    const r = contentTypeToFormat(contentType);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(JSON.stringify(contentType));
  });
});

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

const VALUES: [string, number][] = [['1', 1], ['-2.5', -2.5], ['1e3', 1000], ['NaN', NaN], ['+Inf', Infinity], ['-Inf', -Infinity], ['0.001', 0.001], ['42', 42]];
const LABEL_NAMES = ['node_id', 'region', 'transport', 'reason', 'path', 'a', 'b_c'];
const LABEL_VALUES = ['gw-001', 'gw-002', 'eu-west-1', 'ws', 'sse', '', 'has "quote"', 'back\\slash', 'multi\nline', 'ünï', 'x'.repeat(20), 'gw-0010'];
const escapeValue = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/**
 * A random valid exposition and the families it must parse to. Series of a family
 * mostly change one or two label values from the previous series, and lines vary
 * their spacing, so both the template fast paths and their fallbacks run.
 */
function generate(rand: () => number, om: boolean): { text: string; expected: MetricFamily[] } {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const lines: string[] = [];
  const expected: MetricFamily[] = [];
  const familyCount = 1 + Math.floor(rand() * 5);
  for (let f = 0; f < familyCount; f++) {
    const kind = pick(['gauge', 'counter', 'histogram', 'summary', 'untyped'] as const);
    const base = `f${f}_${pick(['alpha', 'beta', 'gamma'])}`;
    const name = kind === 'counter' && !om ? `${base}_total` : base;
    const family: MetricFamily = { name, type: kind === 'untyped' ? (om ? 'unknown' : 'untyped') : kind, samples: [] };
    if (kind !== 'untyped' || rand() < 0.5) {
      if (rand() < 0.6) {
        family.help = pick(['Plain help.', 'Two\nlines with \\ backslash.', '']);
        lines.push(`# HELP ${name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
      }
      if (kind !== 'untyped') lines.push(`# TYPE ${name} ${kind}`);
    }
    const names = [...LABEL_NAMES].sort(() => rand() - 0.5).slice(0, Math.floor(rand() * 4));
    const values = names.map(() => LABEL_VALUES.filter(() => rand() < 0.4).concat(pick(LABEL_VALUES)));
    let current = names.map((_, k) => pick(values[k]));
    const style = Math.floor(rand() * 4);
    const emit = (sampleName: string, labels: [string, string][], exemplar: boolean): void => {
      const s = rand() < 0.8 ? style : Math.floor(rand() * 4);
      const sep = om ? ',' : [',', ', ', ',\t', ' , '][s];
      const eq = om || s < 3 ? '=' : ' = ';
      const body = labels.map(([k, v]) => `${k}${eq}"${escapeValue(v)}"`).join(sep) + (!om && s === 2 && labels.length > 0 ? ',' : '');
      const [token, value] = pick(VALUES);
      const sample: MetricFamily['samples'][number] = { name: sampleName, labels: Object.fromEntries(labels), value };
      let line = `${sampleName}${labels.length > 0 || rand() < 0.2 ? `{${body}}` : ''}${om || s !== 1 ? ' ' : ' \t '}${token}`;
      if (rand() < 0.2) {
        line += om ? ' 1520879607.789' : ' 1395066363000';
        sample.timestampMs = om ? 1520879607789 : 1395066363000;
      }
      if (om && exemplar && rand() < 0.5) {
        line += ' # {trace_id="abc"} 0.5';
        sample.exemplar = { labels: { trace_id: 'abc' }, value: 0.5 };
      }
      lines.push(line);
      family.samples.push(sample);
    };
    const seriesCount = 1 + Math.floor(rand() * 12);
    for (let i = 0; i < seriesCount; i++) {
      if (i > 0) for (let c = rand() < 0.7 ? 1 : 2; c > 0 && names.length > 0; c--) {
        const k = Math.floor(rand() * names.length);
        current = current.map((v, j) => (j === k ? pick(values[k]) : v));
      }
      const labels: [string, string][] = names.map((k, j) => [k, current[j]]);
      if (kind === 'histogram') {
        const leFirst = f % 2 === 0;
        for (const le of ['0.1', '0.5', '+Inf']) emit(`${base}_bucket`, leFirst ? [['le', le], ...labels] : [...labels, ['le', le]], true);
        emit(`${base}_sum`, labels, false);
        emit(`${base}_count`, labels, false);
        if (om && rand() < 0.3) emit(`${base}_created`, labels, false);
      } else if (kind === 'summary') {
        for (const q of ['0.5', '0.9']) emit(base, [...labels, ['quantile', q]], false);
        emit(`${base}_sum`, labels, false);
        emit(`${base}_count`, labels, false);
      } else emit(kind === 'counter' ? `${base}_total` : base, labels, kind === 'counter');
    }
    expected.push(family);
  }
  if (om) lines.push('# EOF');
  return { text: `${lines.join('\n')}\n`, expected };
}

describe('parseExposition: model-based and fuzz checks', () => {
  it.each([false, true])('parses 400 random valid expositions back to their model (OpenMetrics: %s)', (om) => {
    const rand = prng(om ? 7 : 3);
    for (let i = 0; i < 400; i++) {
      const { text, expected } = generate(rand, om);
      const r = parseExposition(text, { format: om ? OM : undefined });
      if (!r.ok) throw new Error(`document ${i} failed: ${r.error.message}\n${text}`);
      expect(r.value.families, text).toEqual(expected);
    }
  });

  /** Whatever the input, a value comes back, and an error points inside the text. */
  function expectValue(text: string, format?: ExpositionFormat): void {
    let r: ReturnType<typeof parseExposition> | undefined;
    expect(() => {
      r = parseExposition(text, { format });
    }).not.toThrow();
    if (r === undefined || r.ok) return;
    const { line, column, message } = r.error;
    expect(message.startsWith(`line ${line}, column ${column}: `), message).toBe(true);
    expect(message).not.toContain('internal parser error');
    const lines = text.split('\n');
    expect(line).toBeGreaterThanOrEqual(1);
    expect(line).toBeLessThanOrEqual(lines.length);
    expect(column).toBeGreaterThanOrEqual(1);
    expect(column).toBeLessThanOrEqual(lines[line - 1].length + 1);
  }

  it('never throws on random bytes', () => {
    const rand = prng(11);
    const alphabet = 'ab_:{}="\\,# \n\t\r01.e+-InfNaEOFHELPTYPEUNIT\u0000é\ud800😀';
    for (let i = 0; i < 3000; i++) {
      const len = Math.floor(rand() * 120);
      let text = '';
      for (let k = 0; k < len; k++) text += rand() < 0.1 ? String.fromCharCode(Math.floor(rand() * 0x10000)) : alphabet[Math.floor(rand() * alphabet.length)];
      expectValue(text);
      expectValue(text, OM);
    }
  });

  it('never throws on every truncation and on random mutations of valid expositions', async () => {
    const registry = await exampleRegistry();
    const prom = await registry.metrics();
    registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    const open = await registry.metrics();
    for (let n = 0; n <= prom.length; n++) expectValue(prom.slice(0, n));
    for (let n = 0; n <= open.length; n++) expectValue(open.slice(0, n), OM);
    const rand = prng(5);
    const noise = '{}="\\,# \n\t.-+eE0';
    for (let i = 0; i < 2000; i++) {
      const om = i % 2 === 1;
      const chars = [...generate(rand, om).text];
      for (let m = 1 + Math.floor(rand() * 3); m > 0; m--) chars[Math.floor(rand() * chars.length)] = noise[Math.floor(rand() * noise.length)];
      expectValue(chars.join(''), om ? OM : undefined);
    }
  });
});
