// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { spikeBands, spikeLabel, toChartRows } from '../../../../src/renderer/src/features/charts';
import { event } from '../../helpers/frames';

describe('chart rows', () => {
  it('joins lines by bucket time, taking each bucket’s max (spikes survive), summing nodes of one label', () => {
    const rows = toChartRows({
      metric: 'connections', fromMs: 0, toMs: 3000,
      lines: [
        { node: null, label: 'ws', t: [0, 1000, 2000], min: [1, 2, 3], max: [10, 20, 30] },
        { node: null, label: 'sse', t: [1000, 2000], min: [0, 0], max: [5, 6] },
        { node: 'gw-2', label: 'longpoll', t: [2000], min: [1], max: [2] },
        { node: 'gw-3', label: 'longpoll', t: [2000], min: [1], max: [4] },
      ],
    });
    expect(rows).toEqual([
      { t: 0, ws: 10 },
      { t: 1000, ws: 20, sse: 5 },
      { t: 2000, ws: 30, sse: 6, longpoll: 6 },
    ]);
  });
});

describe('spike bands', () => {
  const crash = { node: 'gw-2', kind: 'node_down', ts: 900 };
  const fleetSpike = event(1, { kind: 'reconnect_spike', node: null, ts: 1000, endTs: 5000, cause: crash, severity: 'warning' });
  const nodeSpikeInside = event(2, { kind: 'reconnect_spike', node: 'gw-1', ts: 2000, endTs: 3000 });
  const nodeSpikeAlone = event(3, { kind: 'reconnect_spike', node: 'gw-3', ts: 8000, endTs: null });
  const other = event(4, { kind: 'lag_breach', node: 'gw-1', ts: 1000, endTs: 9000 });
  const all = [fleetSpike, nodeSpikeInside, nodeSpikeAlone, other];

  it('labels a spike with its cause', () => {
    expect(spikeLabel(fleetSpike)).toBe('after gw-2 node down');
    expect(spikeLabel(nodeSpikeAlone)).toBe('spike on gw-3');
  });

  it('for the fleet: fleet-wide spikes plus node spikes no fleet band covers; an ongoing one runs to now', () => {
    expect(spikeBands(all, 0, 10_000, 9500, null)).toEqual([
      { id: 1, x1: 1000, x2: 5000, label: 'after gw-2 node down', open: false },
      { id: 3, x1: 8000, x2: 9500, label: 'spike on gw-3', open: true },
    ]);
  });

  it('for a node: its own spikes, clipped to the window', () => {
    expect(spikeBands(all, 2500, 10_000, 9500, 'gw-1')).toEqual([{ id: 2, x1: 2500, x2: 3000, label: 'spike on gw-1', open: false }]);
    expect(spikeBands(all, 6000, 7000, 9500, 'gw-1')).toEqual([]);
  });
});
