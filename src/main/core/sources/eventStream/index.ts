/**
 * The console's reader of a node's `/events` stream. The only module other parts of
 * the console import from; files behind it may move.
 */
export { EventStreamReader, MAX_SERVER_RETRY_MS } from './eventStreamReader';
export type { EventStreamReaderOptions } from './eventStreamReaderOptions';
export type { StreamEvent } from './streamEvent';
export { parseEventId } from './streamEvent';
export type { StreamState, StreamStatus } from './streamStatus';
export type { BackoffOptions } from './backoffDelay';
export { DEFAULT_BACKOFF, backoffDelay } from './backoffDelay';
