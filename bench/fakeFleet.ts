/**
 * Light fake gateway nodes for benchmarks: N nodes in one process, each on its own
 * ops port, serving realistic and changing `/metrics` (the fleet contract's families,
 * text 0.0.4) and `/events` (vitals every second, heartbeats). Run directly:
 *   node bin/run-ts.cjs bench/fakeFleet.ts --nodes 200 --fleet-file /tmp/fleet.json
 * It writes the file_sd file (and its credentials) and serves until SIGTERM; with an
 * IPC channel it sends {ready: true} to its parent.
 */
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { credentialsPathFor } from '../src/shared/fleetFile';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const TRANSPORTS = ['ws', 'sse', 'longpoll'] as const;

interface FakeNode {
  id: string;
  bootId: string;
  server: Server;
  port: number;
  readers: Set<ServerResponse>;
  seq: number;
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
  lagCount: number;
  cpu: number;
  /** Benchmarks: connections = 1,000 + the event seq (all WebSocket), so each value is unique. */
  marker?: boolean;
}

function step(n: FakeNode): Record<string, number> {
  const before = { opened: n.opened, closed: n.closed, reconnects: n.reconnects, published: n.published, delivered: n.delivered, dropped: n.dropped };
  for (const t of TRANSPORTS) n.conns[t] = Math.max(0, n.conns[t] + Math.round((Math.random() - 0.5) * 6));
  if (n.marker) Object.assign(n.conns, { ws: 1000 + n.seq + 1, sse: 0, longpoll: 0 });
  const churn = Math.floor(Math.random() * 5);
  n.opened += churn;
  n.closed += churn;
  n.reconnects += Math.random() < 0.3 ? 1 : 0;
  const pub = 20 + Math.floor(Math.random() * 20);
  n.published += pub;
  n.delivered += pub * 30;
  n.dropped += Math.random() < 0.05 ? 1 : 0;
  for (let i = 0; i < 20; i++) {
    const lag = Math.random() * Math.random() * 0.02;
    const dl = Math.random() * 0.005;
    n.lagSum += lag;
    n.deliverySum += dl;
    n.lagCount++;
    for (let b = 0; b < BUCKETS.length; b++) {
      if (lag <= BUCKETS[b]) n.lag[b]++;
      if (dl <= BUCKETS[b]) n.delivery[b]++;
    }
  }
  n.cpu += 0.01 + Math.random() * 0.01;
  return Object.fromEntries(Object.entries(before).map(([k, v]) => [k, (n as unknown as Record<string, number>)[k] - v]));
}

function histogram(name: string, counts: number[], sum: number, count: number): string {
  let s = `# HELP ${name} latency\n# TYPE ${name} histogram\n`;
  BUCKETS.forEach((b, i) => (s += `${name}_bucket{le="${b}"} ${counts[i]}\n`));
  return `${s}${name}_bucket{le="+Inf"} ${count}\n${name}_sum ${sum}\n${name}_count ${count}\n`;
}

function metrics(n: FakeNode): string {
  let s = `# HELP realtime_node_info Node identity.\n# TYPE realtime_node_info gauge\nrealtime_node_info{node_id="${n.id}",region="bench",version="0.1.0",boot_id="${n.bootId}"} 1\n`;
  s += '# TYPE realtime_node_draining gauge\nrealtime_node_draining 0\n# TYPE realtime_node_accepting gauge\nrealtime_node_accepting 1\n';
  s += '# TYPE realtime_connection_limit gauge\nrealtime_connection_limit 10000\n# TYPE realtime_pubsub_connected gauge\nrealtime_pubsub_connected 1\n';
  s += '# TYPE realtime_drain_remaining_connections gauge\nrealtime_drain_remaining_connections 0\n';
  s += '# HELP realtime_connections Open client connections now.\n# TYPE realtime_connections gauge\n';
  for (const t of TRANSPORTS) s += `realtime_connections{transport="${t}"} ${n.conns[t]}\n`;
  for (const [name, v] of [['opened', n.opened], ['reconnects', n.reconnects], ['delivered', n.delivered]] as const) {
    const metric = name === 'opened' ? 'realtime_connections_opened_total' : name === 'reconnects' ? 'realtime_reconnects_total' : 'realtime_messages_delivered_total';
    s += `# TYPE ${metric} counter\n`;
    TRANSPORTS.forEach((t, i) => (s += `${metric}{transport="${t}"} ${Math.floor((v * (3 - i)) / 6)}\n`));
  }
  s += '# TYPE realtime_connections_closed_total counter\n';
  for (const t of TRANSPORTS) for (const r of ['client', 'heartbeat_timeout', 'slow_consumer', 'drain', 'shutdown', 'error', 'auth']) s += `realtime_connections_closed_total{transport="${t}",reason="${r}"} ${r === 'client' ? Math.floor(n.closed / 3) : 0}\n`;
  s += `# TYPE realtime_messages_published_total counter\nrealtime_messages_published_total ${n.published}\n`;
  s += '# TYPE realtime_messages_dropped_total counter\n';
  for (const r of ['slow_consumer', 'buffer_full', 'rate_limited', 'invalid']) s += `realtime_messages_dropped_total{reason="${r}"} ${r === 'buffer_full' ? n.dropped : 0}\n`;
  s += `# TYPE realtime_resume_replayed_messages_total counter\nrealtime_resume_replayed_messages_total ${n.reconnects * 3}\n# TYPE realtime_resume_gaps_total counter\nrealtime_resume_gaps_total 0\n`;
  s += histogram('realtime_delivery_latency_seconds', n.delivery, n.deliverySum, n.lagCount);
  s += histogram('realtime_pubsub_lag_seconds', n.lag, n.lagSum, n.lagCount);
  s += `# TYPE realtime_presence_users gauge\nrealtime_presence_users{state="online"} ${Math.floor((n.conns.ws + n.conns.sse) * 0.8)}\nrealtime_presence_users{state="away"} ${Math.floor(n.conns.longpoll * 0.5)}\n`;
  s += '# TYPE realtime_presence_transitions_total counter\n';
  for (const to of ['online', 'away', 'offline']) s += `realtime_presence_transitions_total{to="${to}"} ${n.opened}\n`;
  s += '# TYPE realtime_heartbeat_timeouts_total counter\n';
  for (const t of TRANSPORTS) s += `realtime_heartbeat_timeouts_total{transport="${t}"} 0\n`;
  s += '# TYPE realtime_admin_requests_total counter\nrealtime_admin_requests_total{action="status",outcome="accepted"} 0\n';
  s += `# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total ${n.cpu.toFixed(3)}\n# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes ${90_000_000 + Math.floor(Math.random() * 1e6)}\n`;
  s += `# TYPE nodejs_eventloop_lag_p99_seconds gauge\nnodejs_eventloop_lag_p99_seconds ${(0.01 + Math.random() * 0.002).toFixed(5)}\n# TYPE nodejs_heap_size_used_bytes gauge\nnodejs_heap_size_used_bytes ${40_000_000 + Math.floor(Math.random() * 1e6)}\n`;
  return s;
}

function vitals(n: FakeNode, rates: Record<string, number>): string {
  const q = (arr: number[], p: number) => {
    const total = arr[arr.length - 1] || 1;
    const idx = arr.findIndex((c) => c >= p * total);
    return BUCKETS[Math.max(0, idx)] * 1000;
  };
  return JSON.stringify({
    ts: Date.now(), node: n.id, state: 'serving', connections: n.conns, limit: 10000, rates,
    pubsubLagMs: { p50: q(n.lag, 0.5), p99: q(n.lag, 0.99) }, deliveryLatencyMs: { p50: q(n.delivery, 0.5), p99: q(n.delivery, 0.99) },
    presence: { online: Math.floor((n.conns.ws + n.conns.sse) * 0.8), away: Math.floor(n.conns.longpoll * 0.5) },
    eventLoopLagMs: 10.5, rssBytes: 90_000_000, busConnected: true,
  });
}

export interface FakeFleet {
  nodes: FakeNode[];
  readToken: string;
  stop(): Promise<void>;
}

/** Called with each vitals event as it is written (benchmarks time what happens next). */
export type VitalsHook = (node: string, sentAt: number, vitals: { connections: Record<string, number> }) => void;

/** Starts `count` fake nodes on free ports of 127.0.0.1. */
export async function startFakeFleet(count: number, readToken: string, onVitals?: VitalsHook): Promise<FakeFleet> {
  const nodes: FakeNode[] = [];
  const auth = `Bearer ${readToken}`;
  for (let i = 0; i < count; i++) {
    const n: FakeNode = {
      id: `fake-${i + 1}`, bootId: randomBytes(6).toString('hex'), server: createServer(), port: 0, readers: new Set(), seq: 0,
      conns: { ws: 700 + (i % 50), sse: 200, longpoll: 100 }, opened: 0, closed: 0, reconnects: 0, published: 0, delivered: 0, dropped: 0,
      lag: BUCKETS.map(() => 0), delivery: BUCKETS.map(() => 0), lagSum: 0, deliverySum: 0, lagCount: 0, cpu: 0,
    };
    n.server.on('request', (req, res) => {
      if (req.headers.authorization !== auth) {
        res.writeHead(401, { 'content-type': 'application/json' });
        return res.end('{"error":"missing or wrong read token"}');
      }
      if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
        return res.end(metrics(n));
      }
      if (req.url === '/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
        res.write('retry: 1000\n\n');
        n.readers.add(res);
        res.on('close', () => n.readers.delete(res));
        return;
      }
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((r) => n.server.listen(0, '127.0.0.1', r));
    n.port = (n.server.address() as { port: number }).port;
    nodes.push(n);
  }
  // Each node ticks once a second at its own phase, like real nodes.
  const timers = nodes.map((n, i) =>
    setTimeout(() => {
      const tick = () => {
        const rates = step(n);
        const text = `id: ${n.bootId}:${++n.seq}\nevent: vitals\ndata: ${vitals(n, rates)}\n\n`;
        for (const r of n.readers) r.write(text);
        onVitals?.(n.id, Date.now(), { connections: { ...n.conns } });
      };
      tick();
      timers[i] = setInterval(tick, 1000);
    }, (i * 1000) / count),
  );
  return {
    nodes,
    readToken,
    stop: async () => {
      for (const t of timers) clearInterval(t);
      await Promise.all(nodes.map((n) => new Promise<void>((r) => {
        n.server.closeAllConnections();
        n.server.close(() => r());
      })));
    },
  };
}

/** Writes the file_sd file and its credentials for a fake fleet. */
export function writeFakeFleetFile(file: string, fleet: FakeFleet): void {
  writeFileSync(file, JSON.stringify(fleet.nodes.map((n) => ({ targets: [`127.0.0.1:${n.port}`], labels: { node_id: n.id, region: 'bench' } }))));
  writeFileSync(credentialsPathFor(file), JSON.stringify({ readToken: fleet.readToken, adminToken: 'none' }), { mode: 0o600 });
}

if (require.main === module) {
  const arg = (name: string, dflt: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  const count = Number(arg('--nodes', '200'));
  const file = arg('--fleet-file', '/tmp/fake-fleet.json');
  void startFakeFleet(count, arg('--token', randomBytes(16).toString('hex'))).then((fleet) => {
    writeFakeFleetFile(file, fleet);
    process.stderr.write(`fake fleet: ${count} nodes, file_sd ${file}\n`);
    process.send?.({ ready: true, pid: process.pid });
    process.on('SIGTERM', () => void fleet.stop().then(() => process.exit(0)));
  });
}
