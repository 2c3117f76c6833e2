import type { Transport } from '../../../shared/api';

const keysOf = (values: readonly string[], key: (v: string) => string): ReadonlyMap<string, string> => new Map(values.map((v) => [v, key(v)]));
const connectionsKey = (t: string) => `sb_connections{transport="${t}"}`;
const lagKey = (q: string) => `sb_pubsub_lag_ms{q="${q}"}`;
const presenceKey = (s: string) => `sb_presence{state="${s}"}`;
const CONNECTIONS = keysOf(['ws', 'sse', 'longpoll'], connectionsKey);
const LAG = keysOf(['p50', 'p99'], lagKey);
const PRESENCE = keysOf(['online', 'away'], presenceKey);

/**
 * The console's own series, written per node from whichever source is freshest
 * (1 Hz vitals, else scrapes): charts and signals read these, never raw metric names,
 * so every view works the same on any source (and on a replay).
 */
export const VIEW = {
  // The same string object every call (not a new one per call): every vitals event writes
  // these, and a store lookup with a string it has seen before skips hashing it again.
  connections: (t: Transport) => CONNECTIONS.get(t) ?? connectionsKey(t),
  delivered: 'sb_delivered_per_second',
  published: 'sb_published_per_second',
  reconnects: 'sb_reconnects_per_second',
  dropped: 'sb_dropped_per_second',
  lag: (q: 'p50' | 'p99') => LAG.get(q) ?? lagKey(q),
  presence: (s: 'online' | 'away') => PRESENCE.get(s) ?? presenceKey(s),
} as const;

/**
 * The store target under which the core keeps fleet-wide view series, written once a
 * second from the nodes' latest figures (sums; lag is the worst node's), so a fleet
 * chart reads one series instead of summing every node's on each request.
 */
export const FLEET_TARGET = '*fleet*';

export const TRANSPORTS: readonly Transport[] = ['ws', 'sse', 'longpoll'];
