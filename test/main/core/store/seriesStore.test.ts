import { describe, expect, it } from 'vitest';
import { readRange } from '../../../../src/main/core/store/seriesReader';
import { SERIES_OBJECT_OVERHEAD_BYTES } from '../../../../src/main/core/store/seriesReader';
import { seriesKey } from '../../../../src/main/core/store/seriesKey';
import { MAP_ENTRY_OVERHEAD_BYTES, SeriesStore } from '../../../../src/main/core/store/seriesStore';

const WS = seriesKey('realtime_connections', { transport: 'ws' });
const SSE = seriesKey('realtime_connections', { transport: 'sse' });

describe('SeriesStore', () => {
  it('derives capacity from retention and resolution (default 1 h at 1 s)', () => {
    const d = new SeriesStore();
    expect([d.retentionMs, d.resolutionMs, d.capacity, d.encoding]).toEqual([3_600_000, 1000, 3600, 'compressed']);
    expect(new SeriesStore({ retentionMs: 60_000, resolutionMs: 500 }).capacity).toBe(120);
    expect(new SeriesStore({ retentionMs: 10_000, resolutionMs: 3000 }).capacity).toBe(4);
  });

  it('rejects bad options with a message naming the option', () => {
    expect(() => new SeriesStore({ retentionMs: 0 })).toThrow(/retentionMs must be a positive number of ms, got 0/);
    expect(() => new SeriesStore({ resolutionMs: Number.NaN })).toThrow(/resolutionMs/);
    expect(() => new SeriesStore({ maxSeriesPerTarget: 0 })).toThrow(/maxSeriesPerTarget/);
    expect(() => new SeriesStore({ retentionMs: 1e12, resolutionMs: 1, encoding: 'plain' })).toThrow(/more than the 10000000 allowed for 'plain'/);
  });

  it('creates targets and series lazily, in order, and reads them back', () => {
    const store = new SeriesStore();
    expect(store.targets()).toEqual([]);
    expect(store.get('n1', WS)).toBeUndefined();
    expect(store.append('n1', WS, 1000, 10)).toBe('ok');
    expect(store.append('n1', SSE, 1000, 3)).toBe('ok');
    expect(store.append('n2', WS, 1500, 20)).toBe('ok');
    expect(store.append('n1', WS, 2000, 11)).toBe('ok');
    expect(store.targets()).toEqual(['n1', 'n2']);
    expect(store.keys('n1')).toEqual([WS, SSE]);
    expect(store.keys('nobody')).toEqual([]);
    expect(store.seriesCount()).toBe(3);
    const s = store.get('n1', WS);
    expect(s?.length).toBe(2);
    expect(s?.latestValue()).toBe(11);
    expect(store.seriesAcrossTargets(WS).map((x) => x.latestValue())).toEqual([11, 20]);
  });

  it('answers every append with its outcome and counts them', () => {
    const store = new SeriesStore({ maxSeriesPerTarget: 2 });
    expect(store.append('n', 'a', 1000, 1)).toBe('ok');
    expect(store.append('n', 'a', 1000, 2)).toBe('duplicate');
    expect(store.append('n', 'a', 500, 2)).toBe('out-of-order');
    expect(store.append('n', 'a', Number.NaN, 2)).toBe('invalid');
    expect(store.append('', 'a', 1, 2)).toBe('invalid');
    expect(store.append('n', '', 1, 2)).toBe('invalid');
    expect(store.append('n', 'b', 1000, 1)).toBe('ok');
    expect(store.append('n', 'c', 1000, 1)).toBe('series-limit');
    expect(store.append('n', 'b', 2000, 1)).toBe('ok');
    expect(store.keys('n')).toEqual(['a', 'b']);
    expect(store.targets()).toEqual(['n']);
    expect(store.stats()).toEqual({ ok: 3, duplicate: 1, outOfOrder: 1, invalid: 3, seriesLimit: 1 });
  });

  it('keeps the last `capacity` samples of each series', () => {
    for (const encoding of ['plain', 'compressed'] as const) {
      const store = new SeriesStore({ retentionMs: 10_000, resolutionMs: 1000, encoding });
      for (let i = 0; i < 25; i++) store.append('n', 'k', i * 1000, i);
      const s = store.get('n', 'k');
      if (s === undefined) throw new Error('missing series');
      expect(s.length).toBe(10);
      expect([...readRange(s, 0, 1e9).v]).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
    }
  });

  it('drops a target: its series empty out and its memory is reused', () => {
    const store = new SeriesStore();
    const fill = (target: string): void => {
      for (let k = 0; k < 20; k++) for (let i = 0; i < 500; i++) store.append(target, `metric_${k}`, i * 1000, i * k);
    };
    fill('node-a');
    const held = store.get('node-a', 'metric_3');
    const before = store.approxBytes();
    expect(store.dropTarget('node-a')).toBe(true);
    expect(store.dropTarget('node-a')).toBe(false);
    expect(store.targets()).toEqual([]);
    expect(held?.length).toBe(0);
    fill('node-b');
    expect(store.approxBytes()).toBe(before);
  });

  it('accounts memory: series bytes + map entries (+ page pool for compressed)', () => {
    const plain = new SeriesStore({ retentionMs: 100_000, encoding: 'plain' });
    expect(plain.approxBytes()).toBe(0);
    plain.append('n', 'k', 1, 1);
    const entries = 2 * MAP_ENTRY_OVERHEAD_BYTES + 2 * 'n'.length + 2 * 'k'.length;
    expect(plain.approxBytes()).toBe(100 * 16 + SERIES_OBJECT_OVERHEAD_BYTES + entries);

    const packed = new SeriesStore();
    packed.append('n', 'k', 1, 1);
    // The pool's 4 KiB free list (its slab counts only as the pages handed out: here the
    // series' one page); the series holds that 256-byte page, its 32-byte page-id ring and a
    // 512-byte chunk table.
    expect(packed.approxBytes()).toBe(4096 + 256 + 32 + 512 + SERIES_OBJECT_OVERHEAD_BYTES + entries);
  });

  it('keeps an hour of jittered counters within the per-sample budget (< 2.6 B all-in)', () => {
    // 300 MB for 200 nodes × 100 series × 3600 samples, less ~110 MB of process and heap,
    // leaves ~2.6 B a sample. Counters here: half +0..19 a second, half +0..1999 (noisy),
    // scraped with 0–4 ms of jitter.
    let seed = 11;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const store = new SeriesStore();
    const values = new Float64Array(50);
    for (let i = 0; i < 3600; i++) {
      const t = 1_700_000_000_000 + i * 1000 + Math.floor(rnd() * 5);
      for (let k = 0; k < 50; k++) store.append('n', `realtime_messages_delivered_total{k="${k}"}`, t, (values[k] += Math.floor(rnd() * (k < 25 ? 20 : 2000))));
    }
    let bytes = 0;
    for (const key of store.keys('n')) bytes += store.get('n', key)?.approxBytes() ?? 0;
    expect(bytes / (50 * 3600)).toBeLessThan(2.6);
    expect(bytes / (50 * 3600)).toBeGreaterThan(1.5);
  });
});

describe('SeriesStore.appendSample', () => {
  it('is append(target, seriesKey(name, labels), …), also when label objects are reused or change', () => {
    const store = new SeriesStore();
    const ws = { transport: 'ws' };
    expect(store.appendSample('n1', 'realtime_connections', ws, 1000, 10)).toBe('ok');
    expect(store.appendSample('n1', 'realtime_connections', ws, 2000, 11)).toBe('ok');
    // Another object with the same labels: the same series.
    expect(store.appendSample('n1', 'realtime_connections', { transport: 'ws' }, 3000, 12)).toBe('ok');
    // The same object under another name: another series.
    expect(store.appendSample('n1', 'other_metric', ws, 3000, 1)).toBe('ok');
    expect(store.appendSample('n1', 'realtime_connections', ws, 3000, 99)).toBe('duplicate');
    expect(store.appendSample('n2', 'realtime_connections', ws, 1000, 5)).toBe('ok');
    expect([...readRange(store.get('n1', WS)!, 0, 10_000).v]).toEqual([10, 11, 12]);
    expect([...readRange(store.get('n1', 'other_metric{transport="ws"}')!, 0, 10_000).v]).toEqual([1]);
    expect([...readRange(store.get('n2', WS)!, 0, 10_000).v]).toEqual([5]);
    expect(store.stats()).toMatchObject({ ok: 5, duplicate: 1 });
    // A dropped target starts afresh: no stale series behind a remembered label object.
    store.dropTarget('n1');
    expect(store.appendSample('n1', 'realtime_connections', ws, 4000, 13)).toBe('ok');
    expect([...readRange(store.get('n1', WS)!, 0, 10_000).v]).toEqual([13]);
    expect(() => store.appendSample('n1', 'bad name', {}, 5000, 1)).toThrow(TypeError);
  });

  it('honours the series limit and keeps its memo bounded when label objects never repeat', () => {
    const store = new SeriesStore({ maxSeriesPerTarget: 3 });
    for (let i = 0; i < 3; i++) expect(store.appendSample('n', 'm', { i: String(i) }, 1000, i)).toBe('ok');
    expect(store.appendSample('n', 'm', { i: '3' }, 1000, 3)).toBe('series-limit');
    for (let t = 2; t < 500; t++) for (let i = 0; i < 3; i++) expect(store.appendSample('n', 'm', { i: String(i) }, t * 1000, i)).toBe('ok');
    expect(store.seriesCount()).toBe(3);
    const memo = (store as unknown as { labeledById: Map<string, Map<unknown, unknown>> }).labeledById.get('n')!;
    expect(memo.size).toBeLessThanOrEqual(2 * 3 + 64);
  });
});
