import { z } from 'zod';

/**
 * The console's API: what the renderer may ask of the main process (over Electron IPC
 * or the serve-mode WebSocket bridge — both implement {@link ConsoleApi}). Declared once
 * here; no Node, DOM or electron imports. Times are ms since the epoch, rates per second.
 */

export type Transport = 'ws' | 'sse' | 'longpoll';
export type ByTransport = Record<Transport, number>;

/** Node health as the console judges it. `unknown` also covers "the console cannot read it". */
export type NodeHealth = 'unknown' | 'up' | 'stale' | 'down' | 'draining' | 'drained' | 'restarting';

export type Severity = 'info' | 'warning' | 'critical';

/** How one source of a node looks from the console (Prometheus' own target health, plus more). */
export interface SourceHealth {
  state: 'ok' | 'failing' | 'stale' | 'idle';
  /** Last successful read. */
  lastOkAt: number | null;
  lastError: string | null;
  /** Scrape: duration of the last scrape; events: 0. */
  durationMs: number;
  /** Scrape: samples in the last scrape; events: events received so far. */
  samples: number;
}

export interface NodeSummary {
  id: string;
  region: string | null;
  health: NodeHealth;
  /** Why the console judges it so, in words (shown next to the state). */
  reason: string;
  bootId: string | null;
  connections: ByTransport & { total: number };
  limit: number | null;
  /** Messages delivered to clients per second. */
  deliveredPerSec: number;
  publishedPerSec: number;
  reconnectsPerSec: number;
  lagP50Ms: number | null;
  lagP99Ms: number | null;
  presence: { online: number; away: number };
  busConnected: boolean | null;
  /** When the console last heard anything from the node. */
  lastSeenAt: number | null;
  scrape: SourceHealth;
  events: SourceHealth;
  /** A drain under way, from the node's own reports. */
  drain: { remaining: number; ratePerSec: number } | null;
  canAdmin: boolean;
}

/** A part of the fleet the console cannot see, and why. Never shown as "down". */
export interface BlindSpot {
  node: string;
  what: 'metrics' | 'events' | 'inventory' | 'ingest';
  reason: string;
  since: number;
}

export interface FleetSummary {
  nodesUp: number;
  nodesTotal: number;
  connections: ByTransport & { total: number };
  deliveredPerSec: number;
  publishedPerSec: number;
  reconnectsPerSec: number;
  lagP99Ms: number | null;
  presence: { online: number; away: number };
  blind: BlindSpot[];
  /** Active signals (spikes, breaches) right now. */
  active: TimelineEvent[];
}

export interface TimelineEvent {
  /** Unique and increasing: later events have larger ids. */
  id: number;
  ts: number;
  /** End of a span (a spike, a breach), once known. */
  endTs: number | null;
  node: string | null;
  kind: string;
  severity: Severity;
  title: string;
  reason: string;
  /** Set when a signal is attributed to another node's event (a crash before a spike). */
  cause: { node: string; kind: string; ts: number } | null;
  data: Record<string, number | string | boolean | null>;
}

/** Pushed at most ten times a second, latest wins. */
export interface LiveFrame {
  seq: number;
  ts: number;
  source: SourceInfo;
  fleet: FleetSummary;
  nodes: NodeSummary[];
  /** Timeline events since the previous frame (bounded; more via getTimeline). */
  events: TimelineEvent[];
  droppedEvents: number;
}

/** What the data source is and can do (the Player idea: capabilities, not instanceof). */
export interface SourceInfo {
  kind: 'live' | 'replay' | 'none';
  name: string;
  capabilities: { seek: boolean; speed: boolean; actions: boolean };
}

export const SERIES_METRICS = ['connections', 'delivered', 'published', 'reconnects', 'lag', 'presence', 'dropped'] as const;
export type SeriesMetric = (typeof SERIES_METRICS)[number];

export const seriesRequestSchema = z
  .object({
    metric: z.enum(SERIES_METRICS),
    /** Node ids; omitted = the fleet (summed, or for lag the max). */
    nodes: z.array(z.string().min(1).max(200)).max(1000).optional(),
    fromMs: z.number().finite(),
    toMs: z.number().finite(),
    /** Chart width in pixels: the answer has at most this many buckets per line. */
    width: z.number().int().min(1).max(4000),
  })
  .strict()
  .refine((r) => r.toMs > r.fromMs, { message: 'toMs must be after fromMs', path: ['toMs'] })
  .refine((r) => r.toMs - r.fromMs <= 7 * 24 * 3600_000, { message: 'at most 7 days per request', path: ['toMs'] });
export type SeriesRequest = z.infer<typeof seriesRequestSchema>;

/** One line of a chart: bucket start times with min and max per bucket (spikes survive). */
export interface SeriesLine {
  node: string | null;
  /** e.g. `ws`, `p99`, `online`. */
  label: string;
  t: number[];
  min: number[];
  max: number[];
}

export interface SeriesWindow {
  metric: SeriesMetric;
  fromMs: number;
  toMs: number;
  lines: SeriesLine[];
}

export const timelineQuerySchema = z
  .object({
    fromMs: z.number().finite().optional(),
    toMs: z.number().finite().optional(),
    nodes: z.array(z.string().min(1).max(200)).max(1000).optional(),
    severities: z.array(z.enum(['info', 'warning', 'critical'])).optional(),
    limit: z.number().int().min(1).max(5000).default(500),
  })
  .strict();
export type TimelineQuery = z.input<typeof timelineQuerySchema>;

export interface InventoryInfo {
  source: string;
  loadedAt: number | null;
  lastError: string | null;
  targets: { id: string; opsUrl: string; labels: Record<string, string>; canAdmin: boolean }[];
}

/** Errors are values at the boundary. */
export type Result<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };
export type ErrorCode = 'invalid' | 'not_found' | 'unavailable' | 'forbidden' | 'internal';

/** The operations of the API; main, preload, the serve bridge and the renderer derive from it. */
export interface ConsoleApi {
  getSeries(req: SeriesRequest): Promise<Result<SeriesWindow>>;
  getTimeline(q: TimelineQuery): Promise<Result<TimelineEvent[]>>;
  getInventory(): Promise<Result<InventoryInfo>>;
  /** Subscribes to live frames; returns the unsubscribe function. */
  onFrame(fn: (frame: LiveFrame) => void): () => void;
}
