import { z } from 'zod';
import type { AbortActionRequest, ActionRecord, ActionRequest, ActionsPage, AuditPage, AuditQuery, CommandsState, ConfirmActionRequest, RolloutControl, RolloutPlan, RolloutPreview, RolloutRequest, StartRolloutRequest } from './actions';
import type { BookmarkEdit, Bookmark, OpenRecordingRequest, PlaybackCommand, PlaybackStatus, RecorderStatus, RecordingFileInfo, ReplayMarks, ReplayState, SaveRecordingRequest, SavedRecording } from './replay';

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
  /** Where each panel's figures come from and how fresh they are. */
  panels: PanelSource[];
  /** Actions, recording and replay: what this session can do and is doing. */
  session: SessionState;
}

/** Where a panel's figures come from, how fresh they are, and the queries behind them. */
export interface PanelSource {
  /** A series metric, `figures` (the header) or `nodes` (the table). */
  panel: SeriesMetric | 'figures' | 'nodes';
  source: 'prometheus' | 'direct' | 'recording';
  /** Age of the newest figure behind the panel, ms; null when there is none yet. */
  freshnessMs: number | null;
  /** PromQL (Prometheus mode), empty otherwise. */
  queries: string[];
}

/** What the session around the data is doing: fleet actions, the recorder, an open recording. */
export interface SessionState {
  mode: 'live' | 'replay' | 'none';
  /** Fleet actions (null where a session has none, e.g. no fleet). */
  commands: CommandsState | null;
  /** The flight recorder and any named recording (live sessions). */
  recorder: RecorderStatus | null;
  /** The open recording (replay). */
  replay: ReplayState | null;
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

/** The data half of the API: what a console core (live or replayed) answers. */
export interface DataApi {
  getSeries(req: SeriesRequest): Promise<Result<SeriesWindow>>;
  getTimeline(q: TimelineQuery): Promise<Result<TimelineEvent[]>>;
  getInventory(): Promise<Result<InventoryInfo>>;
  /** Subscribes to live frames; returns the unsubscribe function. */
  onFrame(fn: (frame: LiveFrame) => void): () => void;
}

/**
 * The operations of the API; main, preload, the serve bridge and the renderer derive from
 * it. Each operation takes at most one argument, validated in main by its schema in
 * bridge.ts. What a session cannot do answers `unavailable` (no fleet) or `forbidden`
 * (actions during a replay), with a message that says why.
 */
export interface ConsoleApi extends DataApi {
  // fleet actions
  previewAction(req: ActionRequest): Promise<Result<ActionRecord>>;
  /** Starts a previewed action; `confirmText` must be the node id (actionConfirmText). */
  confirmAction(req: ConfirmActionRequest): Promise<Result<ActionRecord>>;
  abortAction(req: AbortActionRequest): Promise<Result<ActionRecord>>;
  previewRollout(req: RolloutRequest): Promise<Result<RolloutPreview>>;
  /** `confirmText` must be `fleet N` for the N nodes of the rollout (rolloutConfirmText). */
  startRollout(req: StartRolloutRequest): Promise<Result<RolloutPlan>>;
  controlRollout(req: RolloutControl): Promise<Result<RolloutPlan>>;
  getActions(): Promise<Result<ActionsPage>>;
  getAudit(q: AuditQuery): Promise<Result<AuditPage>>;
  // recording
  saveFlightRecording(req: SaveRecordingRequest): Promise<Result<SavedRecording>>;
  startRecording(req: SaveRecordingRequest): Promise<Result<RecorderStatus>>;
  stopRecording(): Promise<Result<SavedRecording>>;
  listRecordings(): Promise<Result<RecordingFileInfo[]>>;
  // replay
  openRecording(req: OpenRecordingRequest): Promise<Result<PlaybackStatus>>;
  closeRecording(): Promise<Result<null>>;
  controlPlayback(cmd: PlaybackCommand): Promise<Result<PlaybackStatus>>;
  getMarks(): Promise<Result<ReplayMarks>>;
  editBookmark(edit: BookmarkEdit): Promise<Result<Bookmark[]>>;
  // hybrid sources: the nodes on screen get live event streams
  setFocus(req: FocusRequest): Promise<Result<null>>;
}

export const focusRequestSchema = z.object({ nodes: z.array(z.string().min(1).max(200)).max(200) }).strict();
export type FocusRequest = z.infer<typeof focusRequestSchema>;
