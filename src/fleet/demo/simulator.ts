import type pino from 'pino';
import { RealtimeClient } from '../client';
import type { ClientTransport } from '../client';

export interface SimulatorOptions {
  /** Client-port base URLs of the fleet. */
  urls: string[];
  clients: number;
  rooms: number;
  /** Messages per second per user, on average (Poisson). */
  publishRatePerUser: number;
  /** New connections per second while ramping up (no thundering herd at start). */
  rampPerSecond: number;
  log: pino.Logger;
}

export const DEFAULT_SIMULATOR: Omit<SimulatorOptions, 'urls' | 'log'> = {
  clients: 300,
  rooms: 10,
  publishRatePerUser: 0.05,
  rampPerSecond: 200,
};

/** The transport mix of the simulated users: most on WebSocket, some on SSE and long polling. */
export function transportsFor(i: number): ClientTransport[] {
  const r = i % 10;
  if (r < 7) return ['ws', 'sse', 'longpoll'];
  if (r < 9) return ['sse', 'longpoll'];
  return ['longpoll'];
}

/**
 * Simulated users: each joins one or two rooms, chats now and then, goes away and
 * comes back. Bounded: exactly `clients` users, each one SDK client.
 */
export class Simulator {
  readonly clients: RealtimeClient[] = [];
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  received = 0;
  published = 0;
  publishFailures = 0;

  constructor(private readonly o: SimulatorOptions) {}

  start(): void {
    let next = 0;
    const perTick = Math.max(1, Math.round(this.o.rampPerSecond / 10));
    const ramp = setInterval(() => {
      for (let k = 0; k < perTick && next < this.o.clients; k++) this.add(next++);
      if (next >= this.o.clients) clearInterval(ramp);
    }, 100);
    this.timers.push(ramp, setInterval(() => this.tick(), 1000));
    for (const t of this.timers) t.unref();
  }

  private add(i: number): void {
    const rooms = [`room-${i % this.o.rooms}`];
    if (i % 3 === 0) rooms.push(`room-${(i + 1) % this.o.rooms}`);
    const c = new RealtimeClient({ urls: this.o.urls, user: `user-${i}`, channels: rooms, transports: transportsFor(i) });
    c.on('message', () => this.received++);
    c.on('error', () => {});
    c.connect();
    this.clients.push(c);
  }

  /** Once a second: some users speak, some go away or come back. */
  private tick(): void {
    if (this.stopped) return;
    const n = this.clients.length;
    if (n === 0) return;
    const speakers = poisson(n * this.o.publishRatePerUser);
    for (let k = 0; k < speakers; k++) {
      const i = Math.floor(Math.random() * n);
      const c = this.clients[i];
      if (c.state !== 'connected') continue;
      const room = `room-${i % this.o.rooms}`;
      this.published++;
      c.publish(room, { from: `user-${i}`, text: `message ${this.published}`, at: Date.now() }).catch(() => this.publishFailures++);
    }
    const changes = poisson(n * 0.01);
    for (let k = 0; k < changes; k++) {
      const c = this.clients[Math.floor(Math.random() * n)];
      if (c.state === 'connected') c.setPresence(Math.random() < 0.5 ? 'away' : 'online');
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await Promise.all(this.clients.map((c) => c.close()));
  }
}

/** A Poisson-distributed count with mean `lambda` (Knuth; normal approximation above 30). */
export function poisson(lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian()));
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= Math.random();
  } while (p > l);
  return k - 1;
}

function gaussian(): number {
  return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
}
