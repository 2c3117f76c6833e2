import type { Profile } from './profileSchema';

const rate = (selector: string) => `sum by (instance) (rate(${selector}[$__rate_interval]))`;
const lag = (q: number) => `histogram_quantile(${q}, sum by (instance, le) (rate(centrifugo_node_pub_sub_lag_seconds_bucket[$__rate_interval])))`;
const inflight = (transports: string) => `sum by (instance) (centrifugo_client_connections_inflight{transport=~"${transports}"})`;

/**
 * Centrifugo's published metrics (namespace `centrifugo`, from the centrifuge library;
 * see centrifugal.dev "Server observability"). Connections by transport need
 * `centrifugo_client_connections_inflight` (Centrifugo v6); for v5, extend this profile
 * and set connectionsWs to `sum by (instance) (centrifugo_node_num_clients)`. What
 * Centrifugo does not measure is marked unavailable, never filled with a guess.
 */
export const CENTRIFUGO_PROFILE: Profile = {
  name: 'centrifugo',
  description: "Centrifugo's Prometheus metrics (centrifugo_* names, v6)",
  nodeLabel: 'instance',
  concepts: {
    up: { query: 'max by (instance) (up)' },
    lastScrape: { query: 'max by (instance) (timestamp(up))' },
    connectionsWs: { query: inflight('websocket|uni_websocket') },
    connectionsSse: { query: inflight('sse|uni_sse|http_stream|uni_http_stream'), note: 'SSE and HTTP streaming (bidirectional and unidirectional)' },
    connectionsLongpoll: { unavailable: 'Centrifugo has no long-polling transport (its HTTP fallbacks are SSE and HTTP streaming, shown as SSE)' },
    connectionLimit: { unavailable: 'Centrifugo exposes no gauge of its connection limit; it only counts refusals (centrifugo_client_connection_limit_reached_total)' },
    deliveredRate: { query: rate('centrifugo_transport_messages_sent{frame_type="push_publication"}'), note: 'publications written to client connections' },
    publishedRate: { query: rate('centrifugo_node_messages_sent_count{type="publication"}'), note: 'publications the node sent to the broker' },
    reconnectsRate: { query: rate('centrifugo_client_recover'), note: 'subscriptions resuming from a position (one reconnecting client may resume several)' },
    droppedRate: { unavailable: 'Centrifugo does not count dropped messages: a client whose queue overflows is disconnected instead (centrifugo_client_num_server_disconnects)' },
    lagP50: { query: lag(0.5) },
    lagP99: { query: lag(0.99) },
    presenceOnline: { query: 'sum by (instance) (centrifugo_node_num_users)', note: 'unique users connected to the node' },
    presenceAway: { unavailable: 'Centrifugo has no away state' },
    draining: { unavailable: 'Centrifugo exposes no draining gauge (it drains only while shutting down)' },
    drainRemaining: { unavailable: 'Centrifugo exposes no drain progress' },
    busConnected: { unavailable: 'Centrifugo exposes no gauge of its broker link (only the counter centrifugo_broker_redis_pub_sub_errors)' },
    bootId: { query: 'max by (instance) (process_start_time_seconds)', note: 'the process start time: it changes on every start' },
  },
};
