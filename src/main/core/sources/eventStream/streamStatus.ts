/**
 * Where an {@link EventStreamReader} is in its connection cycle:
 * - `idle`: constructed, not started;
 * - `connecting`: a request is out, no usable response yet;
 * - `open`: a `text/event-stream` body is being read;
 * - `stale`: the last connection went silent for `idleTimeoutMs` (not even a heartbeat)
 *   and was dropped; a reconnect is scheduled at `nextAttemptAt`. A silent node is not a
 *   dead link until a reconnect fails;
 * - `backoff`: the last attempt failed or the server ended the stream; a reconnect is
 *   scheduled at `nextAttemptAt`;
 * - `closed`: stopped for good.
 */
export type StreamState = 'idle' | 'connecting' | 'open' | 'stale' | 'backoff' | 'closed';

/**
 * A snapshot of one reader. A new object on every read and every emission (never
 * mutated afterwards). Times are epoch milliseconds (`Date.now()`), durations milliseconds.
 */
export interface StreamStatus {
  state: StreamState;
  /** When `state` was entered. */
  since: number;
  /** Connection attempts started (requests sent), successful or not. */
  connects: number;
  /** Events delivered to `onEvent` (valid JSON data), over all connections. */
  events: number;
  /** Events received but not delivered because their data was not JSON. */
  invalidEvents: number;
  /** Stream body bytes received, over all connections (error bodies not counted). */
  bytes: number;
  /** When the last event was delivered, or null before the first. */
  lastEventAt: number | null;
  /**
   * The most recent problem, or null if there was none yet. Not cleared when a later
   * connection succeeds: read it together with `state` and `since`.
   */
  lastError: string | null;
  /** The reconnection delay the server last advised with `retry:` (0 until it does). */
  retryMs: number;
  /** When the next connection attempt is due (`backoff` and `stale` only), else null. */
  nextAttemptAt: number | null;
}
