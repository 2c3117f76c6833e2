import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Transport } from '../session';
import { LatencyWindow } from './latencyWindow';
import { WeightedHistogram } from './weightedHistogram';

export const TRANSPORTS: readonly Transport[] = ['ws', 'sse', 'longpoll'];
export const CLOSE_REASONS = ['client', 'heartbeat_timeout', 'slow_consumer', 'drain', 'shutdown', 'error', 'auth'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];
export const DROP_REASONS = ['slow_consumer', 'buffer_full', 'rate_limited', 'invalid'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/**
 * Plain-number tallies bumped on the hot path (one add per delivery); prom-client
 * counters are brought up to date from them when /metrics is collected, and vitals
 * are computed from their differences every second.
 */
export class Tallies {
  opened: Record<Transport, number> = { ws: 0, sse: 0, longpoll: 0 };
  reconnects: Record<Transport, number> = { ws: 0, sse: 0, longpoll: 0 };
  delivered: Record<Transport, number> = { ws: 0, sse: 0, longpoll: 0 };
  heartbeatTimeouts: Record<Transport, number> = { ws: 0, sse: 0, longpoll: 0 };
  closed = new Map<string, number>();
  dropped = new Map<DropReason, number>();
  published = 0;
  replayed = 0;
  resumeGaps = 0;

  constructor() {
    // Every label combination exists from the start, at 0: rate() and absent() need no special cases.
    for (const tr of ['ws', 'sse', 'longpoll'] as const) for (const r of CLOSE_REASONS) this.closed.set(`${tr}|${r}`, 0);
    for (const r of DROP_REASONS) this.dropped.set(r, 0);
  }

  close(transport: Transport, reason: CloseReason): void {
    const k = `${transport}|${reason}`;
    this.closed.set(k, (this.closed.get(k) ?? 0) + 1);
  }

  drop(reason: DropReason, n = 1): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + n);
  }

  sum(r: Record<Transport, number>): number {
    return r.ws + r.sse + r.longpoll;
  }

  closedTotal(): number {
    let t = 0;
    for (const v of this.closed.values()) t += v;
    return t;
  }

  droppedTotal(): number {
    let t = 0;
    for (const v of this.dropped.values()) t += v;
    return t;
  }
}

/** Live figures the metrics read at collect time. */
export interface GaugeSource {
  connections(): Record<Transport, number>;
  draining(): boolean;
  accepting(): boolean;
  busConnected(): boolean;
  presence(): { online: number; away: number };
  drainRemaining(): number;
}

/** The node's registry with every metric of the fleet contract. */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly tallies = new Tallies();
  readonly deliveryWindow = new LatencyWindow();
  readonly lagWindow = new LatencyWindow();
  readonly deliveryLatency: WeightedHistogram;
  readonly pubsubLag: Histogram;
  readonly presenceTransitions: Counter<'to'>;
  readonly adminRequests: Counter<'action' | 'outcome'>;
  readonly unauthorized: Counter<'path'>;

  constructor(
    info: { nodeId: string; region: string; version: string; bootId: string },
    limit: number,
    src: GaugeSource,
  ) {
    const r = [this.registry];
    const t = this.tallies;
    const gauge = (name: string, help: string, value: () => number) =>
      new Gauge({ name, help, registers: r, collect() { this.set(value()); } });
    new Gauge({ name: 'realtime_node_info', help: 'Node identity; boot_id changes on every start.', labelNames: ['node_id', 'region', 'version', 'boot_id'], registers: r })
      .set({ node_id: info.nodeId, region: info.region, version: info.version, boot_id: info.bootId }, 1);
    gauge('realtime_node_draining', 'The node is draining or drained.', () => (src.draining() ? 1 : 0));
    gauge('realtime_node_accepting', 'The node accepts new client connections.', () => (src.accepting() ? 1 : 0));
    gauge('realtime_connection_limit', 'Configured maximum of concurrent connections.', () => limit);
    gauge('realtime_pubsub_connected', 'The bus (Redis) link is up.', () => (src.busConnected() ? 1 : 0));
    gauge('realtime_drain_remaining_connections', 'Connections still open during a drain.', () => src.drainRemaining());
    new Gauge({ name: 'realtime_connections', help: 'Open client connections now.', labelNames: ['transport'], registers: r, collect() {
      const c = src.connections();
      for (const tr of TRANSPORTS) this.set({ transport: tr }, c[tr]);
    } });
    new Gauge({ name: 'realtime_presence_users', help: 'Users present through this node.', labelNames: ['state'], registers: r, collect() {
      const p = src.presence();
      this.set({ state: 'online' }, p.online);
      this.set({ state: 'away' }, p.away);
    } });
    const perTransport = (name: string, help: string, rec: Record<Transport, number>) =>
      new Counter({ name, help, labelNames: ['transport'], registers: r, collect() {
        this.reset();
        for (const tr of TRANSPORTS) this.inc({ transport: tr }, rec[tr]);
      } });
    perTransport('realtime_connections_opened_total', 'Client connections opened.', t.opened);
    perTransport('realtime_reconnects_total', 'Connections that arrived with a resume position.', t.reconnects);
    perTransport('realtime_messages_delivered_total', 'Messages written to client connections.', t.delivered);
    perTransport('realtime_heartbeat_timeouts_total', 'Zombie connections closed.', t.heartbeatTimeouts);
    new Counter({ name: 'realtime_connections_closed_total', help: 'Client connections closed, by reason.', labelNames: ['transport', 'reason'], registers: r, collect() {
      this.reset();
      for (const [k, v] of t.closed) {
        const [transport, reason] = k.split('|');
        this.inc({ transport, reason }, v);
      }
    } });
    new Counter({ name: 'realtime_messages_dropped_total', help: 'Messages dropped, by reason.', labelNames: ['reason'], registers: r, collect() {
      this.reset();
      for (const [reason, v] of t.dropped) this.inc({ reason }, v);
    } });
    const total = (name: string, help: string, value: () => number) =>
      new Counter({ name, help, registers: r, collect() { this.reset(); this.inc(value()); } });
    total('realtime_messages_published_total', 'Messages accepted for publishing by this node.', () => t.published);
    total('realtime_resume_replayed_messages_total', 'Messages replayed to resuming clients.', () => t.replayed);
    total('realtime_resume_gaps_total', 'Resumes older than the history kept (the client was told).', () => t.resumeGaps);
    const latencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
    this.deliveryLatency = new WeightedHistogram({ name: 'realtime_delivery_latency_seconds', help: 'Publish accepted to written to the client socket.', buckets: latencyBuckets, registers: r });
    this.pubsubLag = new Histogram({ name: 'realtime_pubsub_lag_seconds', help: 'Published on the bus to received by this node.', buckets: latencyBuckets, registers: r });
    this.presenceTransitions = new Counter({ name: 'realtime_presence_transitions_total', help: 'Presence transitions.', labelNames: ['to'], registers: r });
    this.adminRequests = new Counter({ name: 'realtime_admin_requests_total', help: 'Admin API requests.', labelNames: ['action', 'outcome'], registers: r });
    this.unauthorized = new Counter({ name: 'realtime_ops_unauthorized_total', help: 'Ops-port requests refused for a missing or wrong token.', labelNames: ['path'], registers: r });
    for (const to of ['online', 'away', 'offline']) this.presenceTransitions.inc({ to }, 0);
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
  }

  /** `count` deliveries, in one fan-out, of a message published at `ts` (ms). */
  delivered(transport: Transport, count: number, ts: number, now: number): void {
    this.tallies.delivered[transport] += count;
    const ms = Math.max(0, now - ts);
    this.deliveryWindow.addMany(ms, count);
    this.deliveryLatency.observeMany(ms / 1000, count);
  }

  /** A message arrived from the bus, put on it at `busTs` (ms). */
  busLag(busTs: number, now: number): void {
    const ms = Math.max(0, now - busTs);
    this.lagWindow.add(ms);
    this.pubsubLag.observe(ms / 1000);
  }
}
