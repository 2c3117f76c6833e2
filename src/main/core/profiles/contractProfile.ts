import type { Profile } from './profileSchema';

const rate = (metric: string) => `sum by (instance) (rate(${metric}[$__rate_interval]))`;
const lag = (q: number) => `histogram_quantile(${q}, sum by (instance, le) (rate(realtime_pubsub_lag_seconds_bucket[$__rate_interval])))`;

/**
 * The project's fleet contract (docs/fleet-contract.md) as seen through Prometheus.
 * Nodes are told apart by `instance`, the one label every scraped series carries (a
 * `node_id` target label, if any, maps to it through the targets API).
 */
export const CONTRACT_PROFILE: Profile = {
  name: 'contract',
  description: "Switchboard's fleet contract v1 (realtime_* metrics)",
  nodeLabel: 'instance',
  concepts: {
    up: { query: 'max by (instance) (up)' },
    lastScrape: { query: 'max by (instance) (timestamp(up))' },
    connectionsWs: { query: 'sum by (instance) (realtime_connections{transport="ws"})' },
    connectionsSse: { query: 'sum by (instance) (realtime_connections{transport="sse"})' },
    connectionsLongpoll: { query: 'sum by (instance) (realtime_connections{transport="longpoll"})' },
    connectionLimit: { query: 'max by (instance) (realtime_connection_limit)' },
    deliveredRate: { query: rate('realtime_messages_delivered_total') },
    publishedRate: { query: rate('realtime_messages_published_total') },
    reconnectsRate: { query: rate('realtime_reconnects_total') },
    droppedRate: { query: rate('realtime_messages_dropped_total') },
    lagP50: { query: lag(0.5) },
    lagP99: { query: lag(0.99) },
    presenceOnline: { query: 'sum by (instance) (realtime_presence_users{state="online"})' },
    presenceAway: { query: 'sum by (instance) (realtime_presence_users{state="away"})' },
    draining: { query: 'max by (instance) (realtime_node_draining)' },
    drainRemaining: { query: 'max by (instance) (realtime_drain_remaining_connections)' },
    busConnected: { query: 'min by (instance) (realtime_pubsub_connected)' },
    bootId: { query: 'max by (instance, boot_id) (realtime_node_info)', label: 'boot_id' },
  },
};
