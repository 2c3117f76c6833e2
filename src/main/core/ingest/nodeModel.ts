import type { NodeHealth, NodeSummary, SourceHealth, Transport } from '../../../shared/api';
import type { Target } from '../inventory/target';
import type { ErrorClass } from '../signals/nodeHealth';

/** The latest figures of a node, from vitals or derived from scrapes. */
export interface NodeFigures {
  at: number;
  state: 'serving' | 'draining' | 'drained' | null;
  connections: Record<Transport, number>;
  limit: number | null;
  deliveredPerSec: number;
  publishedPerSec: number;
  reconnectsPerSec: number;
  droppedPerSec: number;
  lagP50Ms: number | null;
  lagP99Ms: number | null;
  presence: { online: number; away: number };
  busConnected: boolean | null;
}

/** Everything the console knows of one node right now. Owned by Ingest; read by signals and the publisher. */
export class NodeModel {
  bootId: string | null = null;
  figures: NodeFigures | null = null;
  /** Console-clock time of the latest vitals (freshness is judged on our clock, not the node's). */
  lastVitalsAt: number | null = null;
  lastSeenAt: number | null = null;
  health: NodeHealth = 'unknown';
  reason = 'no data yet';
  healthSince = Date.now();
  restartingSince: number | null = null;
  drain: { remaining: number; ratePerSec: number } | null = null;
  streamState: 'open' | 'stale' | 'connecting' | 'failing' | 'idle' = 'idle';
  streamError: ErrorClass | null = null;
  /** Since when reconnects to the event stream are refused (null while not). */
  streamRefusedSince: number | null = null;
  scrapeError: ErrorClass | null = null;
  readonly events: SourceHealth = { state: 'idle', lastOkAt: null, lastError: null, durationMs: 0, samples: 0 };
  scrape: SourceHealth = { state: 'idle', lastOkAt: null, lastError: null, durationMs: 0, samples: 0 };
  /** Events dropped as invalid (schema, not JSON): a blind spot when it grows. */
  invalidEvents = 0;
  lastInvalid: string | null = null;
  lastInvalidAt = 0;
  lagBreachSince: number | null = null;
  lagBreachEvent: number | null = null;

  constructor(public target: Target) {}

  get id(): string {
    return this.target.id;
  }

  summary(): NodeSummary {
    const f = this.figures;
    const c = f?.connections ?? { ws: 0, sse: 0, longpoll: 0 };
    return {
      id: this.id,
      region: this.target.labels.region ?? null,
      health: this.health,
      reason: this.reason,
      bootId: this.bootId,
      connections: { ...c, total: c.ws + c.sse + c.longpoll },
      limit: f?.limit ?? null,
      deliveredPerSec: f?.deliveredPerSec ?? 0,
      publishedPerSec: f?.publishedPerSec ?? 0,
      reconnectsPerSec: f?.reconnectsPerSec ?? 0,
      lagP50Ms: f?.lagP50Ms ?? null,
      lagP99Ms: f?.lagP99Ms ?? null,
      presence: f?.presence ?? { online: 0, away: 0 },
      busConnected: f?.busConnected ?? null,
      lastSeenAt: this.lastSeenAt,
      scrape: { ...this.scrape },
      events: { ...this.events },
      drain: this.drain,
      canAdmin: this.target.adminToken !== null,
    };
  }
}
