import { FLEET_TARGET, VIEW } from '../../ingest/viewSeries';
import { isQuery } from '../../profiles';
import type { Concept, Profile } from '../../profiles';
import type { SeriesStore } from '../../store';
import { expandQuery, rateWindowSec } from './expandQuery';
import type { PrometheusClient, PromFailure } from './promClient';

/** A fleet view series and how its history is computed from a concept's per-node query. */
interface FleetLine {
  key: string;
  concept: Concept;
  /** Fleet-wide: counts and rates add up; a lag quantile is the worst node's (as the live fleet series). */
  aggregate: 'sum' | 'max';
  /** Factor from the query's unit to the view's (seconds → ms for lag). */
  scale: number;
}

const FLEET_LINES: readonly FleetLine[] = [
  { key: VIEW.connections('ws'), concept: 'connectionsWs', aggregate: 'sum', scale: 1 },
  { key: VIEW.connections('sse'), concept: 'connectionsSse', aggregate: 'sum', scale: 1 },
  { key: VIEW.connections('longpoll'), concept: 'connectionsLongpoll', aggregate: 'sum', scale: 1 },
  { key: VIEW.delivered, concept: 'deliveredRate', aggregate: 'sum', scale: 1 },
  { key: VIEW.published, concept: 'publishedRate', aggregate: 'sum', scale: 1 },
  { key: VIEW.reconnects, concept: 'reconnectsRate', aggregate: 'sum', scale: 1 },
  { key: VIEW.dropped, concept: 'droppedRate', aggregate: 'sum', scale: 1 },
  { key: VIEW.lag('p50'), concept: 'lagP50', aggregate: 'max', scale: 1000 },
  { key: VIEW.lag('p99'), concept: 'lagP99', aggregate: 'max', scale: 1000 },
  { key: VIEW.presence('online'), concept: 'presenceOnline', aggregate: 'sum', scale: 1 },
  { key: VIEW.presence('away'), concept: 'presenceAway', aggregate: 'sum', scale: 1 },
];

export interface BackfillOptions {
  /** The window to fill, ms since the epoch. */
  fromMs: number;
  toMs: number;
  /** Step of the range queries (the chart's resolution), ms; start and end are aligned to it. */
  stepMs: number;
  /** Prometheus' scrape interval (for the rate window), ms. */
  scrapeIntervalMs: number;
}

/** The fleet-wide range query of a line (`sum(…)` or `max(…)` of the per-node query), or null when unavailable. */
export function fleetRangeQuery(profile: Profile, concept: Concept, windowSec: number): string | null {
  const line = FLEET_LINES.find((l) => l.concept === concept);
  const def = profile.concepts[concept];
  if (!line || !isQuery(def)) return null;
  return `${line.aggregate}(${expandQuery(def.query, windowSec)})`;
}

/**
 * Fills the fleet's view series with their history from `query_range`, so fleet charts
 * show the past hour from the first second. Must run before anything else appends to
 * the fleet series (the store takes samples in time order only). Points are aligned to
 * the step (repeated back-fills ask for the same instants, which Prometheus caches).
 */
export async function backfillFleet(client: PrometheusClient, profile: Profile, store: SeriesStore, o: BackfillOptions): Promise<{ ok: true; points: number; rejected: string[] } | { ok: false; failure: PromFailure }> {
  const stepSec = Math.max(1, Math.round(o.stepMs / 1000));
  const end = Math.floor(o.toMs / 1000 / stepSec) * stepSec;
  const start = Math.ceil(o.fromMs / 1000 / stepSec) * stepSec;
  const windowSec = rateWindowSec(o.scrapeIntervalMs, stepSec * 1000);
  let points = 0;
  const rejected: string[] = [];
  for (const line of FLEET_LINES) {
    const expr = fleetRangeQuery(profile, line.concept, windowSec);
    if (expr === null) continue;
    const res = await client.queryRange(expr, start, end, stepSec);
    if (!res.ok) {
      if (res.failure.kind === 'bad_query') {
        rejected.push(line.concept);
        continue;
      }
      return { ok: false, failure: res.failure };
    }
    const series = res.value.series[0];
    if (!series) continue;
    for (let i = 0; i < series.t.length; i++) {
      const v = series.v[i];
      if (!Number.isFinite(v)) continue;
      if (store.append(FLEET_TARGET, line.key, Math.round(series.t[i] * 1000), Math.round(v * line.scale * 100) / 100) === 'ok') points++;
    }
  }
  return { ok: true, points, rejected };
}
