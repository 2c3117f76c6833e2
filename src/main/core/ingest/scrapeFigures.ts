import type { Transport } from '../../../shared/api';
import type { Exposition } from '../sources/metrics/types';
import { bucketQuantile } from '../store';
import type { NodeFigures } from './nodeModel';
import { TRANSPORTS } from './viewSeries';

/** Counter totals and lag buckets of one scrape, for rates and quantiles between two scrapes. */
export interface ScrapeTotals {
  at: number;
  delivered: number;
  published: number;
  reconnects: number;
  dropped: number;
  lagBounds: number[];
  lagCounts: number[];
}

export interface ScrapeReading {
  totals: ScrapeTotals;
  connections: Record<Transport, number>;
  limit: number | null;
  presence: { online: number; away: number };
  draining: boolean;
  remaining: number;
  busConnected: boolean | null;
  bootId: string | null;
}

/** Reads the fleet contract's metrics out of a scrape (sample names are the same in both formats). */
export function readScrape(e: Exposition, at: number): ScrapeReading {
  const r: ScrapeReading = {
    totals: { at, delivered: 0, published: 0, reconnects: 0, dropped: 0, lagBounds: [], lagCounts: [] },
    connections: { ws: 0, sse: 0, longpoll: 0 },
    limit: null,
    presence: { online: 0, away: 0 },
    draining: false,
    remaining: 0,
    busConnected: null,
    bootId: null,
  };
  const bounds: number[] = [];
  const counts: number[] = [];
  for (const f of e.families) {
    for (const s of f.samples) {
      const v = s.value;
      switch (s.name) {
        case 'realtime_connections':
          if (TRANSPORTS.includes(s.labels.transport as Transport)) r.connections[s.labels.transport as Transport] = v;
          break;
        case 'realtime_connection_limit': r.limit = v; break;
        case 'realtime_messages_delivered_total': r.totals.delivered += v; break;
        case 'realtime_messages_published_total': r.totals.published += v; break;
        case 'realtime_reconnects_total': r.totals.reconnects += v; break;
        case 'realtime_messages_dropped_total': r.totals.dropped += v; break;
        case 'realtime_presence_users':
          if (s.labels.state === 'online' || s.labels.state === 'away') r.presence[s.labels.state] = v;
          break;
        case 'realtime_node_draining': r.draining = v === 1; break;
        case 'realtime_drain_remaining_connections': r.remaining = v; break;
        case 'realtime_pubsub_connected': r.busConnected = v === 1; break;
        case 'realtime_node_info': r.bootId = s.labels.boot_id ?? null; break;
        case 'realtime_pubsub_lag_seconds_bucket':
          bounds.push(s.labels.le === '+Inf' ? Infinity : Number(s.labels.le));
          counts.push(v);
          break;
      }
    }
  }
  // Expositions list buckets by ascending `le`; sort only when one does not.
  let sorted = true;
  for (let i = 1; i < bounds.length && sorted; i++) sorted = bounds[i - 1] <= bounds[i];
  if (sorted) {
    r.totals.lagBounds = bounds;
    r.totals.lagCounts = counts;
  } else {
    const order = bounds.map((_, i) => i).sort((a, b) => bounds[a] - bounds[b]);
    r.totals.lagBounds = order.map((i) => bounds[i]);
    r.totals.lagCounts = order.map((i) => counts[i]);
  }
  return r;
}

/** Per-second rate of a counter between two readings; a counter that went down restarted from 0. */
function perSecond(now: number, prev: number, secs: number): number {
  const inc = now >= prev ? now - prev : now;
  return secs > 0 ? inc / secs : 0;
}

/** Figures from two consecutive scrapes (rates and lag quantiles need a previous one). */
export function figuresFromScrapes(cur: ScrapeReading, prev: ScrapeTotals | null): NodeFigures {
  const secs = prev ? (cur.totals.at - prev.at) / 1000 : 0;
  const rate = (k: 'delivered' | 'published' | 'reconnects' | 'dropped') => (prev ? round(perSecond(cur.totals[k], prev[k], secs)) : 0);
  let p50: number | null = null;
  let p99: number | null = null;
  if (prev && prev.lagBounds.length === cur.totals.lagBounds.length && cur.totals.lagBounds.length > 0) {
    const now = cur.totals.lagCounts;
    const before = prev.lagCounts;
    let reset = false;
    for (let i = 0; i < now.length && !reset; i++) reset = now[i] < before[i];
    const inc = new Array<number>(now.length);
    for (let i = 0; i < now.length; i++) inc[i] = reset ? now[i] : now[i] - before[i];
    if (inc[inc.length - 1] > 0) {
      p50 = round(bucketQuantile(0.5, cur.totals.lagBounds, inc) * 1000);
      p99 = round(bucketQuantile(0.99, cur.totals.lagBounds, inc) * 1000);
    }
  }
  return {
    at: cur.totals.at,
    state: cur.draining ? (cur.remaining === 0 ? 'drained' : 'draining') : 'serving',
    connections: cur.connections,
    limit: cur.limit,
    deliveredPerSec: rate('delivered'),
    publishedPerSec: rate('published'),
    reconnectsPerSec: rate('reconnects'),
    droppedPerSec: rate('dropped'),
    lagP50Ms: p50,
    lagP99Ms: p99,
    presence: cur.presence,
    busConnected: cur.busConnected,
  };
}

const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 100) / 100 : 0);
