import type { Gap } from '../../protocol/frames';

/** One message as it travels on the bus and sits in history. */
export interface BusMessage {
  channel: string;
  /** Per-channel sequence number, total across the fleet, starting at 1. */
  seq: number;
  /** Publish id (the client's idempotency key, or one the node made up). */
  id: string;
  /** JSON text of the payload: serialized once at publish, forwarded as-is. */
  json: string;
  /** Wall-clock ms when the publish was accepted (the start of delivery latency). */
  ts: number;
  /** Wall-clock ms when the message went onto the bus (the start of pub/sub lag). */
  busTs: number;
  /** Not kept in history; dropped first under backpressure. */
  ephemeral: boolean;
}

export interface PublishRequest {
  channel: string;
  json: string;
  id: string;
  ts: number;
  ephemeral: boolean;
}

export interface PublishResult {
  seq: number;
  /** The same publish id was seen within the dedup window: nothing was published again. */
  duplicate: boolean;
}

export interface HistoryResult {
  /** Messages with seq > since, in order. */
  messages: BusMessage[];
  /** Latest seq of the channel when history was read. */
  latest: number;
  /** Positions that history no longer holds, or null. */
  gap: Gap | null;
}

export type PresenceState = 'online' | 'away';

/**
 * The fan-out bus between the nodes of a fleet. Every node receives every message
 * (one subscription per node, dispatched locally), in seq order per channel.
 */
export interface Bus {
  readonly kind: 'memory' | 'redis';
  /** Whether the link to the bus is up now. */
  readonly connected: boolean;
  start(): Promise<void>;
  publish(req: PublishRequest): Promise<PublishResult>;
  /** Messages of `channel` after `since` (history bounded by count and age). */
  history(channel: string, since: number, limit: number): Promise<HistoryResult>;
  latestSeq(channel: string): Promise<number>;
  /** Registers the node's single handler for every message on the bus. */
  onMessage(handler: (msg: BusMessage) => void): void;
  /** Called with true/false when the link goes up/down. */
  onLink(handler: (up: boolean) => void): void;
  /** Publishes this node's present users (refreshes their TTL). */
  presenceRefresh(node: string, users: ReadonlyMap<string, PresenceState>, ttlMs: number): Promise<void>;
  presenceRemove(node: string, users: readonly string[]): Promise<void>;
  /** Fleet-wide present users (each user counted once, with their most present state). */
  presenceFleet(): Promise<Map<string, PresenceState>>;
  /** Cuts this node's link to the bus for `ms` (demo incident, tests); it comes back by itself. */
  interruptLink(ms: number): void;
  close(): Promise<void>;
}

/** History bounds shared by both buses. */
export interface HistoryOptions {
  maxMessages: number;
  maxAgeMs: number;
  dedupWindowMs: number;
}

export const DEFAULT_HISTORY: HistoryOptions = { maxMessages: 1000, maxAgeMs: 10 * 60_000, dedupWindowMs: 2 * 60_000 };
