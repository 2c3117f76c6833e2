import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { RealtimeClient } from '../../../../src/fleet/client';
import type { DemoFleet } from '../../../../src/fleet/demo/demoFleet';
import { waitFor } from '../../../helpers/ports';

/** A client and every seq the application got, per channel, in delivery order. */
export interface Tracked {
  client: RealtimeClient;
  channel: string;
  seqs: number[];
}

/**
 * Starts `count` SDK clients over WebSocket against every node of the fleet (each picks a
 * random first node), client i on channel `ch-(i mod channels)`; resolves once all are
 * connected and subscribed.
 */
export async function startClients(urls: string[], count: number, channels: number, batch = 100): Promise<Tracked[]> {
  const out: Tracked[] = [];
  for (let i = 0; i < count; i++) {
    const channel = `ch-${i % channels}`;
    const client = new RealtimeClient({ urls, user: `u${i}`, channels: [channel], transports: ['ws'], backoff: { baseMs: 200, maxMs: 2000 } });
    const t: Tracked = { client, channel, seqs: [] };
    client.on('message', (m) => t.seqs.push(m.seq));
    client.on('error', () => {});
    client.connect();
    out.push(t);
    if (i % batch === batch - 1) await new Promise((r) => setTimeout(r, 50));
  }
  await waitFor(() => out.every((t) => t.client.state === 'connected'), 30_000, `${count} clients connected`);
  return out;
}

export async function closeClients(clients: readonly Tracked[]): Promise<void> {
  await Promise.all(clients.map((t) => t.client.close()));
}

/** Clients connected per node id. */
export function byNode(clients: readonly Tracked[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of clients) {
    const n = t.client.node ?? '-';
    out[n] = (out[n] ?? 0) + 1;
  }
  return out;
}

/**
 * Publishes steadily over HTTP, `perChannelPerSec` on every channel, one message at a time
 * per channel. A failed publish is retried on the next node with the same id (the fleet
 * dedups it), so a node that drains or restarts costs no message and doubles none.
 * Remembers the seq of the last message of each channel the fleet acknowledged.
 */
export class SteadyPublisher {
  readonly last: Record<string, number> = {};
  sent = 0;
  retries = 0;
  private stopped = false;
  private loops: Promise<void>[] = [];

  constructor(private readonly urls: string[]) {}

  start(channels: number, perChannelPerSec: number): void {
    for (let c = 0; c < channels; c++) this.loops.push(this.loop(`ch-${c}`, 1000 / perChannelPerSec, c));
  }

  private async loop(channel: string, everyMs: number, offset: number): Promise<void> {
    let i = offset;
    await new Promise((r) => setTimeout(r, (offset * everyMs) / 10));
    while (!this.stopped) {
      const started = Date.now();
      const id = randomUUID();
      for (let attempt = 0; !this.stopped || attempt === 0; attempt++) {
        const url = this.urls[(i + attempt) % this.urls.length];
        const seq = await publishOnce(url, channel, id).catch(() => null);
        if (seq !== null) {
          this.last[channel] = Math.max(this.last[channel] ?? 0, seq);
          this.sent++;
          break;
        }
        this.retries++;
        if (attempt > 50) throw new Error(`publish to ${channel} kept failing`);
        await new Promise((r) => setTimeout(r, 50));
      }
      i++;
      await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (Date.now() - started))));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }
}

async function publishOnce(url: string, channel: string, id: string): Promise<number> {
  const res = await fetch(`${url}/publish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel, data: { id }, id }), signal: AbortSignal.timeout(2000) });
  const body = (await res.json()) as { seq?: unknown };
  if (res.status !== 200 || typeof body.seq !== 'number') throw new Error(`publish answered ${res.status}`);
  return body.seq;
}

export interface DeliveryCheck {
  clients: number;
  messages: number;
  /** Seqs missing between a client's first delivered seq and its channel's last published seq. */
  lost: number;
  duplicates: number;
  /** Deliveries below an already delivered seq (not counting duplicates). */
  reordered: number;
  /** Clients that got nothing at all on their channel. */
  silent: number;
}

/** Waits until every client has its channel's last published seq (bounded), then checks every delivery. */
export async function checkDelivery(clients: readonly Tracked[], last: Record<string, number>, timeoutMs = 20_000): Promise<DeliveryCheck> {
  await waitFor(() => clients.every((t) => t.seqs.length > 0 && Math.max(...t.seqs.slice(-5)) >= (last[t.channel] ?? 0)), timeoutMs, 'every client caught up').catch(() => undefined);
  const c: DeliveryCheck = { clients: clients.length, messages: 0, lost: 0, duplicates: 0, reordered: 0, silent: 0 };
  for (const t of clients) {
    c.messages += t.seqs.length;
    if (t.seqs.length === 0) {
      c.silent++;
      continue;
    }
    const seen = new Set<number>();
    let max = 0;
    for (const s of t.seqs) {
      if (seen.has(s)) c.duplicates++;
      else if (s < max) c.reordered++;
      seen.add(s);
      max = Math.max(max, s);
    }
    const first = t.seqs[0];
    for (let s = first; s <= (last[t.channel] ?? 0); s++) if (!seen.has(s)) c.lost++;
  }
  return c;
}

/** Fleet node client URLs (they stay the same across restarts). */
export const clientUrls = (fleet: DemoFleet): string[] => fleet.targets.map((t) => t.clientUrl);

export type ChildCommand =
  | { cmd: 'start'; urls: string[]; count: number; channels: number }
  | { cmd: 'status' }
  | { cmd: 'check'; last: Record<string, number>; timeoutMs: number }
  | { cmd: 'close' };

export type ChildReply =
  | { type: 'started'; byNode: Record<string, number> }
  | { type: 'status'; byNode: Record<string, number>; connected: number }
  | { type: 'checked'; check: DeliveryCheck }
  | { type: 'closed' }
  | { type: 'error'; message: string };

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

/** SDK clients in a child process (clientsChild.ts), asked over IPC. */
export class ClientsProcess {
  private constructor(private readonly proc: ChildProcess) {}

  static async start(urls: string[], count: number, channels: number): Promise<ClientsProcess> {
    const proc = fork('bin/run-ts.cjs', ['test/main/core/commands/clientsChild.ts'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, LOG_LEVEL: 'silent' } });
    const c = new ClientsProcess(proc);
    await c.ask({ cmd: 'start', urls, count, channels }, 'started', 60_000);
    return c;
  }

  ask<T extends ChildReply['type']>(cmd: ChildCommand, type: T, timeoutMs = 30_000): Promise<Extract<ChildReply, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`clients child: no ${type} within ${timeoutMs} ms`)), timeoutMs);
      const onMsg = (m: ChildReply) => {
        if (m.type === 'error') done(new Error(`clients child: ${m.message}`));
        else if (m.type === type) done(null, m as Extract<ChildReply, { type: T }>);
      };
      const onExit = (code: number | null) => done(new Error(`clients child exited (${code}) before ${type}`));
      const done = (err: Error | null, m?: Extract<ChildReply, { type: T }>) => {
        clearTimeout(timer);
        this.proc.off('message', onMsg);
        this.proc.off('exit', onExit);
        if (err) reject(err);
        else resolve(m as Extract<ChildReply, { type: T }>);
      };
      this.proc.on('message', onMsg);
      this.proc.once('exit', onExit);
      this.proc.send(cmd);
    });
  }

  async byNode(): Promise<Record<string, number>> {
    return (await this.ask({ cmd: 'status' }, 'status')).byNode;
  }

  async check(last: Record<string, number>, timeoutMs = 20_000): Promise<DeliveryCheck> {
    return (await this.ask({ cmd: 'check', last, timeoutMs }, 'checked', timeoutMs + 20_000)).check;
  }

  async close(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    await this.ask({ cmd: 'close' }, 'closed', 20_000).catch(() => undefined);
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
  }
}
