/**
 * Synthetic ingest calls for bench:recording: N nodes whose scrapes and vitals move like
 * bench/fakeFleet.ts's (the fleet contract's families, counters at noisy rates, random-walk
 * gauges, two latency histograms with float sums), built as parsed expositions directly so
 * an hour of a 200-node fleet can be generated without HTTP or text parsing.
 */
import type { IngestEvent } from '../src/main/core/ingest/ingest';
import type { Target } from '../src/main/core/inventory/target';
import type { ScrapeOutcome } from '../src/main/core/sources/scrape/fetchMetrics';
import type { MetricFamily, MetricType, Sample } from '../src/main/core/sources/metrics/types';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const TRANSPORTS = ['ws', 'sse', 'longpoll'] as const;
const CLOSE_REASONS = ['client', 'heartbeat_timeout', 'slow_consumer', 'drain', 'shutdown', 'error', 'auth'];
const DROP_REASONS = ['slow_consumer', 'buffer_full', 'rate_limited', 'invalid'];

/** A deterministic PRNG (mulberry32), so runs are comparable. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SynthNode {
  id: string;
  bootId: string;
  conns: Record<(typeof TRANSPORTS)[number], number>;
  opened: number;
  closed: number;
  reconnects: number;
  published: number;
  delivered: number;
  dropped: number;
  lag: number[];
  delivery: number[];
  lagSum: number;
  deliverySum: number;
  count: number;
  cpu: number;
  rates: Record<string, number>;
}

export class SynthFleet {
  readonly nodes: SynthNode[];
  private readonly rnd: () => number;

  constructor(count: number, seed = 42) {
    this.rnd = prng(seed);
    this.nodes = Array.from({ length: count }, (_, i) => ({
      id: `gw-${i + 1}`, bootId: `boot${(i * 7919).toString(16)}`, conns: { ws: 700 + (i % 50), sse: 200, longpoll: 100 },
      opened: 0, closed: 0, reconnects: 0, published: 0, delivered: 0, dropped: 0,
      lag: BUCKETS.map(() => 0), delivery: BUCKETS.map(() => 0), lagSum: 0, deliverySum: 0, count: 0, cpu: 0, rates: {},
    }));
  }

  targets(): Target[] {
    return this.nodes.map((n, i) => ({ id: n.id, opsUrl: `http://127.0.0.1:${20000 + i}`, labels: { node_id: n.id, region: 'bench' }, readToken: 'secret-read', adminToken: null, source: `fleet.json entry ${i}` }));
  }

  /** Advances node i by one second (as fakeFleet's step does). */
  step(i: number): void {
    const n = this.nodes[i];
    const r = this.rnd;
    const before = { opened: n.opened, closed: n.closed, reconnects: n.reconnects, published: n.published, delivered: n.delivered, dropped: n.dropped };
    for (const t of TRANSPORTS) n.conns[t] = Math.max(0, n.conns[t] + Math.round((r() - 0.5) * 6));
    const churn = Math.floor(r() * 5);
    n.opened += churn;
    n.closed += churn;
    n.reconnects += r() < 0.3 ? 1 : 0;
    const pub = 20 + Math.floor(r() * 20);
    n.published += pub;
    n.delivered += pub * 30;
    n.dropped += r() < 0.05 ? 1 : 0;
    for (let k = 0; k < 20; k++) {
      const lag = r() * r() * 0.02;
      const dl = r() * 0.005;
      n.lagSum += lag;
      n.deliverySum += dl;
      n.count++;
      for (let b = 0; b < BUCKETS.length; b++) {
        if (lag <= BUCKETS[b]) n.lag[b]++;
        if (dl <= BUCKETS[b]) n.delivery[b]++;
      }
    }
    n.cpu += 0.01 + r() * 0.01;
    n.rates = { opened: n.opened - before.opened, closed: n.closed - before.closed, reconnects: n.reconnects - before.reconnects, published: n.published - before.published, delivered: n.delivered - before.delivered, dropped: n.dropped - before.dropped };
  }

  scrape(i: number, at: number): ScrapeOutcome {
    const n = this.nodes[i];
    const r = this.rnd;
    const fams: MetricFamily[] = [];
    const fam = (name: string, type: MetricType, samples: Sample[], help?: string) => fams.push(help ? { name, type, help, samples } : { name, type, samples });
    const s = (name: string, value: number, labels: Record<string, string> = {}): Sample => ({ name, labels, value });
    fam('realtime_node_info', 'gauge', [s('realtime_node_info', 1, { node_id: n.id, region: 'bench', version: '0.1.0', boot_id: n.bootId })], 'Node identity.');
    fam('realtime_node_draining', 'gauge', [s('realtime_node_draining', 0)]);
    fam('realtime_node_accepting', 'gauge', [s('realtime_node_accepting', 1)]);
    fam('realtime_connection_limit', 'gauge', [s('realtime_connection_limit', 10000)]);
    fam('realtime_pubsub_connected', 'gauge', [s('realtime_pubsub_connected', 1)]);
    fam('realtime_drain_remaining_connections', 'gauge', [s('realtime_drain_remaining_connections', 0)]);
    fam('realtime_connections', 'gauge', TRANSPORTS.map((t) => s('realtime_connections', n.conns[t], { transport: t })), 'Open client connections now.');
    for (const [metric, v] of [['realtime_connections_opened_total', n.opened], ['realtime_reconnects_total', n.reconnects], ['realtime_messages_delivered_total', n.delivered]] as const) {
      fam(metric, 'counter', TRANSPORTS.map((t, k) => s(metric, Math.floor((v * (3 - k)) / 6), { transport: t })));
    }
    const closed: Sample[] = [];
    for (const t of TRANSPORTS) for (const reason of CLOSE_REASONS) closed.push(s('realtime_connections_closed_total', reason === 'client' ? Math.floor(n.closed / 3) : 0, { transport: t, reason }));
    fam('realtime_connections_closed_total', 'counter', closed);
    fam('realtime_messages_published_total', 'counter', [s('realtime_messages_published_total', n.published)]);
    fam('realtime_messages_dropped_total', 'counter', DROP_REASONS.map((reason) => s('realtime_messages_dropped_total', reason === 'buffer_full' ? n.dropped : 0, { reason })));
    fam('realtime_resume_replayed_messages_total', 'counter', [s('realtime_resume_replayed_messages_total', n.reconnects * 3)]);
    fam('realtime_resume_gaps_total', 'counter', [s('realtime_resume_gaps_total', 0)]);
    const hist = (name: string, counts: number[], sum: number) => {
      const samples = BUCKETS.map((b, k) => s(`${name}_bucket`, counts[k], { le: String(b) }));
      samples.push(s(`${name}_bucket`, n.count, { le: '+Inf' }), s(`${name}_sum`, sum), s(`${name}_count`, n.count));
      fam(name, 'histogram', samples, 'latency');
    };
    hist('realtime_delivery_latency_seconds', n.delivery, n.deliverySum);
    hist('realtime_pubsub_lag_seconds', n.lag, n.lagSum);
    fam('realtime_presence_users', 'gauge', [s('realtime_presence_users', Math.floor((n.conns.ws + n.conns.sse) * 0.8), { state: 'online' }), s('realtime_presence_users', Math.floor(n.conns.longpoll * 0.5), { state: 'away' })]);
    fam('realtime_presence_transitions_total', 'counter', ['online', 'away', 'offline'].map((to) => s('realtime_presence_transitions_total', n.opened, { to })));
    fam('realtime_heartbeat_timeouts_total', 'counter', TRANSPORTS.map((t) => s('realtime_heartbeat_timeouts_total', 0, { transport: t })));
    fam('realtime_admin_requests_total', 'counter', [s('realtime_admin_requests_total', 0, { action: 'status', outcome: 'accepted' })]);
    fam('process_cpu_seconds_total', 'counter', [s('process_cpu_seconds_total', Number(n.cpu.toFixed(3)))]);
    fam('process_resident_memory_bytes', 'gauge', [s('process_resident_memory_bytes', 90_000_000 + Math.floor(r() * 1e6))]);
    fam('nodejs_eventloop_lag_p99_seconds', 'gauge', [s('nodejs_eventloop_lag_p99_seconds', Number((0.01 + r() * 0.002).toFixed(5)))]);
    fam('nodejs_heap_size_used_bytes', 'gauge', [s('nodejs_heap_size_used_bytes', 40_000_000 + Math.floor(r() * 1e6))]);
    let samples = 0;
    for (const f of fams) samples += f.samples.length;
    return { ok: true, exposition: { format: 'prometheus-0.0.4', families: fams }, at, durationMs: 2 + Math.floor(r() * 4), bytes: 5600 + Math.floor(r() * 40), samples };
  }

  vitals(i: number, ts: number): IngestEvent {
    const n = this.nodes[i];
    const q = (arr: number[], p: number) => {
      const total = arr[arr.length - 1] || 1;
      const idx = arr.findIndex((c) => c >= p * total);
      return BUCKETS[Math.max(0, idx)] * 1000;
    };
    return {
      type: 'vitals',
      bootId: n.bootId,
      data: {
        ts, node: n.id, state: 'serving', connections: { ...n.conns }, limit: 10000, rates: n.rates,
        pubsubLagMs: { p50: q(n.lag, 0.5), p99: q(n.lag, 0.99) }, deliveryLatencyMs: { p50: q(n.delivery, 0.5), p99: q(n.delivery, 0.99) },
        presence: { online: Math.floor((n.conns.ws + n.conns.sse) * 0.8), away: Math.floor(n.conns.longpoll * 0.5) },
        eventLoopLagMs: 10.5, rssBytes: 90_000_000, busConnected: true,
      },
    };
  }
}
