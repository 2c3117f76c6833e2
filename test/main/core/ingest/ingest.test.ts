import { describe, expect, it } from 'vitest';
import { Ingest } from '../../../../src/main/core/ingest/ingest';
import { VIEW } from '../../../../src/main/core/ingest/viewSeries';
import { figuresFromScrapes, readScrape } from '../../../../src/main/core/ingest/scrapeFigures';
import type { Target } from '../../../../src/main/core/inventory/target';
import { FleetSignals, blindSpots } from '../../../../src/main/core/signals/fleetSignals';
import { Timeline } from '../../../../src/main/core/signals/timeline';
import { parseExposition } from '../../../../src/main/core/sources/metrics/parseExposition';
import { SeriesStore } from '../../../../src/main/core/store';

const target = (id: string): Target => ({ id, opsUrl: `http://127.0.0.1:1/${id}`, labels: { region: 'eu' }, readToken: 'r', adminToken: null, source: 'test' });

function vitals(node: string, ts: number, patch: Record<string, unknown> = {}) {
  return {
    ts, node, state: 'serving', connections: { ws: 70, sse: 20, longpoll: 10 }, limit: 1000,
    rates: { opened: 1, closed: 1, reconnects: 0.5, published: 10, delivered: 100, dropped: 0 },
    pubsubLagMs: { p50: 1, p99: 4 }, deliveryLatencyMs: { p50: 1, p99: 2 }, presence: { online: 50, away: 10 },
    eventLoopLagMs: 1, rssBytes: 1e8, busConnected: true, ...patch,
  };
}

function setup(now: { t: number }) {
  const store = new SeriesStore({ retentionMs: 600_000 });
  const timeline = new Timeline();
  const ingest = new Ingest(store, timeline, 5000, () => now.t);
  ingest.setTargets([target('gw-1'), target('gw-2')]);
  return { store, timeline, ingest };
}

describe('Ingest', () => {
  it('turns vitals into node figures and view series, and judges the node up', () => {
    const now = { t: 1_000_000 };
    const { store, ingest } = setup(now);
    ingest.streamStatus('gw-1', { state: 'open', lastError: null, events: 0, lastEventAt: null });
    ingest.streamEvent('gw-1', { type: 'vitals', data: vitals('gw-1', now.t), bootId: 'b1' });
    const s = ingest.nodes.get('gw-1')!.summary();
    expect(s).toMatchObject({ health: 'up', bootId: 'b1', connections: { ws: 70, sse: 20, longpoll: 10, total: 100 }, deliveredPerSec: 100, lagP99Ms: 4, region: 'eu' });
    expect(store.get('gw-1', VIEW.connections('sse'))?.length).toBe(1);
    expect(store.get('gw-1', VIEW.lag('p99'))?.length).toBe(1);
  });

  it('counts invalid events as a blind spot and keeps the last good figures', () => {
    const now = { t: 2_000_000 };
    const { ingest } = setup(now);
    ingest.streamEvent('gw-1', { type: 'vitals', data: vitals('gw-1', now.t), bootId: 'b1' });
    ingest.streamEvent('gw-1', { type: 'vitals', data: vitals('gw-1', now.t + 1000, { connections: { ws: 'many' } }), bootId: 'b1' });
    ingest.streamEvent('gw-1', { type: 'vitals', data: vitals('gw-1', now.t + 1000, { rssBytes: Infinity }), bootId: 'b1' });
    const m = ingest.nodes.get('gw-1')!;
    expect(m.invalidEvents).toBe(2);
    expect(m.figures?.connections.ws).toBe(70);
    const spots = blindSpots(ingest, now.t);
    expect(spots).toEqual([{ node: 'gw-1', what: 'events', reason: '2 invalid events; last: vitals rssBytes: Invalid input: expected number, received Infinity', since: now.t }]);
  });

  it('puts lifecycle events and restarts on the timeline, planned or not', () => {
    const now = { t: 3_000_000 };
    const { ingest, timeline } = setup(now);
    ingest.streamEvent('gw-1', { type: 'vitals', data: vitals('gw-1', now.t), bootId: 'b1' });
    ingest.streamEvent('gw-1', { type: 'lifecycle', data: { ts: now.t, node: 'gw-1', kind: 'drain_started', detail: { deadlineSeconds: 30, disconnectRatePerSecond: 50, connections: 100, restart: true } }, bootId: 'b1' });
    ingest.streamEvent('gw-1', { type: 'lifecycle', data: { ts: now.t, node: 'gw-1', kind: 'restarting', detail: {} }, bootId: 'b1' });
    now.t += 2000;
    ingest.streamEvent('gw-1', { type: 'reset', data: { ...vitals('gw-1', now.t), bootId: 'b2' }, bootId: 'b2' });
    ingest.streamEvent('gw-2', { type: 'vitals', data: vitals('gw-2', now.t), bootId: 'c1' });
    ingest.streamEvent('gw-2', { type: 'vitals', data: vitals('gw-2', now.t), bootId: 'c2' });
    const events = timeline.query({ limit: 50 });
    const kinds = events.map((e) => `${e.node}:${e.kind}:${e.severity}`);
    expect(kinds).toContain('gw-1:drain_started:info');
    expect(kinds).toContain('gw-1:restarted:info');
    expect(kinds).toContain('gw-2:restarted:warning');
    expect(events.find((e) => e.kind === 'drain_started')!.reason).toBe('drain asked: deadline 30 s, 50 disconnects/s, 100 connections, then restart');
  });

  it('derives figures from two scrapes when there are no vitals, with counter resets', () => {
    const a = parseExposition([
      'realtime_connections{transport="ws"} 10', 'realtime_messages_delivered_total{transport="ws"} 1000',
      'realtime_reconnects_total{transport="ws"} 50', 'realtime_pubsub_lag_seconds_bucket{le="0.01"} 0',
      'realtime_pubsub_lag_seconds_bucket{le="0.1"} 10', 'realtime_pubsub_lag_seconds_bucket{le="+Inf"} 10', '',
    ].join('\n'));
    const b = parseExposition([
      'realtime_connections{transport="ws"} 12', 'realtime_messages_delivered_total{transport="ws"} 1500',
      'realtime_reconnects_total{transport="ws"} 20', 'realtime_pubsub_lag_seconds_bucket{le="0.01"} 50',
      'realtime_pubsub_lag_seconds_bucket{le="0.1"} 110', 'realtime_pubsub_lag_seconds_bucket{le="+Inf"} 110', '',
    ].join('\n'));
    if (!a.ok || !b.ok) throw new Error('fixture');
    const first = readScrape(a.value, 0);
    const f = figuresFromScrapes(readScrape(b.value, 5000), first.totals);
    expect(f.connections.ws).toBe(12);
    expect(f.deliveredPerSec).toBe(100);
    // 50 → 20: the node restarted; the 20 are new.
    expect(f.reconnectsPerSec).toBe(4);
    // 100 new observations: 50 ≤ 10 ms, 50 in (10, 100] ms → p50 = 10 ms, p99 ≈ 98.2 ms.
    expect(f.lagP50Ms).toBe(10);
    expect(f.lagP99Ms).toBeCloseTo(98.2, 1);
  });
});

describe('FleetSignals', () => {
  it('finds a reconnect spike on the fleet and attributes it to the crash just before', () => {
    const now = { t: 10_000_000 };
    const { ingest, timeline } = setup(now);
    const signals = new FleetSignals(ingest, timeline, { spike: { baselineSamples: 40 } });
    const feed = (rec: number) => {
      now.t += 1000;
      for (const id of ['gw-1', 'gw-2']) ingest.streamEvent(id, { type: 'vitals', data: vitals(id, now.t, { rates: { opened: 1, closed: 1, reconnects: rec, published: 1, delivered: 1, dropped: 0 } }), bootId: `${id}-b` });
      signals.tick(now.t);
    };
    for (let i = 0; i < 40; i++) feed(1);
    timeline.add({ ts: now.t, node: 'gw-3', kind: 'node_down', severity: 'critical', title: 'gw-3 down', reason: 'x' });
    for (const r of [60, 90, 30, 1, 1, 1, 1, 1, 1]) feed(r);
    const spikes = timeline.query({ limit: 100 }).filter((e) => e.kind === 'reconnect_spike');
    const fleet = spikes.find((e) => e.node === null)!;
    expect(fleet.cause).toMatchObject({ node: 'gw-3', kind: 'node_down' });
    expect(fleet.data.peak).toBe(180);
    expect(fleet.endTs).not.toBeNull();
    expect(fleet.data.total).toBe(360);
    expect(spikes.filter((e) => e.node !== null).map((e) => e.node).sort()).toEqual(['gw-1', 'gw-2']);
  });

  it('attributes a spike to a crash recorded just after the spike was seen', () => {
    const now = { t: 15_000_000 };
    const { ingest, timeline } = setup(now);
    const signals = new FleetSignals(ingest, timeline, { spike: { baselineSamples: 40 } });
    const feed = (rec: number) => {
      now.t += 1000;
      ingest.streamEvent('gw-1', { type: 'vitals', data: vitals('gw-1', now.t, { rates: { opened: 1, closed: 1, reconnects: rec, published: 1, delivered: 1, dropped: 0 } }), bootId: 'b' });
      signals.tick(now.t);
    };
    for (let i = 0; i < 40; i++) feed(1);
    feed(80);
    const spike = timeline.query({ limit: 100 }).find((e) => e.kind === 'reconnect_spike' && e.node === null)!;
    expect(spike.cause).toBeNull();
    timeline.add({ ts: now.t + 300, node: 'gw-3', kind: 'node_down', severity: 'critical', title: 'gw-3 down', reason: 'x' });
    feed(90);
    expect(spike.cause).toMatchObject({ node: 'gw-3', kind: 'node_down' });
    expect(spike.reason).toMatch(/after gw-3 node down$/);
  });

  it('reports a lag breach after it lasts, and its end', () => {
    const now = { t: 20_000_000 };
    const { ingest, timeline } = setup(now);
    const signals = new FleetSignals(ingest, timeline, { lagThresholdMs: 100, lagForMs: 3000 });
    const lag = (p99: number) => {
      now.t += 1000;
      ingest.streamEvent('gw-1', { type: 'vitals', data: vitals('gw-1', now.t, { pubsubLagMs: { p50: 5, p99 } }), bootId: 'b' });
      signals.tick(now.t);
    };
    for (const p of [5, 300, 400, 350]) lag(p);
    expect(timeline.query({ limit: 10 }).filter((e) => e.kind === 'lag_breach')).toEqual([]);
    lag(500);
    const breach = timeline.query({ limit: 10 }).find((e) => e.kind === 'lag_breach')!;
    expect(breach.ts).toBe(now.t - 3000);
    lag(5);
    expect(breach.endTs).toBe(now.t);
    expect(breach.data.peakMs).toBe(500);
  });

  it('flags presence that does not add up and a transport shift off WebSocket', () => {
    const now = { t: 30_000_000 };
    const { ingest, timeline } = setup(now);
    const signals = new FleetSignals(ingest, timeline);
    const feed = (conn: { ws: number; sse: number; longpoll: number }, presence = { online: 10, away: 0 }) => {
      now.t += 1000;
      ingest.streamEvent('gw-1', { type: 'vitals', data: vitals('gw-1', now.t, { connections: conn, presence }), bootId: 'b' });
      signals.tick(now.t);
    };
    for (let i = 0; i < 40; i++) feed({ ws: 90, sse: 5, longpoll: 5 });
    for (let i = 0; i < 12; i++) feed({ ws: 40, sse: 40, longpoll: 20 });
    const shift = timeline.query({ limit: 10 }).find((e) => e.kind === 'transport_shift')!;
    expect(shift.reason).toMatch(/60% of connections against a usual 10%/);
    feed({ ws: 5, sse: 0, longpoll: 0 }, { online: 30, away: 0 });
    expect(timeline.query({ limit: 10 }).find((e) => e.kind === 'presence_inconsistent')?.reason).toBe('30 users present through 5 connections: each present user needs at least one');
  });
});
