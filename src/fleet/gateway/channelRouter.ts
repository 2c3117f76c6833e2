import type { Bus, BusMessage } from './bus/bus';
import { outFrame } from './session';
import type { Session, Transport } from './session';

/** Deliveries of one fan-out, per transport, accounted for once. */
export type DeliveredCallback = (transport: Transport, count: number, publishedAt: number, now: number) => void;

interface ChannelEntry {
  sessions: Set<Session>;
  /** Highest seq dispatched on this node (0 = none yet). */
  last: number;
  /** While history fills a gap, live messages wait here, in arrival order. */
  queue: BusMessage[] | null;
}

/** Serializes a message frame once; every session on the node writes the same text. */
export function messageFrame(m: BusMessage): string {
  return `{"type":"message","channel":${JSON.stringify(m.channel)},"seq":${m.seq},"data":${m.json},"ts":${m.ts},"id":${JSON.stringify(m.id)}}`;
}

/**
 * Local fan-out of the node's single bus subscription to the sessions of each channel.
 * It also keeps each channel gapless on this node: a message whose seq skips ahead
 * (a bus link that dropped messages while reconnecting) first pulls the missing ones
 * from history, so sessions always see seq order without holes.
 */
export class ChannelRouter {
  readonly channels = new Map<string, ChannelEntry>();

  constructor(
    private readonly bus: Bus,
    private readonly historyLimit: number,
    private readonly log: (msg: string) => void,
    private readonly onDelivered: DeliveredCallback = () => {},
  ) {}

  add(channel: string, session: Session): void {
    let e = this.channels.get(channel);
    if (!e) {
      e = { sessions: new Set(), last: 0, queue: null };
      this.channels.set(channel, e);
    }
    e.sessions.add(session);
  }

  remove(channel: string, session: Session): void {
    const e = this.channels.get(channel);
    if (!e) return;
    e.sessions.delete(session);
    if (e.sessions.size === 0) this.channels.delete(channel);
  }

  dispatch(msg: BusMessage): void {
    const e = this.channels.get(msg.channel);
    if (!e) return;
    if (msg.seq === 0) return this.fanout(e, msg);
    if (e.queue) {
      e.queue.push(msg);
      return;
    }
    if (msg.seq <= e.last) return;
    if (e.last > 0 && msg.seq > e.last + 1) {
      e.queue = [msg];
      void this.fill(msg.channel, e);
      return;
    }
    e.last = msg.seq;
    this.fanout(e, msg);
  }

  /** After the bus link comes back: catch up every channel from history. */
  resync(): void {
    for (const [channel, e] of this.channels) {
      if (e.last > 0 && !e.queue) {
        e.queue = [];
        void this.fill(channel, e);
      }
    }
  }

  private async fill(channel: string, e: ChannelEntry): Promise<void> {
    try {
      const h = await this.bus.history(channel, e.last, this.historyLimit);
      if (h.gap) this.log(`channel ${channel}: history lost ${h.gap.from}..${h.gap.to} while the bus link was down`);
      for (const m of h.messages) this.take(e, m);
    } catch (err) {
      this.log(`channel ${channel}: could not fill from history: ${(err as Error).message}`);
    }
    const queued = e.queue ?? [];
    e.queue = null;
    for (const m of queued) this.take(e, m);
  }

  private take(e: ChannelEntry, m: BusMessage): void {
    if (m.seq !== 0 && m.seq <= e.last) return;
    if (m.seq !== 0) e.last = m.seq;
    this.fanout(e, m);
  }

  private fanout(e: ChannelEntry, msg: BusMessage): void {
    const frame = outFrame(messageFrame(msg));
    let ws = 0;
    let sse = 0;
    let longpoll = 0;
    for (const s of e.sessions) {
      if (!s.deliver(msg, frame)) continue;
      if (s.transport === 'ws') ws++;
      else if (s.transport === 'sse') sse++;
      else longpoll++;
    }
    // Every delivery of a fan-out happens in the same instant: one latency, counted once.
    const now = Date.now();
    if (ws) this.onDelivered('ws', ws, msg.ts, now);
    if (sse) this.onDelivered('sse', sse, msg.ts, now);
    if (longpoll) this.onDelivered('longpoll', longpoll, msg.ts, now);
  }
}
