import { describe, expect, it } from 'vitest';
import { querySeries } from '../../../../src/main/core/api/seriesQuery';
import { VIEW } from '../../../../src/main/core/ingest/viewSeries';
import { SeriesStore } from '../../../../src/main/core/store';
import { seriesRequestSchema } from '../../../../src/shared/api';

function store() {
  const s = new SeriesStore({ retentionMs: 3_600_000 });
  for (let i = 0; i < 600; i++) {
    const t = i * 1000;
    s.append('a', VIEW.connections('ws'), t, 100);
    s.append('b', VIEW.connections('ws'), t, 50);
    s.append('a', VIEW.lag('p99'), t, i === 300 ? 900 : 5);
    s.append('b', VIEW.lag('p99'), t, 7);
  }
  return s;
}

describe('querySeries', () => {
  it('sums the fleet at steps and reduces to the pixel width', () => {
    const w = querySeries(store(), { metric: 'connections', fromMs: 0, toMs: 599_000, width: 100 }, ['a', 'b']);
    const ws = w.lines.find((l) => l.label === 'ws')!;
    expect(ws.node).toBeNull();
    expect(ws.t.length).toBeLessThanOrEqual(100);
    expect(ws.t.length).toBeGreaterThan(90);
    expect(new Set(ws.max)).toEqual(new Set([150]));
  });

  it('keeps a one-sample lag spike of one node in the fleet line (max, not sum or mean)', () => {
    const w = querySeries(store(), { metric: 'lag', fromMs: 0, toMs: 599_000, width: 50 }, ['a', 'b']);
    const p99 = w.lines.find((l) => l.label === 'p99')!;
    expect(Math.max(...p99.max)).toBe(900);
    expect(Math.min(...p99.min)).toBe(7);
  });

  it('answers per node when nodes are named', () => {
    const w = querySeries(store(), { metric: 'connections', nodes: ['b'], fromMs: 0, toMs: 599_000, width: 10 }, ['a', 'b']);
    expect(w.lines.map((l) => [l.node, l.label])).toEqual([['b', 'ws']]);
    expect(w.lines[0].max.every((v) => v === 50)).toBe(true);
  });

  it('the request schema names what is wrong', () => {
    const bad = seriesRequestSchema.safeParse({ metric: 'connections', fromMs: 10, toMs: 5, width: 100 });
    expect(bad.success).toBe(false);
    expect(!bad.success && bad.error.issues[0]).toMatchObject({ path: ['toMs'], message: 'toMs must be after fromMs' });
    const extra = seriesRequestSchema.safeParse({ metric: 'connections', fromMs: 0, toMs: 5, width: 100, sql: 'drop' });
    expect(!extra.success && extra.error.issues[0].code).toBe('unrecognized_keys');
    expect(seriesRequestSchema.safeParse({ metric: 'cpu', fromMs: 0, toMs: 5, width: 100 }).success).toBe(false);
  });
});

describe('querySeries with the fleet series the core keeps', () => {
  it('reads the fleet target directly when it exists', () => {
    const s = store();
    for (let i = 0; i < 600; i++) s.append('*fleet*', VIEW.connections('ws'), i * 1000, 42);
    const w = querySeries(s, { metric: 'connections', fromMs: 0, toMs: 599_000, width: 60 }, ['a', 'b'], '*fleet*');
    expect(new Set(w.lines.find((l) => l.label === 'ws')!.max)).toEqual(new Set([42]));
  });
});
