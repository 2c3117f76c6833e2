/**
 * Bench child: the clients, in their own process (their own core): N subscribers and one
 * publisher for fan-out runs, or many idle connections. Driven over IPC by bench/gateway.ts.
 *
 * Both servers under test get the same harness: raw WebSocket clients (bench/gatewayWire.ts),
 * the same payload size on the wire, the same publisher. Only the words differ: the gateway
 * speaks its protocol (subscribe, publish, message frames), the bare server echoes to all.
 */
import { connectWire, readIntField } from './gatewayWire';
import type { WireSocket } from './gatewayWire';
import { cpuSeconds, machineBusySeconds, quantiles } from './gatewayStats';
import type { Quantiles } from './gatewayStats';

/**
 * CPU used in a measured window, in cores: the server child, this (client) process, and
 * everything else on the machine (other work competing for the same 2 cores).
 */
export interface CpuShare {
  server: number;
  clients: number;
  others: number;
}

export type Protocol = 'gateway' | 'bare';

export type LoadCommand =
  | { cmd: 'open'; port: number; serverPid: number; protocol: Protocol; subscribers: number; channel: string }
  | { cmd: 'saturate'; payloadBytes: number; window: number; warmupMs: number; measureMs: number }
  | { cmd: 'paced'; payloadBytes: number; messagesPerSec: number; warmupMs: number; measureMs: number }
  | { cmd: 'idle'; port: number; count: number; concurrency: number }
  | { cmd: 'closeAll' };

export type LoadReply =
  | { type: 'opened'; subscribers: number; ms: number }
  | { type: 'saturated'; deliveries: number; seconds: number; deliveriesPerSec: number; published: number; avgPayloadBytes: number; liveSubscribers: number; cpu: CpuShare; windowUs: [number, number] }
  | { type: 'paced'; deliveries: number; expectedDeliveries: number; seconds: number; latencyMs: Quantiles; sentToReceivedMs: Quantiles | null; liveSubscribers: number; cpu: CpuShare }
  | { type: 'idleOpened'; opened: number; failed: number; welcomed: number; ms: number; firstError: string | null }
  | { type: 'closed' }
  | { type: 'error'; message: string };

const HOST = '127.0.0.1';
const TS_KEY = Buffer.from('"ts":');
const SENT_KEY = Buffer.from('"sent":');

let protocol: Protocol = 'gateway';
let channel = 'bench';
let publisher: WireSocket | null = null;
const subscribers: WireSocket[] = [];
const idle: WireSocket[] = [];
let live = 0;
let serverPid = 0;
/** Text frames received by all subscribers since the last open (deliveries). */
let delivered = 0;
/** Called after each delivery while a run is on (flow control or latency sampling). */
let onDelivery: ((buf: Buffer, start: number, end: number) => void) | null = null;

function reply(r: LoadReply): void {
  process.send?.(r);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` over 0..n-1 with at most `concurrency` at a time. */
async function pool(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(n, concurrency) }, worker));
}

/** Waits for one text frame on `s` whose payload contains `marker`. */
function waitText(s: WireSocket, marker: string, timeoutMs: number): Promise<void> {
  const key = Buffer.from(marker);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${marker} frame within ${timeoutMs} ms`)), timeoutMs);
    s.onText = (buf, start, end) => {
      const at = buf.indexOf(key, start);
      if (at >= 0 && at < end) {
        clearTimeout(timer);
        s.onText = null;
        resolve();
      }
    };
  });
}

async function open(port: number, pid: number, proto: Protocol, n: number, ch: string): Promise<void> {
  const t0 = Date.now();
  protocol = proto;
  channel = ch;
  serverPid = pid;
  const path = (user: string) => (proto === 'gateway' ? `/ws?user=${user}` : '/');
  await pool(n, 100, async (i) => {
    const s = await connectWire(HOST, port, path(`sub-${i}`));
    if (proto === 'gateway') {
      const subscribed = waitText(s, '"type":"subscribed"', 10_000);
      s.sendText(JSON.stringify({ type: 'subscribe', channel }));
      await subscribed;
    }
    s.onText = (buf, start, end) => {
      delivered++;
      onDelivery?.(buf, start, end);
    };
    s.onClose = () => live--;
    subscribers.push(s);
    live++;
  });
  publisher = await connectWire(HOST, port, path('publisher'));
  reply({ type: 'opened', subscribers: subscribers.length, ms: Date.now() - t0 });
}

/** One publish as the publisher writes it; the delivered payload has `payloadBytes` bytes (gateway: about). */
function makePublisher(payloadBytes: number): () => string {
  // Gateway: the message frame wraps data in about 130 bytes of envelope (type, channel, seq, ts, id).
  const envelope = protocol === 'gateway' ? `{"type":"message","channel":"${channel}","seq":100000,"data":,"ts":1700000000000,"id":"00000000-0000-0000-0000-000000000000"}`.length : 0;
  const padLen = Math.max(0, payloadBytes - envelope - '{"sent":1700000000000,"pad":""}'.length);
  const pad = 'x'.repeat(padLen);
  const prefix = protocol === 'gateway' ? `{"type":"publish","channel":"${channel}","data":` : '';
  const suffix = protocol === 'gateway' ? '}' : '';
  return () => `${prefix}{"sent":${Date.now()},"pad":"${pad}"}${suffix}`;
}

/** Closed loop: at most `window` messages in flight (published, not yet received by every subscriber). */
async function saturate(payloadBytes: number, window: number, warmupMs: number, measureMs: number): Promise<void> {
  const pub = publisher;
  if (!pub) throw new Error('open first');
  const next = makePublisher(payloadBytes);
  let published = 0;
  let running = true;
  const base = delivered;
  const bytesBase = subscribers.reduce((a, s) => a + s.payloadBytes, 0);
  const pump = () => {
    if (!running || live <= 0) return;
    const batch: string[] = [];
    while ((published + batch.length) * live - (delivered - base) < window * live) batch.push(next());
    published += batch.length;
    pub.sendTexts(batch);
  };
  onDelivery = pump;
  pump();
  await sleep(warmupMs);
  const d0 = delivered;
  const t0 = performance.now();
  const w0 = monotonicUs();
  const endCpu = cpuWindow();
  await sleep(measureMs);
  const d1 = delivered;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = endCpu();
  const windowUs: [number, number] = [w0, monotonicUs()];
  running = false;
  onDelivery = null;
  await settle(base, () => published);
  const bytes = subscribers.reduce((a, s) => a + s.payloadBytes, 0) - bytesBase;
  reply({
    type: 'saturated',
    deliveries: d1 - d0,
    seconds,
    deliveriesPerSec: (d1 - d0) / seconds,
    published,
    avgPayloadBytes: bytes / Math.max(1, delivered - base),
    liveSubscribers: live,
    cpu,
    windowUs,
  });
}

/** CLOCK_MONOTONIC in µs: the clock V8 stamps .cpuprofile samples with, the same in every process. */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/** Starts a CPU window; the returned function ends it. */
function cpuWindow(): () => CpuShare {
  const t0 = performance.now();
  const s0 = cpuSeconds(serverPid);
  const c0 = process.cpuUsage();
  const m0 = machineBusySeconds();
  return () => {
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const server = (cpuSeconds(serverPid) - s0) / wall;
    const clients = (c.user + c.system) / 1e6 / wall;
    // The parent and the idle rig of the other server are in "others" too; both are near idle.
    const others = Math.max(0, (machineBusySeconds() - m0) / wall - server - clients);
    return { server, clients, others };
  };
}

/** Waits (at most 5 s) until every published message reached every live subscriber. */
async function settle(base: number, published: () => number): Promise<void> {
  const until = Date.now() + 5000;
  while (delivered - base < published() * live && Date.now() < until) await sleep(20);
}

/** Open loop at a fixed rate; latency of every delivery in the measured window. */
async function paced(payloadBytes: number, rate: number, warmupMs: number, measureMs: number): Promise<void> {
  const pub = publisher;
  if (!pub) throw new Error('open first');
  const next = makePublisher(payloadBytes);
  const latency: number[] = [];
  const sentToReceived: number[] = [];
  let measuring = false;
  const gateway = protocol === 'gateway';
  onDelivery = (buf, start, end) => {
    if (!measuring) return;
    const now = Date.now();
    // Gateway: `ts` is when the node accepted the publish (the last "ts" of the frame); bare: the publisher's send time.
    latency.push(now - readIntField(buf, start, end, gateway ? TS_KEY : SENT_KEY, gateway));
    if (gateway) sentToReceived.push(now - readIntField(buf, start, end, SENT_KEY, false));
  };
  const base = delivered;
  let published = 0;
  const startedAt = performance.now();
  // 1 ms ticks; each sends what the schedule owes by now (never a catch-up burst over 50).
  const timer = setInterval(() => {
    const owed = Math.floor(((performance.now() - startedAt) * rate) / 1000) - published;
    const n = Math.min(owed, 50);
    if (n <= 0) return;
    const batch: string[] = [];
    for (let i = 0; i < n; i++) batch.push(next());
    published += n;
    pub.sendTexts(batch);
  }, 1);
  await sleep(warmupMs);
  measuring = true;
  const d0 = delivered;
  const p0 = published;
  const t0 = performance.now();
  const endCpu = cpuWindow();
  await sleep(measureMs);
  const cpu = endCpu();
  measuring = false;
  const d1 = delivered;
  const p1 = published;
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  await settle(base, () => published);
  onDelivery = null;
  reply({
    type: 'paced',
    deliveries: d1 - d0,
    expectedDeliveries: (p1 - p0) * live,
    seconds,
    latencyMs: quantiles(latency),
    sentToReceivedMs: gateway ? quantiles(sentToReceived) : null,
    liveSubscribers: live,
    cpu,
  });
}

async function openIdle(port: number, count: number, concurrency: number): Promise<void> {
  const t0 = Date.now();
  let failed = 0;
  let welcomed = 0;
  let firstError: string | null = null;
  await pool(count, concurrency, async (i) => {
    try {
      const s = await connectWire(HOST, port, `/ws?user=idle-${i}`);
      idle.push(s);
      // The welcome may already have come with the upgrade answer (counted in s.frames).
      if (s.frames === 0) await waitText(s, '"type":"welcome"', 10_000);
      welcomed++;
    } catch (err) {
      failed++;
      firstError ??= (err as Error).message;
    }
  });
  reply({ type: 'idleOpened', opened: idle.length, failed, welcomed, ms: Date.now() - t0, firstError });
}

async function closeAll(): Promise<void> {
  onDelivery = null;
  for (const s of [...subscribers, ...idle, ...(publisher ? [publisher] : [])]) {
    s.onClose = null;
    s.destroy();
  }
  subscribers.length = 0;
  idle.length = 0;
  publisher = null;
  live = 0;
  delivered = 0;
  await sleep(200);
  reply({ type: 'closed' });
}

process.on('message', (m: LoadCommand) => {
  const run = (p: Promise<void>) => p.catch((err: Error) => reply({ type: 'error', message: err.message }));
  if (m.cmd === 'open') run(open(m.port, m.serverPid, m.protocol, m.subscribers, m.channel));
  else if (m.cmd === 'saturate') run(saturate(m.payloadBytes, m.window, m.warmupMs, m.measureMs));
  else if (m.cmd === 'paced') run(paced(m.payloadBytes, m.messagesPerSec, m.warmupMs, m.measureMs));
  else if (m.cmd === 'idle') run(openIdle(m.port, m.count, m.concurrency));
  else if (m.cmd === 'closeAll') run(closeAll());
});
process.on('disconnect', () => process.exit(0));
