import { describe, expect, it } from 'vitest';
import { Timeline } from '../../../../src/main/core/signals/timeline';

describe('Timeline', () => {
  const fill = () => {
    const t = new Timeline(100);
    t.add({ ts: 1000, node: 'a', kind: 'node_down', severity: 'critical', title: 'a down', reason: 'x' });
    t.add({ ts: 2000, node: 'b', kind: 'drain_started', severity: 'info', title: 'b drain', reason: 'y' });
    t.add({ ts: 3000, node: null, kind: 'reconnect_spike', severity: 'warning', title: 'spike', reason: 'z', endTs: 5000 });
    return t;
  };

  it('filters by node, severity and time (spans overlap the window)', () => {
    const t = fill();
    expect(t.query({ limit: 10 }).map((e) => e.id)).toEqual([1, 2, 3]);
    expect(t.query({ limit: 10, nodes: ['a'] }).map((e) => e.kind)).toEqual(['node_down']);
    expect(t.query({ limit: 10, severities: ['warning', 'critical'] }).map((e) => e.id)).toEqual([1, 3]);
    expect(t.query({ limit: 10, fromMs: 4000 }).map((e) => e.id)).toEqual([3]);
    expect(t.query({ limit: 10, toMs: 1500 }).map((e) => e.id)).toEqual([1]);
    expect(t.query({ limit: 2 }).map((e) => e.id)).toEqual([2, 3]);
  });

  it('finds the most recent cause of another node, and stays bounded', () => {
    const t = fill();
    expect(t.lastOf(['node_down', 'drain_started'], 0)?.node).toBe('b');
    expect(t.lastOf(['node_down', 'drain_started'], 0, 'b')?.node).toBe('a');
    expect(t.lastOf(['node_down'], 1500)).toBeNull();
    for (let i = 0; i < 500; i++) t.add({ ts: 10_000 + i, node: 'c', kind: 'k', severity: 'info', title: '', reason: '' });
    expect(t.size).toBeLessThanOrEqual(110);
    expect(t.query({ limit: 1 })[0].id).toBe(503);
  });
});
