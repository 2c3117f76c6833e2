import { describe, expect, it } from 'vitest';
import { parseSeriesKey, seriesKey } from '../../../../src/main/core/store/seriesKey';

describe('seriesKey', () => {
  it('sorts labels by name so any label order gives the same key', () => {
    expect(seriesKey('realtime_connections_closed_total', { transport: 'ws', reason: 'drain' }))
      .toBe('realtime_connections_closed_total{reason="drain",transport="ws"}');
    expect(seriesKey('realtime_connections_closed_total', { reason: 'drain', transport: 'ws' }))
      .toBe(seriesKey('realtime_connections_closed_total', { transport: 'ws', reason: 'drain' }));
  });

  it('is the bare name without labels, and leaves empty label values out', () => {
    expect(seriesKey('realtime_node_draining')).toBe('realtime_node_draining');
    expect(seriesKey('realtime_node_draining', { region: '' })).toBe('realtime_node_draining');
  });

  it('escapes backslash, quote and newline in values as the text format does', () => {
    expect(seriesKey('m', { a: 'x"y\\z\nw' })).toBe('m{a="x\\"y\\\\z\\nw"}');
  });

  it('rejects invalid metric and label names, naming them', () => {
    expect(() => seriesKey('1bad')).toThrow(/invalid metric name "1bad"/);
    expect(() => seriesKey('ok', { 'bad-label': 'x' })).toThrow(/invalid label name "bad-label" on ok/);
  });
});

describe('parseSeriesKey', () => {
  it('takes a key apart again, unescaping values', () => {
    const key = seriesKey('realtime_delivery_latency_seconds_bucket', { le: '+Inf', note: 'a"b\\c\nd,e}' });
    expect(parseSeriesKey(key)).toEqual({ name: 'realtime_delivery_latency_seconds_bucket', labels: { le: '+Inf', note: 'a"b\\c\nd,e}' } });
    expect(parseSeriesKey('up')).toEqual({ name: 'up', labels: {} });
    expect(parseSeriesKey('up{}')).toEqual({ name: 'up', labels: {} });
  });

  it('answers undefined for malformed keys', () => {
    for (const bad of ['', '9up', 'up{a="1"', 'up{a=1}', 'up{a="1"b="2"}', 'up{-a="1"}', 'up{a="1}']) {
      expect(parseSeriesKey(bad)).toBeUndefined();
    }
  });
});
