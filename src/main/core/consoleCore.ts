import type { BlindSpot, DataApi, FleetSummary, InventoryInfo, LiveFrame, NodeSummary, PanelSource, Result, SeriesRequest, SeriesWindow, SourceInfo, TimelineEvent, TimelineQuery } from '../../shared/api';
import { SERIES_METRICS, seriesRequestSchema, timelineQuerySchema } from '../../shared/api';
import { FramePublisher } from './api/framePublisher';
import { querySeries } from './api/seriesQuery';
import { Ingest } from './ingest/ingest';
import { FLEET_TARGET, TRANSPORTS, VIEW } from './ingest/viewSeries';
import type { InventoryStatus } from './inventory/inventorySource';
import { targetInfo } from './inventory/target';
import { FleetSignals, blindSpots } from './signals/fleetSignals';
import type { SignalOptions } from './signals/fleetSignals';
import { Timeline } from './signals/timeline';
import { SeriesStore } from './store';
import type { SeriesStoreOptions } from './store';
import { compareNodeIds } from '../../shared/nodeOrder';

export interface ConsoleCoreOptions {
  store?: SeriesStoreOptions;
  signals?: Partial<SignalOptions>;
  /** Scrape interval the health machine judges freshness by. */
  scrapeIntervalMs?: number;
  source?: SourceInfo;
  now?: () => number;
}

const NO_SOURCE: SourceInfo = { kind: 'none', name: 'no fleet', capabilities: { seek: false, speed: false, actions: false } };

/**
 * The console engine: store, ingest, signals, timeline and the live-frame publisher,
 * behind {@link DataApi}. Sources (live or replay) feed `ingest`; Electron IPC and the
 * serve bridge expose the API. Plain Node: no electron, no HTTP here.
 */
export class ConsoleCore implements DataApi {
  readonly store: SeriesStore;
  readonly timeline = new Timeline();
  readonly ingest: Ingest;
  readonly signals: FleetSignals;
  readonly publisher: FramePublisher;
  source: SourceInfo;
  private inventory: InventoryStatus | null = null;
  private ticker: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private panelSources: ((nodes: readonly NodeSummary[], now: number) => PanelSource[]) | null = null;
  private blindSpotSource: ((now: number) => BlindSpot[]) | null = null;

  constructor(o: ConsoleCoreOptions = {}) {
    this.now = o.now ?? Date.now;
    this.store = new SeriesStore(o.store);
    this.ingest = new Ingest(this.store, this.timeline, o.scrapeIntervalMs ?? 5000, this.now);
    this.signals = new FleetSignals(this.ingest, this.timeline, o.signals);
    this.source = o.source ?? NO_SOURCE;
    this.publisher = new FramePublisher((events, dropped, seq) => this.buildFrame(events, dropped, seq));
    this.ingest.onChange(() => this.publisher.markDirty());
    this.timeline.onEvent((e) => this.publisher.event(e));
  }

  /** Starts the once-a-second evaluation (freshness decays with time, signals need a clock). */
  start(): void {
    this.ticker = setInterval(() => this.tick(), 1000);
    this.ticker.unref();
  }

  tick(): void {
    const now = this.now();
    this.ingest.tick();
    this.signals.tick(now);
    this.recordFleet(now);
    this.publisher.markDirty();
  }

  /** Appends the fleet's figures of this second to the fleet view series. */
  private recordFleet(now: number): void {
    const nodes: NodeSummary[] = [];
    for (const m of this.ingest.nodes.values()) nodes.push(m.summary());
    // A second in which the console heard from no node has no fleet figures: writing
    // zeros would chart "no connections" where the truth is "unknown".
    if (!nodes.some((n) => n.lastSeenAt !== null && now - n.lastSeenAt < this.ingest.recentMs)) return;
    const f = fleetSummary(nodes, [], []);
    const s = this.store;
    for (const t of TRANSPORTS) s.append(FLEET_TARGET, VIEW.connections(t), now, f.connections[t]);
    s.append(FLEET_TARGET, VIEW.delivered, now, f.deliveredPerSec);
    s.append(FLEET_TARGET, VIEW.published, now, f.publishedPerSec);
    s.append(FLEET_TARGET, VIEW.reconnects, now, f.reconnectsPerSec);
    s.append(FLEET_TARGET, VIEW.dropped, now, nodes.reduce((sum, n) => sum + (this.ingest.nodes.get(n.id)?.figures?.droppedPerSec ?? 0), 0));
    if (f.lagP99Ms !== null) s.append(FLEET_TARGET, VIEW.lag('p99'), now, f.lagP99Ms);
    const p50 = Math.max(...nodes.map((n) => n.lagP50Ms ?? -1));
    if (p50 >= 0) s.append(FLEET_TARGET, VIEW.lag('p50'), now, p50);
    s.append(FLEET_TARGET, VIEW.presence('online'), now, f.presence.online);
    s.append(FLEET_TARGET, VIEW.presence('away'), now, f.presence.away);
  }

  stop(): void {
    clearInterval(this.ticker);
    this.publisher.stop();
  }

  setInventory(s: InventoryStatus): void {
    this.inventory = s;
    this.publisher.markDirty();
  }

  /** Says where each panel's figures come from (a Prometheus source does); default: the source kind, freshness from the newest node report. */
  setPanelSources(fn: ((nodes: readonly NodeSummary[], now: number) => PanelSource[]) | null): void {
    this.panelSources = fn;
  }

  /** Adds fleet-wide blind spots a source knows of (Prometheus unreachable, a rejected query) to every frame. */
  setBlindSpotSource(fn: ((now: number) => BlindSpot[]) | null): void {
    this.blindSpotSource = fn;
    this.publisher.markDirty();
  }

  private panels(nodes: readonly NodeSummary[], now: number): PanelSource[] {
    if (this.panelSources) return this.panelSources(nodes, now);
    if (this.source.kind === 'none') return [];
    let newest: number | null = null;
    for (const n of nodes) if (n.lastSeenAt !== null && (newest === null || n.lastSeenAt > newest)) newest = n.lastSeenAt;
    const source = this.source.kind === 'replay' ? 'recording' : 'direct';
    const freshnessMs = newest === null ? null : Math.max(0, now - newest);
    return (['figures', 'nodes', ...SERIES_METRICS] as const).map((panel) => ({ panel, source, freshnessMs, queries: [] }));
  }

  // ---- DataApi ----

  async getSeries(req: SeriesRequest): Promise<Result<SeriesWindow>> {
    const parsed = seriesRequestSchema.safeParse(req);
    if (!parsed.success) return invalid(parsed.error.issues[0]);
    return { ok: true, value: querySeries(this.store, parsed.data, [...this.ingest.nodes.keys()], FLEET_TARGET) };
  }

  async getTimeline(q: TimelineQuery): Promise<Result<TimelineEvent[]>> {
    const parsed = timelineQuerySchema.safeParse(q);
    if (!parsed.success) return invalid(parsed.error.issues[0]);
    return { ok: true, value: this.timeline.query(parsed.data) };
  }

  async getInventory(): Promise<Result<InventoryInfo>> {
    const s = this.inventory;
    const targets = s ? s.targets : [...this.ingest.nodes.values()].map((m) => m.target);
    return {
      ok: true,
      value: {
        source: s?.source ?? this.source.name,
        loadedAt: s?.loadedAt ?? null,
        lastError: s?.lastError?.message ?? null,
        targets: targets.map((t) => {
          const i = targetInfo(t);
          return { id: i.id, opsUrl: i.opsUrl, labels: i.labels, canAdmin: i.canAdmin };
        }),
      },
    };
  }

  onFrame(fn: (frame: LiveFrame) => void): () => void {
    return this.publisher.subscribe(fn);
  }

  // ---- frames ----

  buildFrame(events: TimelineEvent[], droppedEvents: number, seq: number): LiveFrame {
    const now = this.now();
    const nodes: NodeSummary[] = [];
    for (const m of this.ingest.nodes.values()) nodes.push(m.summary());
    nodes.sort((a, b) => compareNodeIds(a.id, b.id));
    const blind: BlindSpot[] = blindSpots(this.ingest, now);
    if (this.inventory?.lastError) blind.push({ node: '*', what: 'inventory', reason: this.inventory.lastError.message, since: now });
    if (this.blindSpotSource) blind.push(...this.blindSpotSource(now));
    const mode = this.source.kind;
    return {
      seq, ts: now, source: this.source, fleet: fleetSummary(nodes, blind, this.signals.active()), nodes, events, droppedEvents,
      panels: this.panels(nodes, now),
      // A session (src/main/session) fills in actions, recorder and replay; a bare core has none.
      session: { mode, commands: null, recorder: null, replay: null },
    };
  }
}

function fleetSummary(nodes: NodeSummary[], blind: BlindSpot[], active: TimelineEvent[]): FleetSummary {
  const f: FleetSummary = {
    nodesUp: 0, nodesTotal: nodes.length,
    connections: { ws: 0, sse: 0, longpoll: 0, total: 0 },
    deliveredPerSec: 0, publishedPerSec: 0, reconnectsPerSec: 0, lagP99Ms: null,
    presence: { online: 0, away: 0 }, blind, active,
  };
  for (const n of nodes) {
    const alive = n.health === 'up' || n.health === 'draining' || n.health === 'drained';
    if (alive) f.nodesUp++;
    if (!alive && n.health !== 'stale') continue;
    f.connections.ws += n.connections.ws;
    f.connections.sse += n.connections.sse;
    f.connections.longpoll += n.connections.longpoll;
    f.connections.total += n.connections.total;
    f.deliveredPerSec += n.deliveredPerSec;
    f.publishedPerSec += n.publishedPerSec;
    f.reconnectsPerSec += n.reconnectsPerSec;
    f.presence.online += n.presence.online;
    f.presence.away += n.presence.away;
    if (n.lagP99Ms !== null) f.lagP99Ms = Math.max(f.lagP99Ms ?? 0, n.lagP99Ms);
  }
  f.deliveredPerSec = Math.round(f.deliveredPerSec * 100) / 100;
  f.publishedPerSec = Math.round(f.publishedPerSec * 100) / 100;
  f.reconnectsPerSec = Math.round(f.reconnectsPerSec * 100) / 100;
  return f;
}

function invalid(issue: { path: PropertyKey[]; message: string } | undefined): { ok: false; code: 'invalid'; message: string } {
  return { ok: false, code: 'invalid', message: issue ? `${issue.path.map(String).join('.') || 'request'}: ${issue.message}` : 'invalid request' };
}
