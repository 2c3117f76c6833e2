import type { BlindSpot, PanelSource } from '../../../../shared/api';
import type { Ingest } from '../../ingest/ingest';
import type { InventorySource, InventoryStatus } from '../../inventory/inventorySource';
import { CONCEPTS, describeProblem, isQuery } from '../../profiles';
import type { Concept, Profile, ProfileProblem } from '../../profiles';
import { conceptDrain, conceptFigures } from './conceptFigures';
import { evaluateRound } from './evaluateRound';
import type { RoundOutcome } from './evaluateRound';
import { rateWindowSec } from './expandQuery';
import { FocusStreams } from './focusStreams';
import type { FocusResult } from './focusStreams';
import type { PrometheusClient, PromFailure } from './promClient';
import { conceptTexts, prometheusPanelSources } from './promPanels';

export interface PrometheusSourceOptions {
  client: PrometheusClient;
  profile: Profile;
  ingest: Ingest;
  /** The fleet's nodes (the Prometheus targets API); answers are matched to them by the node label. */
  inventory: InventorySource;
  onInventory?: (s: InventoryStatus) => void;
  /** How often the profile's queries run, ms (default: Prometheus' scrape interval). */
  intervalMs: number;
  /** Prometheus' own scrape interval, ms (sets the rate() window). */
  scrapeIntervalMs: number;
  /** Most direct event streams at once (hybrid). */
  maxFocus?: number;
  streamIdleTimeoutMs?: number;
  now?: () => number;
}

/**
 * A concept that answered no series for any node this long, while nodes answer, gets a
 * note under "Show query": its metric does not exist (yet: client libraries create
 * labelled series on first use, so a quiet fleet can lack one), or its name is wrong.
 * Not a blind spot: on a quiet fleet that is the normal state.
 */
export const EMPTY_CONCEPT_GRACE_MS = 60_000;

/** The latest round, for status lines and benchmarks. */
export interface RoundStats {
  at: number;
  durationMs: number;
  /** Nodes of the inventory that got figures (or an `up == 0`). */
  nodes: number;
  /** Answers for node label values not in the inventory (other jobs, nodes that left). */
  unmatched: number;
}

/**
 * Prometheus as the source of truth: every `intervalMs`, the profile's queries, turned
 * into the same per-node figures the direct scraper produces and fed to the same Ingest.
 * Prometheus unreachable or refusing is one blind spot for the whole fleet (nodes are
 * left to go stale, never marked down for it); a query Prometheus rejects is a blind
 * spot naming the concept and query. Direct event streams only for nodes in focus.
 */
export class PrometheusSource {
  readonly focus: FocusStreams;
  readonly windowSec: number;
  lastRound: RoundStats | null = null;
  rounds = 0;
  private readonly now: () => number;
  private readonly available: ReadonlySet<Concept>;
  private aliases = new Map<string, string>();
  private failure: { failure: PromFailure; since: number } | null = null;
  private conceptErrors = new Map<Concept, { problem: ProfileProblem; since: number }>();
  private readonly emptySince = new Map<Concept, number>();
  private newestScrapeAt: number | null = null;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RoundOutcome> | null = null;
  private unsubscribe: (() => void) | null = null;
  private stopped = false;
  private readonly texts: ReadonlyMap<Concept, string>;

  constructor(private readonly o: PrometheusSourceOptions) {
    this.now = o.now ?? Date.now;
    this.focus = new FocusStreams(o.ingest, o.maxFocus, o.streamIdleTimeoutMs);
    this.windowSec = rateWindowSec(o.scrapeIntervalMs);
    this.available = new Set(CONCEPTS.filter((c) => isQuery(o.profile.concepts[c])));
    this.texts = conceptTexts(o.profile, this.windowSec);
  }

  /** Loads the inventory once and follows it. Rounds start with {@link startRounds}. */
  async startInventory(): Promise<void> {
    this.unsubscribe = this.o.inventory.onChange((s) => this.applyInventory(s));
    await this.o.inventory.start();
    this.applyInventory(this.o.inventory.status);
  }

  /** Runs a round every `intervalMs` (a round still running when the next is due is not doubled). */
  startRounds(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.round(), this.o.intervalMs);
    this.timer.unref();
  }

  /** Evaluates the profile now and applies the answers. */
  round(): Promise<RoundOutcome> {
    this.running ??= evaluateRound(this.o.client, this.o.profile, this.now() / 1000, this.windowSec)
      .then((r) => {
        if (!this.stopped) this.apply(r);
        return r;
      })
      .finally(() => (this.running = null));
    return this.running;
  }

  setFocus(nodeIds: readonly string[]): FocusResult {
    return this.focus.setFocus(nodeIds);
  }

  /** The failure of the latest round (null when it got its answers). */
  get lastFailure(): PromFailure | null {
    return this.failure?.failure ?? null;
  }

  /** What the console cannot see through Prometheus right now, for the whole fleet. */
  blindSpots(): BlindSpot[] {
    const out: BlindSpot[] = [];
    if (this.failure) out.push({ node: '*', what: 'metrics', reason: this.failure.failure.message, since: this.failure.since });
    for (const { problem, since } of this.conceptErrors.values()) out.push({ node: '*', what: 'metrics', reason: describeProblem(this.o.profile.name, problem), since });
    return out;
  }

  /** Every panel: Prometheus, as fresh as the newest scrape behind the latest round, with its PromQL. */
  panelSources(now = this.now()): PanelSource[] {
    const freshnessMs = this.newestScrapeAt === null ? null : Math.max(0, now - this.newestScrapeAt);
    let notes: Map<Concept, string> | undefined;
    for (const [concept, since] of this.emptySince) {
      if (now - since < EMPTY_CONCEPT_GRACE_MS) continue;
      (notes ??= new Map()).set(concept, `no series for any node since ${new Date(since).toISOString()}: no such metric yet, or a wrong name`);
    }
    return prometheusPanelSources(this.texts, freshnessMs, notes);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.unsubscribe?.();
    await this.o.inventory.stop();
    await this.focus.stop();
    await this.running?.catch(() => undefined);
  }

  private applyInventory(s: InventoryStatus): void {
    this.o.onInventory?.(s);
    this.o.ingest.setTargets(s.targets);
    this.focus.setTargets(s.targets);
    const label = this.o.profile.nodeLabel;
    const aliases = new Map<string, string>();
    for (const t of s.targets) {
      aliases.set(t.id, t.id);
      const v = t.labels[label];
      if (v !== undefined && !aliases.has(v)) aliases.set(v, t.id);
    }
    this.aliases = aliases;
  }

  private apply(r: RoundOutcome): void {
    const now = this.now();
    for (const [concept, problem] of r.conceptErrors) this.conceptErrors.set(concept, { problem, since: this.conceptErrors.get(concept)?.since ?? now });
    if (!r.ok) {
      this.failure = { failure: r.failure, since: this.failure?.since ?? now };
      return;
    }
    this.rounds++;
    this.failure = null;
    for (const c of [...this.conceptErrors.keys()]) if (!r.conceptErrors.has(c)) this.conceptErrors.delete(c);
    let nodes = 0;
    let unmatched = 0;
    let newest: number | null = null;
    for (const [value, nv] of r.byNode) {
      const id = this.aliases.get(value);
      if (id === undefined) {
        unmatched++;
        continue;
      }
      const up = nv.values.up;
      const scrapedAt = nv.values.lastScrape !== undefined && Number.isFinite(nv.values.lastScrape) ? Math.round(nv.values.lastScrape * 1000) : r.at;
      if (up === undefined) continue;
      nodes++;
      if (up < 1) {
        this.o.ingest.evaluated(id, { ok: false, at: scrapedAt, error: `Prometheus cannot scrape it (up == 0 at ${new Date(scrapedAt).toISOString()})`, errorClass: 'unreachable', durationMs: r.durationMs });
        continue;
      }
      if (newest === null || scrapedAt > newest) newest = scrapedAt;
      this.o.ingest.evaluated(id, {
        ok: true,
        at: scrapedAt,
        figures: conceptFigures(nv, scrapedAt, this.available),
        bootId: nv.bootId,
        drain: conceptDrain(nv),
        durationMs: r.durationMs,
        samples: Object.keys(nv.values).length,
      });
    }
    if (newest !== null) this.newestScrapeAt = newest;
    const empty = new Set(r.empty);
    for (const c of [...this.emptySince.keys()]) if (!empty.has(c)) this.emptySince.delete(c);
    if (nodes > 0) for (const c of empty) if (!this.emptySince.has(c)) this.emptySince.set(c, now);
    this.lastRound = { at: r.at, durationMs: r.durationMs, nodes, unmatched };
  }
}
