/**
 * Bench child: the SDK clients of the drain phase (RealtimeClient, WebSocket only), all in
 * this process. Records every delivered seq per client and channel, and checks them against
 * what was published: lost, duplicated, out of order. Driven over IPC by bench/gatewayDrain.ts.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { RealtimeClient } from '../src/fleet/client';

export type DrainClientsCommand =
  | { cmd: 'start'; urls: string[]; count: number; channels: string[]; channelsPerClient: number; batch: number; reapPids: number[] }
  | { cmd: 'status' }
  | { cmd: 'settle'; lastPublished: Record<string, number>; timeoutMs: number }
  | { cmd: 'report'; lastPublished: Record<string, number> }
  | { cmd: 'close' };

/** Connected clients per node id ("-" while not connected). */
export type ByNode = Record<string, number>;

export interface DeliveryCheck {
  /** Client × channel pairs checked (and those that never received a message: a failure too). */
  clientChannels: number;
  silentClientChannels: number;
  messages: number;
  /** Seqs missing between the pair's first delivered seq and the channel's last published seq. */
  lost: number;
  duplicates: number;
  /** Deliveries below an already delivered seq (not counting duplicates). */
  reordered: number;
  /** `gap` events: the SDK was told history no longer held what it missed. */
  gaps: number;
  /** Worst pair, for a look when something was lost. */
  worst: { client: number; channel: string; first: number; last: number; lost: number } | null;
}

export type DrainClientsReply =
  | { type: 'started'; connected: number; byNode: ByNode; ms: number }
  | { type: 'status'; connected: number; byNode: ByNode; drainNotices: number; errors: number; errorKinds: Record<string, number>; load: ProcessLoad }
  | { type: 'settled'; complete: boolean; behind: number; ms: number }
  | { type: 'report'; check: DeliveryCheck }
  | { type: 'closed' }
  | { type: 'error'; message: string };

/** This process since the previous status: CPU in cores, worst event-loop delay. */
export interface ProcessLoad {
  cpuCores: number;
  loopDelayMaxMs: number;
}

interface Tracked {
  client: RealtimeClient;
  /** channel → seqs in delivery order. */
  seqs: Map<string, number[]>;
}

const tracked: Tracked[] = [];
let drainNotices = 0;
let errors = 0;
/** Error messages with ports and numbers masked → count: what went wrong, and how often. */
const errorKinds = new Map<string, number>();
let gaps = 0;

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
let lastCpu = process.cpuUsage();
let lastAt = performance.now();

function load(): ProcessLoad {
  const cpu = process.cpuUsage(lastCpu);
  const wall = (performance.now() - lastAt) / 1000;
  lastCpu = process.cpuUsage();
  lastAt = performance.now();
  const out = { cpuCores: Math.round(((cpu.user + cpu.system) / 1e6 / Math.max(0.001, wall)) * 100) / 100, loopDelayMaxMs: Math.round(loopDelay.max / 1e6) };
  loopDelay.reset();
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const reply = (r: DrainClientsReply) => void process.send?.(r);

function byNode(): { connected: number; byNode: ByNode } {
  const out: ByNode = {};
  let connected = 0;
  for (const t of tracked) {
    const node = t.client.state === 'connected' ? t.client.node ?? '-' : '-';
    out[node] = (out[node] ?? 0) + 1;
    if (node !== '-') connected++;
  }
  return { connected, byNode: out };
}

/** Creates clients `batch` at a time, each batch connected before the next (no SYN storm). */
async function start(urls: string[], count: number, channels: string[], perClient: number, batch: number): Promise<void> {
  const t0 = Date.now();
  for (let from = 0; from < count; from += batch) {
    const group: Tracked[] = [];
    for (let i = from; i < Math.min(count, from + batch); i++) {
      const mine = Array.from({ length: perClient }, (_, j) => channels[(i + j) % channels.length]);
      const client = new RealtimeClient({ urls, user: `drain-${i}`, channels: mine, transports: ['ws'] });
      const t: Tracked = { client, seqs: new Map(mine.map((c) => [c, []])) };
      client.on('message', (m) => t.seqs.get(m.channel)?.push(m.seq));
      client.on('drain', () => drainNotices++);
      client.on('gap', () => gaps++);
      client.on('error', (err) => {
        errors++;
        const kind = err.message.replace(/\d+/g, '#').slice(0, 160);
        if (errorKinds.size < 50 || errorKinds.has(kind)) errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
      });
      client.connect();
      group.push(t);
      tracked.push(t);
    }
    const until = Date.now() + 30_000;
    while (group.some((t) => t.client.state !== 'connected')) {
      if (Date.now() > until) throw new Error(`clients ${from}..${from + group.length - 1} not all connected within 30 s`);
      await sleep(20);
    }
  }
  reply({ type: 'started', ...byNode(), ms: Date.now() - t0 });
}

/** Waits until every client holds the last published seq of each of its channels. */
async function settle(last: Record<string, number>, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  let behind = 0;
  for (;;) {
    behind = 0;
    for (const t of tracked) {
      for (const [ch, seqs] of t.seqs) if ((seqs[seqs.length - 1] ?? 0) < (last[ch] ?? 0)) behind++;
    }
    if (behind === 0 || Date.now() - t0 > timeoutMs) break;
    await sleep(100);
  }
  reply({ type: 'settled', complete: behind === 0, behind, ms: Date.now() - t0 });
}

function check(last: Record<string, number>): DeliveryCheck {
  const c: DeliveryCheck = { clientChannels: 0, silentClientChannels: 0, messages: 0, lost: 0, duplicates: 0, reordered: 0, gaps, worst: null };
  tracked.forEach((t, client) => {
    for (const [channel, seqs] of t.seqs) {
      c.clientChannels++;
      c.messages += seqs.length;
      if (seqs.length === 0) {
        c.silentClientChannels++;
        continue;
      }
      const first = seqs[0];
      let lastSeq = last[channel] ?? 0;
      for (const s of seqs) if (s > lastSeq) lastSeq = s;
      const seen = new Uint8Array(lastSeq - first + 1);
      let max = 0;
      for (const s of seqs) {
        const i = s - first;
        if (i >= 0 && seen[i]) {
          c.duplicates++;
          continue;
        }
        if (i >= 0) seen[i] = 1;
        if (s < max) c.reordered++;
        max = Math.max(max, s);
      }
      let lost = 0;
      for (let i = 0; i < seen.length; i++) if (!seen[i]) lost++;
      c.lost += lost;
      if (lost > 0 && (!c.worst || lost > c.worst.lost)) c.worst = { client, channel, first, last: lastSeq, lost };
    }
  });
  return c;
}

process.on('message', (m: DrainClientsCommand) => {
  const run = (p: Promise<void>) => p.catch((err: Error) => reply({ type: 'error', message: err.message }));
  if (m.cmd === 'start') {
    reapPids = m.reapPids;
    run(start(m.urls, m.count, m.channels, m.channelsPerClient, m.batch));
  } else if (m.cmd === 'status') reply({ type: 'status', ...byNode(), drainNotices, errors, errorKinds: Object.fromEntries(errorKinds), load: load() });
  else if (m.cmd === 'settle') run(settle(m.lastPublished, m.timeoutMs));
  else if (m.cmd === 'report') reply({ type: 'report', check: check(m.lastPublished) });
  else if (m.cmd === 'close') {
    run(Promise.all(tracked.map((t) => t.client.close())).then(() => reply({ type: 'closed' })));
  }
});
/** Killed if the bench dies without its exit hooks (SIGKILL): redis-server must not outlive it. */
let reapPids: number[] = [];

process.on('disconnect', () => {
  for (const pid of reapPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  process.exit(0);
});
