import { ConsoleCore } from './consoleCore';
import { tuneV8ForIngest } from './v8Tuning';
import type { ConsoleCoreOptions } from './consoleCore';
import { prometheusTargetsSource } from './inventory';
import { ProfileError, checkProfile, loadProfile } from './profiles';
import type { Profile } from './profiles';
import { PrometheusClient, PrometheusSource, backfillFleet, prometheusBase } from './sources/prometheus';
import type { FocusResult, PrometheusClientOptions, PromFailure } from './sources/prometheus';

/** Prometheus' usual scrape interval in our deployments, and the default query round. */
export const DEFAULT_PROMETHEUS_ROUND_MS = 5000;
/** History back-filled at start: the longest chart range. */
export const DEFAULT_BACKFILL_MS = 3_600_000;
/** Points per back-filled line at most (1 h at 5 s). */
const BACKFILL_POINTS = 720;

export interface PrometheusConsoleOptions extends ConsoleCoreOptions {
  prometheus: PrometheusClientOptions & {
    /** Only targets of this job are nodes (default: every active target). */
    job?: string;
    /** Token files for the NODES themselves (event streams of nodes in focus, actions). */
    readTokenFile?: string;
    adminTokenFile?: string;
    /** How often the targets API is asked for the fleet, ms (default 30 000). */
    inventoryIntervalMs?: number;
  };
  /** `contract`, `centrifugo`, a profile file, or a profile already loaded. */
  profile: string | Profile;
  /** Query round interval, ms (default 5 000). */
  intervalMs?: number;
  /** Prometheus' scrape interval, ms (default: the round interval); sets the rate() window. */
  scrapeIntervalMs?: number;
  /** History to back-fill at start, ms (default 1 h; 0 = none). */
  backfillMs?: number;
  /** Most direct event streams for nodes in focus (default 50). */
  maxFocus?: number;
  streamIdleTimeoutMs?: number;
}

/** A console whose figures come from Prometheus. */
export interface PrometheusConsole {
  core: ConsoleCore;
  source: PrometheusSource;
  profile: Profile;
  /** What the back-fill at start did: points written, or why none. */
  backfill: { points: number } | { failure: PromFailure } | null;
  /** The nodes on screen: their `/events` are read directly (at most `maxFocus`). */
  setFocus(nodeIds: readonly string[]): FocusResult;
  stop(): Promise<void>;
}

/**
 * Starts a console on Prometheus: loads and checks the profile, loads the fleet from the
 * targets API, runs one round (which is also the check of every query: a query
 * Prometheus rejects fails the start with a {@link ProfileError} naming the concept and
 * the query), back-fills the fleet's history, then runs a round every interval.
 * Prometheus being unreachable or refusing at start is not fatal: the console starts
 * blind and says so.
 * @throws ProfileError for a profile with a mistake; Error for an unusable URL.
 */
export async function startPrometheusConsole(o: PrometheusConsoleOptions): Promise<PrometheusConsole> {
  tuneV8ForIngest();
  const base = prometheusBase(o.prometheus.url);
  if (!base.ok) throw new Error(`Prometheus URL ${o.prometheus.url} ${base.problem}`);
  const profile = typeof o.profile === 'string' ? await loadProfile(o.profile) : checked(o.profile);
  const intervalMs = o.intervalMs ?? DEFAULT_PROMETHEUS_ROUND_MS;
  const scrapeIntervalMs = o.scrapeIntervalMs ?? intervalMs;
  const client = new PrometheusClient(o.prometheus);
  const core = new ConsoleCore({
    ...o,
    // Figures are as old as one Prometheus scrape plus one round at most: judge freshness on both.
    scrapeIntervalMs: intervalMs + scrapeIntervalMs,
    source: o.source ?? { kind: 'live', name: `Prometheus at ${o.prometheus.url} (profile ${profile.name})`, capabilities: { seek: false, speed: false, actions: true } },
  });
  const p = o.prometheus;
  const inventory = prometheusTargetsSource({
    url: p.url, job: p.job, bearerTokenFile: p.bearerTokenFile, basicAuth: p.basicAuth, readTokenFile: p.readTokenFile, adminTokenFile: p.adminTokenFile,
    intervalMs: p.inventoryIntervalMs, timeoutMs: p.timeoutMs,
  });
  const source = new PrometheusSource({
    client, profile, ingest: core.ingest, inventory, onInventory: (s) => core.setInventory(s),
    intervalMs, scrapeIntervalMs, maxFocus: o.maxFocus, streamIdleTimeoutMs: o.streamIdleTimeoutMs, now: o.now,
  });
  core.setBlindSpotSource(() => source.blindSpots());
  core.setPanelSources((_nodes, now) => source.panelSources(now));
  let backfill: PrometheusConsole['backfill'] = null;
  try {
    await source.startInventory();
    const first = await source.round();
    if (first.ok && first.conceptErrors.size > 0) throw new ProfileError(profile.name, [...first.conceptErrors.values()]);
    const spanMs = o.backfillMs ?? DEFAULT_BACKFILL_MS;
    if (spanMs > 0 && first.ok) {
      const now = (o.now ?? Date.now)();
      const stepMs = Math.max(scrapeIntervalMs, Math.ceil(spanMs / BACKFILL_POINTS / 1000) * 1000);
      const r = await backfillFleet(client, profile, core.store, { fromMs: now - spanMs, toMs: now, stepMs, scrapeIntervalMs });
      backfill = r.ok ? { points: r.points } : { failure: r.failure };
    }
  } catch (err) {
    await source.stop();
    core.stop();
    throw err;
  }
  core.start();
  source.startRounds();
  return {
    core,
    source,
    profile,
    backfill,
    setFocus: (ids) => source.setFocus(ids),
    stop: async () => {
      await source.stop();
      core.stop();
    },
  };
}

function checked(p: Profile): Profile {
  const problems = checkProfile(p);
  if (problems.length > 0) throw new ProfileError(p.name, problems);
  return p;
}
