import type { Severity } from '../../../shared/api';
import type { Target } from '../inventory/target';
import type { ScrapeOutcome } from '../sources/scrape/fetchMetrics';
import type { SeriesStore } from '../store';
import { updateHealth } from '../signals/healthTracker';
import { classifyError } from '../signals/nodeHealth';
import type { ErrorClass } from '../signals/nodeHealth';
import type { Timeline } from '../signals/timeline';
import { fastVitals, firstIssue, lifecycleSchema, presenceSchema, resetSchema, vitalsSchema } from './contractEvents';
import type { Lifecycle, Vitals } from './contractEvents';
import { NodeModel } from './nodeModel';
import type { NodeFigures } from './nodeModel';
import { figuresFromScrapes, readScrape } from './scrapeFigures';
import type { ScrapeTotals } from './scrapeFigures';
import { TRANSPORTS, VIEW } from './viewSeries';

/** One event from a node's `/events`, as the stream reader hands it over. */
export interface IngestEvent {
  type: string;
  data: unknown;
  bootId: string | null;
}

/** The stream reader's state, as far as ingest cares. */
export interface IngestStreamStatus {
  state: 'idle' | 'connecting' | 'open' | 'stale' | 'backoff' | 'closed';
  lastError: string | null;
  events: number;
  lastEventAt: number | null;
}

/** What an external evaluator (e.g. Prometheus) says about one node: figures, or why there are none. */
export type EvaluatedOutcome =
  | {
      ok: true;
      /** When the figures were measured (the evaluator's last scrape of the node), ms. */
      at: number;
      figures: NodeFigures;
      bootId: string | null;
      drain: { remaining: number; ratePerSec: number } | null;
      durationMs: number;
      samples: number;
    }
  | { ok: false; at: number; error: string; errorClass: ErrorClass; durationMs: number };

const LIFECYCLE_SEVERITY: Record<Lifecycle['kind'], Severity> = {
  started: 'info', drain_started: 'info', drain_progress: 'info', drained: 'info', undrained: 'info',
  restarting: 'info', bus_down: 'critical', bus_up: 'info', shutdown: 'warning',
};

/**
 * The one ingest path: live sources (event streams, scrapes) and the replay source all
 * call these methods, so every view and signal works the same on a recording.
 * Writes the store, keeps each node's model, and puts lifecycle facts on the timeline.
 */
export class Ingest {
  readonly nodes = new Map<string, NodeModel>();
  private readonly lastTotals = new Map<string, ScrapeTotals>();
  private readonly listeners = new Set<(nodeId: string) => void>();

  constructor(
    readonly store: SeriesStore,
    readonly timeline: Timeline,
    readonly scrapeIntervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * How recently a node must have been heard from for its figures to count as current
   * (fleet sums, signals): 5 s, or one scrape interval and a second when scrapes are the
   * slower source, so a node fed only by 5 s scrapes or query rounds does not blink out
   * between two of them.
   */
  get recentMs(): number {
    return Math.max(5000, this.scrapeIntervalMs + 1000);
  }

  /** Called after anything about a node changed (the publisher marks a frame due). */
  onChange(fn: (nodeId: string) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(id: string): void {
    for (const fn of this.listeners) fn(id);
  }

  setTargets(targets: readonly Target[]): { added: Target[]; removed: string[] } {
    const seen = new Set<string>();
    const added: Target[] = [];
    for (const t of targets) {
      seen.add(t.id);
      const m = this.nodes.get(t.id);
      if (m) m.target = t;
      else {
        this.nodes.set(t.id, new NodeModel(t));
        added.push(t);
      }
    }
    const removed = [...this.nodes.keys()].filter((id) => !seen.has(id));
    for (const id of removed) {
      this.nodes.delete(id);
      this.lastTotals.delete(id);
      this.store.dropTarget(id);
    }
    return { added, removed };
  }

  streamStatus(id: string, s: IngestStreamStatus): void {
    const m = this.nodes.get(id);
    if (!m) return;
    m.streamState = s.state === 'open' ? 'open' : s.state === 'stale' ? 'stale' : s.state === 'connecting' ? 'connecting' : s.state === 'backoff' ? 'failing' : 'idle';
    m.streamError = s.state === 'open' ? null : classifyError(s.lastError);
    const refused = s.state !== 'open' && s.lastError !== null && /ECONNREFUSED/.test(s.lastError);
    m.streamRefusedSince = refused ? (m.streamRefusedSince ?? this.now()) : null;
    Object.assign(m.events, {
      state: s.state === 'open' ? 'ok' : s.state === 'stale' ? 'stale' : s.state === 'backoff' ? 'failing' : 'idle',
      lastError: s.lastError,
      samples: s.events,
      lastOkAt: s.lastEventAt,
    });
    updateHealth(m, this.timeline, this.scrapeIntervalMs, this.now());
    this.changed(id);
  }

  streamEvent(id: string, e: IngestEvent): void {
    const m = this.nodes.get(id);
    if (!m) return;
    const now = this.now();
    m.lastSeenAt = now;
    if (e.bootId && m.bootId !== null && e.bootId !== m.bootId) this.newBoot(m, e.bootId, now);
    else if (e.bootId) m.bootId = e.bootId;
    switch (e.type) {
      case 'vitals': {
        // The schema's checks without zod for the usual valid event; zod names what is wrong otherwise.
        const fast = fastVitals(e.data);
        if (fast !== undefined) {
          this.applyVitals(m, fast, now);
          break;
        }
        const v = vitalsSchema.safeParse(e.data);
        if (!v.success) return this.invalid(m, `vitals ${firstIssue(v.error)}`);
        this.applyVitals(m, v.data, now);
        break;
      }
      case 'reset': {
        const r = resetSchema.safeParse(e.data);
        if (!r.success) return this.invalid(m, `reset ${firstIssue(r.error)}`);
        if (m.bootId !== null && r.data.bootId !== m.bootId) this.newBoot(m, r.data.bootId, now);
        m.bootId = r.data.bootId;
        break;
      }
      case 'lifecycle': {
        const l = lifecycleSchema.safeParse(e.data);
        if (!l.success) return this.invalid(m, `lifecycle ${firstIssue(l.error)}`);
        this.applyLifecycle(m, l.data, now);
        break;
      }
      case 'presence': {
        const p = presenceSchema.safeParse(e.data);
        if (!p.success) return this.invalid(m, `presence ${firstIssue(p.error)}`);
        break;
      }
      default:
        return this.invalid(m, `unknown event type "${e.type.slice(0, 40)}"`);
    }
    updateHealth(m, this.timeline, this.scrapeIntervalMs, now);
    this.changed(id);
  }

  private invalid(m: NodeModel, why: string): void {
    m.invalidEvents++;
    m.lastInvalid = why;
    m.lastInvalidAt = this.now();
    this.changed(m.id);
  }

  private newBoot(m: NodeModel, bootId: string, now: number): void {
    const planned = m.restartingSince !== null;
    this.timeline.add({
      ts: now, node: m.id, kind: 'restarted', severity: planned ? 'info' : 'warning',
      title: `${m.id} restarted`,
      reason: planned ? 'came back with a new boot id after a planned restart' : 'new boot id without a planned restart: it crashed or was restarted outside the console',
      data: { from: m.bootId, to: bootId },
    });
    m.bootId = bootId;
    m.restartingSince = null;
    // Counters start again at 0 in a new process: forget the previous scrape's totals.
    this.lastTotals.delete(m.id);
  }

  private applyVitals(m: NodeModel, v: Vitals, now: number): void {
    m.lastVitalsAt = now;
    const f: NodeFigures = {
      at: v.ts,
      state: v.state,
      connections: v.connections,
      limit: v.limit,
      deliveredPerSec: v.rates.delivered,
      publishedPerSec: v.rates.published,
      reconnectsPerSec: v.rates.reconnects,
      droppedPerSec: v.rates.dropped,
      lagP50Ms: v.pubsubLagMs.p50,
      lagP99Ms: v.pubsubLagMs.p99,
      presence: v.presence,
      busConnected: v.busConnected,
    };
    if (m.figures?.busConnected === true && !v.busConnected) {
      this.timeline.add({ ts: now, node: m.id, kind: 'bus_disconnected', severity: 'critical', title: `${m.id} lost its bus link`, reason: 'vitals report the pub/sub link down: messages from other nodes are not arriving' });
    }
    this.setFigures(m, f);
    m.drain = v.state === 'draining' ? { remaining: v.connections.ws + v.connections.sse + v.connections.longpoll, ratePerSec: v.rates.closed } : null;
  }

  /** Stores the figures as the node's view series and keeps them as its latest. */
  private setFigures(m: NodeModel, f: NodeFigures): void {
    m.figures = f;
    const s = this.store;
    const t = f.at;
    for (const tr of TRANSPORTS) s.append(m.id, VIEW.connections(tr), t, f.connections[tr]);
    s.append(m.id, VIEW.delivered, t, f.deliveredPerSec);
    s.append(m.id, VIEW.published, t, f.publishedPerSec);
    s.append(m.id, VIEW.reconnects, t, f.reconnectsPerSec);
    s.append(m.id, VIEW.dropped, t, f.droppedPerSec);
    if (f.lagP50Ms !== null) s.append(m.id, VIEW.lag('p50'), t, f.lagP50Ms);
    if (f.lagP99Ms !== null) s.append(m.id, VIEW.lag('p99'), t, f.lagP99Ms);
    s.append(m.id, VIEW.presence('online'), t, f.presence.online);
    s.append(m.id, VIEW.presence('away'), t, f.presence.away);
  }

  private applyLifecycle(m: NodeModel, l: Lifecycle, now: number): void {
    if (l.kind === 'restarting' || l.kind === 'shutdown') m.restartingSince = now;
    if (l.kind === 'drain_progress') {
      const d = l.detail ?? {};
      m.drain = { remaining: Number(d.remaining) || 0, ratePerSec: Number(d.disconnectRatePerSecond) || 0 };
      return;
    }
    if (l.kind === 'drained' && m.figures) m.figures = { ...m.figures, state: 'drained' };
    if (l.kind === 'drain_started' && m.figures) m.figures = { ...m.figures, state: 'draining' };
    if (l.kind === 'undrained' && m.figures) m.figures = { ...m.figures, state: 'serving' };
    const detail: Record<string, string | number | boolean | null> = {};
    for (const [k, v] of Object.entries(l.detail ?? {})) if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) detail[k] = v as string | number | boolean | null;
    this.timeline.add({ ts: now, node: m.id, kind: l.kind, severity: LIFECYCLE_SEVERITY[l.kind], title: `${m.id} ${l.kind.replace('_', ' ')}`, reason: describeLifecycle(l), data: detail });
  }

  scrape(id: string, o: ScrapeOutcome): void {
    const m = this.nodes.get(id);
    if (!m) return;
    const now = this.now();
    m.scrape = { state: o.ok ? 'ok' : 'failing', lastOkAt: o.ok ? o.at : m.scrape.lastOkAt, lastError: o.ok ? null : o.error, durationMs: o.durationMs, samples: o.ok ? o.samples : 0 };
    m.scrapeError = o.ok ? null : classifyError(o.error);
    if (o.ok) {
      m.lastSeenAt = now;
      for (const f of o.exposition.families) {
        for (const s of f.samples) this.store.appendSample(id, s.name, s.labels, s.timestampMs ?? o.at, s.value);
      }
      const reading = readScrape(o.exposition, o.at);
      if (reading.bootId && m.bootId !== null && reading.bootId !== m.bootId) this.newBoot(m, reading.bootId, now);
      else if (reading.bootId && m.bootId === null) m.bootId = reading.bootId;
      const figures = figuresFromScrapes(reading, this.lastTotals.get(id) ?? null);
      this.lastTotals.set(id, reading.totals);
      // Vitals are fresher; scrapes fill in when a node has no (working) event stream.
      const vitalsFresh = m.lastVitalsAt !== null && now - m.lastVitalsAt < 3000;
      if (!vitalsFresh) this.setFigures(m, figures);
    }
    updateHealth(m, this.timeline, this.scrapeIntervalMs, now);
    this.changed(id);
  }

  /**
   * Figures of a node computed by an external evaluator (a Prometheus query round)
   * instead of read from the node. Judged like a scrape (freshness from `at`, errors by
   * class) and written like scrape figures: fresh vitals from the node's own stream stay
   * ahead of them. The direct scrape path does not go through here.
   */
  evaluated(id: string, o: EvaluatedOutcome): void {
    const m = this.nodes.get(id);
    if (!m) return;
    const now = this.now();
    m.scrape = { state: o.ok ? 'ok' : 'failing', lastOkAt: o.ok ? o.at : m.scrape.lastOkAt, lastError: o.ok ? null : o.error, durationMs: o.durationMs, samples: o.ok ? o.samples : 0 };
    m.scrapeError = o.ok ? null : o.errorClass;
    if (o.ok) {
      m.lastSeenAt = now;
      // While the node's own stream is fresh it is ahead of the evaluator (which may still
      // report the previous boot for a scrape interval): its figures and boot id win.
      const vitalsFresh = m.lastVitalsAt !== null && now - m.lastVitalsAt < 3000;
      if (!vitalsFresh) {
        if (o.bootId && m.bootId !== null && o.bootId !== m.bootId) this.newBoot(m, o.bootId, now);
        else if (o.bootId && m.bootId === null) m.bootId = o.bootId;
        this.setFigures(m, o.figures);
        m.drain = o.drain;
      }
    }
    updateHealth(m, this.timeline, this.scrapeIntervalMs, now);
    this.changed(id);
  }

  /** Re-judges every node's health (freshness decays with time, not only with input). */
  tick(): void {
    const now = this.now();
    for (const m of this.nodes.values()) if (updateHealth(m, this.timeline, this.scrapeIntervalMs, now)) this.changed(m.id);
  }
}

function describeLifecycle(l: Lifecycle): string {
  const d = l.detail ?? {};
  switch (l.kind) {
    case 'drain_started': return `drain asked: deadline ${String(d.deadlineSeconds ?? '?')} s, ${String(d.disconnectRatePerSecond ?? '?')} disconnects/s, ${String(d.connections ?? '?')} connections${d.restart ? ', then restart' : ''}`;
    case 'drained': return `no client connections left${Number(d.forced) > 0 ? ` (${String(d.forced)} force-closed at the deadline)` : ''}`;
    case 'bus_down': return 'the node lost its bus (Redis) link: fan-out from other nodes stops';
    case 'bus_up': return 'the bus link is back';
    case 'restarting': return 'drained; the process exits for its supervisor to start a fresh one';
    case 'shutdown': return 'the node is shutting down';
    case 'started': return 'a fresh process started';
    case 'undrained': return 'accepting clients again';
    default: return l.kind;
  }
}
