import type { Transport } from '../../../shared/api';

/**
 * The console's own series, written per node from whichever source is freshest
 * (1 Hz vitals, else scrapes): charts and signals read these, never raw metric names,
 * so every view works the same on any source (and on a replay).
 */
export const VIEW = {
  connections: (t: Transport) => `sb_connections{transport="${t}"}`,
  delivered: 'sb_delivered_per_second',
  published: 'sb_published_per_second',
  reconnects: 'sb_reconnects_per_second',
  dropped: 'sb_dropped_per_second',
  lag: (q: 'p50' | 'p99') => `sb_pubsub_lag_ms{q="${q}"}`,
  presence: (s: 'online' | 'away') => `sb_presence{state="${s}"}`,
} as const;

/**
 * The store target under which the core keeps fleet-wide view series, written once a
 * second from the nodes' latest figures (sums; lag is the worst node's), so a fleet
 * chart reads one series instead of summing every node's on each request.
 */
export const FLEET_TARGET = '*fleet*';

export const TRANSPORTS: readonly Transport[] = ['ws', 'sse', 'longpoll'];
