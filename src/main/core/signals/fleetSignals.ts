import type { BlindSpot, TimelineEvent } from '../../../shared/api';
import type { Ingest } from '../ingest/ingest';
import type { NodeModel } from '../ingest/nodeModel';
import { SpikeDetector } from './spikeDetector';
import type { SpikeOptions, SpikeUpdate } from './spikeDetector';
import type { Timeline } from './timeline';

export interface SignalOptions {
  spike?: Partial<SpikeOptions>;
  /** Pub/sub lag p99 above this (ms) … */
  lagThresholdMs: number;
  /** … for this long is a breach. */
  lagForMs: number;
  /** A non-WebSocket share this many points above its baseline is a transport shift. */
  transportShiftPoints: number;
  /** Events this recent (ms) before a spike can be its cause. */
  attributionWindowMs: number;
}

export const DEFAULT_SIGNALS: SignalOptions = { lagThresholdMs: 250, lagForMs: 5000, transportShiftPoints: 0.15, attributionWindowMs: 30_000 };

const CAUSE_KINDS = ['node_down', 'drain_started', 'restarting', 'restarted', 'shutdown'];

/**
 * Derived facts, evaluated once a second over the node models: reconnect spikes
 * (per node and fleet-wide, attributed to a node's crash, drain or restart just before),
 * pub/sub lag breaches, transport mix shifts, presence consistency. Each becomes a
 * timeline event with a severity and a reason; spans get their end when they end.
 */
export class FleetSignals {
  private readonly o: SignalOptions;
  private readonly fleetSpikes: SpikeDetector;
  private readonly nodeSpikes = new Map<string, SpikeDetector>();
  private readonly spikeEvents = new Map<string, TimelineEvent>();
  private readonly lagEvents = new Map<string, TimelineEvent>();
  private readonly presenceFlags = new Set<string>();
  private readonly mixBaseline: number[] = [];
  private mixEvent: TimelineEvent | null = null;
  private mixSince: number | null = null;

  constructor(private readonly ingest: Ingest, private readonly timeline: Timeline, o: Partial<SignalOptions> = {}) {
    this.o = { ...DEFAULT_SIGNALS, ...o };
    this.fleetSpikes = new SpikeDetector(spikeOpts(this.o));
  }

  /** Once a second. */
  tick(now = Date.now()): void {
    let fleetReconnects = 0;
    let total = 0;
    let nonWs = 0;
    for (const m of this.ingest.nodes.values()) {
      const f = m.figures;
      if (!f || m.lastSeenAt === null || now - m.lastSeenAt > this.ingest.recentMs) continue;
      fleetReconnects += f.reconnectsPerSec;
      const conns = f.connections.ws + f.connections.sse + f.connections.longpoll;
      total += conns;
      nonWs += f.connections.sse + f.connections.longpoll;
      let detector = this.nodeSpikes.get(m.id);
      if (!detector) this.nodeSpikes.set(m.id, (detector = new SpikeDetector(spikeOpts(this.o))));
      this.spike(m.id, detector.push(now, f.reconnectsPerSec));
      this.lag(m, now);
      this.presence(m, conns, now);
    }
    this.spike(null, this.fleetSpikes.push(now, fleetReconnects));
    this.attributeLate(now);
    this.mix(total, nonWs, now);
  }

  /**
   * A spike seen a moment before its cause is recorded (the console learns of a crash
   * from a refused reconnect, the other nodes' vitals may report the storm first) gets
   * its cause when the cause lands within a few seconds of the spike's start.
   */
  private attributeLate(now: number): void {
    for (const [key, ev] of this.spikeEvents) {
      if (ev.cause || now - ev.ts > 10_000) continue;
      const cause = this.timeline.lastOf(CAUSE_KINDS, ev.ts - this.o.attributionWindowMs, key === '*fleet*' ? undefined : key);
      if (!cause || !cause.node || cause.ts > ev.ts + 10_000) continue;
      ev.cause = { node: cause.node, kind: cause.kind, ts: cause.ts };
      ev.reason = `${ev.reason}, after ${cause.node} ${cause.kind.replace('_', ' ')}`;
      this.timeline.touch(ev);
    }
  }

  private spike(node: string | null, u: SpikeUpdate | null): void {
    if (!u) return;
    const key = node ?? '*fleet*';
    const where = node ?? 'the fleet';
    if (u.kind === 'start') {
      const cause = this.timeline.lastOf(CAUSE_KINDS, u.ts - this.o.attributionWindowMs, node ?? undefined);
      const ev = this.timeline.add({
        ts: u.ts, node, kind: 'reconnect_spike', severity: 'warning',
        title: `Reconnect spike on ${where}`,
        reason: `${u.rate.toFixed(1)}/s against a baseline of ${u.baseline.toFixed(1)}/s (threshold ${u.threshold.toFixed(1)}/s)${cause ? `, after ${cause.node} ${cause.kind.replace('_', ' ')}` : ''}`,
        cause: cause && cause.node ? { node: cause.node, kind: cause.kind, ts: cause.ts } : null,
        data: { peak: round(u.rate), total: round(u.rate), baseline: round(u.baseline), threshold: round(u.threshold) },
      });
      this.spikeEvents.set(key, ev);
      return;
    }
    const ev = this.spikeEvents.get(key);
    if (!ev) return;
    if (u.kind === 'peak') ev.data.peak = round(u.rate);
    else {
      ev.endTs = u.ts;
      ev.data.peak = round(u.peak);
      ev.data.total = u.total;
      ev.reason = `${ev.reason}; ended after ${Math.round((u.ts - u.startTs) / 1000)} s, peak ${u.peak.toFixed(1)}/s, ${u.total} reconnects`;
      this.spikeEvents.delete(key);
    }
    this.timeline.touch(ev);
  }

  private lag(m: NodeModel, now: number): void {
    const p99 = m.figures?.lagP99Ms ?? null;
    const over = p99 !== null && p99 > this.o.lagThresholdMs;
    const open = this.lagEvents.get(m.id);
    if (over) {
      m.lagBreachSince ??= now;
      if (!open && now - m.lagBreachSince >= this.o.lagForMs) {
        this.lagEvents.set(m.id, this.timeline.add({ ts: m.lagBreachSince, node: m.id, kind: 'lag_breach', severity: 'warning', title: `Pub/sub lag on ${m.id}`, reason: `p99 ${p99.toFixed(0)} ms above ${this.o.lagThresholdMs} ms for ${Math.round((now - m.lagBreachSince) / 1000)} s`, data: { peakMs: p99 } }));
      } else if (open && p99 > Number(open.data.peakMs)) {
        open.data.peakMs = p99;
      }
      return;
    }
    m.lagBreachSince = null;
    if (open) {
      open.endTs = now;
      open.reason = `${open.reason}; back under the threshold, peak ${Number(open.data.peakMs).toFixed(0)} ms`;
      this.timeline.touch(open);
      this.lagEvents.delete(m.id);
    }
  }

  private presence(m: NodeModel, conns: number, now: number): void {
    const p = m.figures!.presence;
    const bad = p.online + p.away > conns;
    if (bad && !this.presenceFlags.has(m.id)) {
      this.presenceFlags.add(m.id);
      this.timeline.add({ ts: now, node: m.id, kind: 'presence_inconsistent', severity: 'warning', title: `Presence on ${m.id} does not add up`, reason: `${p.online + p.away} users present through ${conns} connections: each present user needs at least one`, data: { users: p.online + p.away, connections: conns } });
    } else if (!bad) this.presenceFlags.delete(m.id);
  }

  /** The share of SSE + long polling against its own baseline: rising means the WebSocket path broke somewhere. */
  private mix(total: number, nonWs: number, now: number): void {
    if (total < 20) return;
    const share = nonWs / total;
    const sorted = [...this.mixBaseline].sort((a, b) => a - b);
    const base = sorted.length ? sorted[sorted.length >> 1] : share;
    const shifted = sorted.length >= 30 && share - base > this.o.transportShiftPoints;
    if (shifted) {
      this.mixSince ??= now;
      if (!this.mixEvent && now - this.mixSince >= 10_000) {
        this.mixEvent = this.timeline.add({ ts: this.mixSince, node: null, kind: 'transport_shift', severity: 'warning', title: 'Clients moving off WebSocket', reason: `SSE + long polling now ${(share * 100).toFixed(0)}% of connections against a usual ${(base * 100).toFixed(0)}%: the WebSocket path may be broken somewhere`, data: { share: round(share), baseline: round(base) } });
      }
      return;
    }
    this.mixSince = null;
    if (this.mixEvent) {
      this.mixEvent.endTs = now;
      this.timeline.touch(this.mixEvent);
      this.mixEvent = null;
    }
    this.mixBaseline.push(share);
    if (this.mixBaseline.length > 600) this.mixBaseline.shift();
  }

  /** Signals open right now (for the fleet header). */
  active(): TimelineEvent[] {
    return [...this.spikeEvents.values(), ...this.lagEvents.values(), ...(this.mixEvent ? [this.mixEvent] : [])];
  }
}

function spikeOpts(o: SignalOptions): SpikeOptions {
  return { baselineSamples: 300, k: 6, minRate: 5, quietSamples: 5, ...o.spike };
}

const round = (x: number) => Math.round(x * 100) / 100;

/** What the console cannot see right now, and why: never to be confused with "down". */
export function blindSpots(ingest: Ingest, now = Date.now()): BlindSpot[] {
  const out: BlindSpot[] = [];
  for (const m of ingest.nodes.values()) {
    if (m.health === 'down') continue;
    if (m.scrape.state === 'failing' && m.scrapeError !== 'unreachable') out.push({ node: m.id, what: 'metrics', reason: m.scrape.lastError ?? 'scrape failing', since: m.scrape.lastOkAt ?? now });
    if ((m.events.state === 'failing' || m.events.state === 'stale') && m.streamError !== 'unreachable') out.push({ node: m.id, what: 'events', reason: m.events.state === 'stale' ? 'event stream silent: no data and no heartbeat' : (m.events.lastError ?? 'event stream failing'), since: m.events.lastOkAt ?? now });
    if (m.lastInvalid && now - m.lastInvalidAt < 60_000) out.push({ node: m.id, what: 'events', reason: `${m.invalidEvents} invalid events; last: ${m.lastInvalid}`, since: now });
    if (m.figures && m.lastVitalsAt !== null && now - m.lastVitalsAt < 3000 && m.lastVitalsAt - m.figures.at > 2000) out.push({ node: m.id, what: 'ingest', reason: `events arrive ${((m.lastVitalsAt - m.figures.at) / 1000).toFixed(1)} s late`, since: now });
  }
  return out;
}
