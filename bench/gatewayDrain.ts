/**
 * Drain phase of the gateway bench. A real redis-server (started here); three Redis-backed
 * gateway nodes in this process; the SDK clients in a child (bench/gatewayDrainClients.ts).
 *
 * How every client starts on node 1, honestly: the clients get all three URLs from the
 * start, but nodes 2 and 3 are not listening yet (their ports are reserved, nothing
 * answers), so every client ends up on node 1 by the SDK's own failover. Then nodes 2 and 3
 * start on those ports, a publisher posts steadily to node 2, and node 1 is drained through
 * its admin API. Reconnects are counted where they land: `metrics.tallies.opened` of nodes
 * 2 and 3, sampled every 10 ms.
 */
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import { gatewayConfig, startGateway } from '../src/fleet/gateway';
import type { GatewayNode } from '../src/fleet/gateway';
import { freePort } from '../test/helpers/ports';
import { startRedis } from '../test/helpers/redisServer';
import type { RedisHandle } from '../test/helpers/redisServer';
import { BenchChild, benchPids, benchScript, track } from './gatewayChildren';
import type { ByNode, DeliveryCheck, DrainClientsCommand, DrainClientsReply } from './gatewayDrainClients';
import { log } from './gatewayFanout';
import { Publisher } from './gatewayPublisher';
import { cpuSeconds, listenOverflows, machineBusySeconds, peakPerSecond } from './gatewayStats';

export interface DrainOptions {
  clients: number;
  channels: number;
  channelsPerClient: number;
  publishPerChannelPerSec: number;
  disconnectRatePerSecond: number;
  deadlineSeconds: number;
}

export interface DrainResult {
  check: DeliveryCheck;
  /** Max over fixed 1 s buckets from the drain call, of connections opened on nodes 2+3. */
  peakReconnectsPerSec: number;
  /** The same over any 1 s window (stricter). */
  peakReconnectsSliding1s: number;
  reconnectsPerSecond: number[];
  /** Node 1's closes in the same 1 s buckets: the drainer's own pace. */
  closesPerSecond: number[];
  peakClosesPerSec: number;
  /** Worst event-loop delay seen (2 s polls) in this process (the nodes) and in the clients' process. */
  worstLoopDelayMs: { nodes: number; clients: number };
  /** Drain call → node 1 drained; → every client connected to node 2 or 3. */
  drainedSeconds: number;
  reconnectedSeconds: number;
  byNodeBefore: ByNode;
  byNodeAfter: ByNode;
  published: number;
  publishFailed: number;
  settled: boolean;
  settleMs: number;
  clientErrors: number;
  clientErrorKinds: Record<string, number>;
  drainNotices: number;
  /** Machine-wide TcpExt ListenOverflows during the drain: connection attempts the kernel dropped on a full accept queue (each retried by the client's TCP 1 s later). */
  listenOverflows: number;
  /** CPU (cores) from the drain call until all reconnected: this bench's processes (nodes, clients, redis), and everything else on the machine. */
  benchCpuCores: number;
  otherCpuCores: number;
  /** On nodes 2+3: connections that came with resume positions, and messages replayed to them from Redis history. */
  resumes: number;
  replayed: number;
  seconds: number;
}

const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check`; logs `progress()` every 2 s; throws with it after `timeoutMs`. */
async function waitUntil(what: string, timeoutMs: number, check: () => boolean, progress: () => Promise<string>): Promise<void> {
  const t0 = Date.now();
  let logged = t0;
  while (!check()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`drain: timed out after ${timeoutMs} ms waiting for ${what}: ${await progress()}`);
    if (Date.now() - logged >= 2000) {
      logged = Date.now();
      log(`drain: ${await progress()}`);
    }
    await sleep(20);
  }
}

export async function measureDrain(o: DrainOptions): Promise<DrainResult> {
  const t0 = Date.now();
  const adminToken = randomUUID();
  const nodes: GatewayNode[] = [];
  let redis: RedisHandle | null = null;
  let clients: BenchChild<DrainClientsCommand, DrainClientsReply> | null = null;
  const publisher = new Publisher();
  try {
    redis = await startRedis();
    track(redis.proc);
    const config = (i: number, port: number) =>
      gatewayConfig({ nodeId: `drain-${i}`, adminToken, port, publishRatePerSecond: 1e6, publishBurst: 1e6, maxConnections: 20_000 });
    const start = async (i: number, port: number) => nodes.push(await startGateway(config(i, port), { redisUrl: redis?.url }, silent));
    const reserved = [await freePort(), await freePort()];
    await start(1, 0);
    const [n1] = nodes;
    const url = (port: number) => `http://127.0.0.1:${port}`;
    const channels = Array.from({ length: o.channels }, (_, i) => `drain-${i}`);

    clients = new BenchChild('drain clients', benchScript('gatewayDrainClients.ts'), []);
    const started = await clients.ask(
      { cmd: 'start', urls: [url(n1.clientPort), url(reserved[0]), url(reserved[1])], count: o.clients, channels, channelsPerClient: o.channelsPerClient, batch: 250, reapPids: [redis.proc.pid ?? -1].filter((p) => p > 0) },
      'started',
      120_000,
    );
    log(`drain: ${started.connected} SDK clients connected in ${started.ms} ms: ${JSON.stringify(started.byNode)}`);
    await start(2, reserved[0]);
    await start(3, reserved[1]);
    const [, n2, n3] = nodes;

    publisher.start(`${url(n2.clientPort)}/publish`, channels, o.publishPerChannelPerSec);
    await sleep(2000);
    log(`drain: before the drain call: node 1 ${n1.sessions.size}, node 2 ${n2.sessions.size}, node 3 ${n3.sessions.size} connections; ${publisher.sent} published, ${publisher.failed} failed`);

    // Reconnects land on nodes 2 and 3: sample their opened tallies every 10 ms from the drain call.
    const opened = () => [n2, n3].reduce((a, n) => a + n.metrics.tallies.sum(n.metrics.tallies.opened), 0);
    const samples: Array<[number, number]> = [];
    // And node 1's closes, to tell the drainer's pace from what happens between close and reconnect.
    const closes: Array<[number, number]> = [];
    const closedBase = n1.metrics.tallies.closedTotal();
    const base = opened();
    const overflowsBefore = listenOverflows();
    const ownCpu = () => benchPids().reduce((a, pid) => a + (cpuSeconds(pid) || 0), 0);
    const cpu0 = { machine: machineBusySeconds(), own: ownCpu() };
    const drainAt = performance.now();
    const sampler = setInterval(() => {
      const t = performance.now() - drainAt;
      samples.push([t, opened() - base]);
      closes.push([t, n1.metrics.tallies.closedTotal() - closedBase]);
    }, 10);
    samples.push([0, 0]);
    closes.push([0, 0]);
    const res = await fetch(`http://127.0.0.1:${n1.opsPort}/admin/drain`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ requestId: randomUUID(), deadlineSeconds: o.deadlineSeconds, disconnectRatePerSecond: o.disconnectRatePerSecond }),
    });
    if (res.status !== 202) throw new Error(`POST /admin/drain answered ${res.status}: ${await res.text()}`);
    log(`drain: node 1 draining ${n1.sessions.size} connections at ${o.disconnectRatePerSecond}/s`);

    let drainedSeconds = NaN;
    const cl = clients;
    const worstDelay = { nodes: 0, clients: 0 };
    const parentDelay = monitorEventLoopDelay({ resolution: 10 });
    parentDelay.enable();
    const where = async () => {
      const st = await cl.ask({ cmd: 'status' }, 'status', 10_000);
      const errs = Object.entries(st.errorKinds).sort((a, b) => b[1] - a[1]).slice(0, 4);
      const lag = Math.round(parentDelay.max / 1e6);
      parentDelay.reset();
      worstDelay.nodes = Math.max(worstDelay.nodes, lag);
      worstDelay.clients = Math.max(worstDelay.clients, st.load.loopDelayMaxMs);
      return `node 1 ${n1.state} with ${n1.sessions.size} connections, node 2 ${n2.sessions.size}, node 3 ${n3.sessions.size} (this process's event-loop delay up to ${lag} ms); clients: ${JSON.stringify(st.byNode)}, CPU ${st.load.cpuCores} cores, event-loop delay up to ${st.load.loopDelayMaxMs} ms; client errors so far: ${JSON.stringify(errs)}`;
    };
    const check = () => {
      if (Number.isNaN(drainedSeconds) && n1.state === 'drained') drainedSeconds = (performance.now() - drainAt) / 1000;
      return n1.state === 'drained' && n2.sessions.size + n3.sessions.size >= o.clients;
    };
    await waitUntil('node 1 drained and every client on nodes 2/3', (o.deadlineSeconds + 20) * 1000, check, where);
    const reconnectedSeconds = (performance.now() - drainAt) / 1000;
    const overflows = listenOverflows() - overflowsBefore;
    const ownCores = (ownCpu() - cpu0.own) / reconnectedSeconds;
    const otherCores = Math.max(0, (machineBusySeconds() - cpu0.machine) / reconnectedSeconds - ownCores);
    await sleep(1000);
    clearInterval(sampler);
    log(`drain: node 1 drained in ${drainedSeconds.toFixed(1)} s; all ${o.clients} clients reconnected after ${reconnectedSeconds.toFixed(1)} s`);

    await sleep(1000);
    await publisher.stop();
    const last = publisher.last;
    const settled = await clients.ask({ cmd: 'settle', lastPublished: last, timeoutMs: 20_000 }, 'settled', 30_000);
    const status = await clients.ask({ cmd: 'status' }, 'status', 10_000);
    const report = await clients.ask({ cmd: 'report', lastPublished: last }, 'report', 60_000);
    const peaks = peakPerSecond(samples);
    const closePeaks = peakPerSecond(closes);
    log(`drain: node 1 closes per second ${JSON.stringify(closePeaks.buckets)}; reconnects per second ${JSON.stringify(peaks.buckets)}; lost ${report.check.lost}, duplicates ${report.check.duplicates}, reordered ${report.check.reordered} over ${report.check.messages} deliveries`);
    return {
      check: report.check,
      peakReconnectsPerSec: peaks.peakFixed,
      peakReconnectsSliding1s: peaks.peakSliding,
      reconnectsPerSecond: peaks.buckets,
      closesPerSecond: closePeaks.buckets,
      peakClosesPerSec: closePeaks.peakFixed,
      worstLoopDelayMs: worstDelay,
      drainedSeconds,
      reconnectedSeconds,
      byNodeBefore: started.byNode,
      byNodeAfter: status.byNode,
      published: publisher.sent,
      publishFailed: publisher.failed,
      settled: settled.complete,
      settleMs: settled.ms,
      clientErrors: status.errors,
      clientErrorKinds: status.errorKinds,
      drainNotices: status.drainNotices,
      listenOverflows: overflows,
      benchCpuCores: Math.round(ownCores * 100) / 100,
      otherCpuCores: Math.round(otherCores * 100) / 100,
      resumes: [n2, n3].reduce((a, n) => a + n.metrics.tallies.sum(n.metrics.tallies.reconnects), 0),
      replayed: [n2, n3].reduce((a, n) => a + n.metrics.tallies.replayed, 0),
      seconds: (Date.now() - t0) / 1000,
    };
  } finally {
    await publisher.stop();
    if (clients) {
      await clients.ask({ cmd: 'close' }, 'closed', 10_000).catch(() => undefined);
      await clients.kill();
    }
    await Promise.all(nodes.map((n) => n.stop().catch(() => undefined)));
    await redis?.stop();
  }
}
