import type { BusMessage } from './bus/bus';
import type { ServerFrame } from '../protocol/frames';
import type { CloseReason } from './ops/gatewayMetrics';

export type Transport = 'ws' | 'sse' | 'longpoll';

/** Per-channel delivery state of one session. */
export interface Subscription {
  /** Highest seq written to the client (its position). */
  last: number;
  /** Live messages held while history is being replayed (the resume seam); null once live. */
  pending: BusMessage[] | null;
}

/**
 * A serialized server frame, shared by every session a message fans out to: the JSON
 * text, and its UTF-8 bytes made once on first use by a WebSocket session (so a fan-out
 * to 10,000 sockets encodes the string once, not 10,000 times).
 */
export interface OutFrame {
  readonly text: string;
  bytes: Buffer | null;
}

export const outFrame = (text: string): OutFrame => ({ text, bytes: null });

/** What a session needs from its node. */
export interface SessionHost {
  readonly bufferCapBytes: number;
  /** `count` deliveries on `transport` of messages accepted at `publishedAt` (ms). */
  delivered(transport: Transport, count: number, publishedAt: number, now: number): void;
  dropped(reason: 'buffer_full' | 'slow_consumer'): void;
  closed(session: Session, reason: CloseReason): void;
}

/**
 * One client connection, whatever its transport. Owns its subscriptions and the
 * order guarantee: a message is written at most once, in seq order per channel.
 */
export abstract class Session {
  readonly subs = new Map<string, Subscription>();
  readonly openedAt = Date.now();
  lastActive = Date.now();
  closing = false;
  /** Arrived with a resume position (counted once as a reconnect). */
  resumed = false;
  /** Heartbeat periods in a row without a sign of life. */
  missed = 0;

  constructor(
    readonly host: SessionHost,
    readonly sid: string,
    readonly user: string,
    readonly transport: Transport,
  ) {}

  /** Bytes queued towards the client and not yet taken by the network. */
  abstract bufferedBytes(): number;
  /** Writes one serialized frame; `msg` is set for channel messages (SSE ids use it). */
  protected abstract write(frame: OutFrame, msg?: BusMessage): void;
  /** Transport-specific close; `reason` decides the close code / status. */
  protected abstract terminate(reason: CloseReason, reconnectAfterMs: number): void;
  /** Heartbeat tick: true when the connection is still alive. */
  abstract heartbeat(): boolean;
  /** Tells the client the node drains (before its connection is closed). */
  abstract notifyDrain(reconnectAfterMs: number): void;
  /** Cuts the connection without a word (a crashing node): nothing is counted. */
  abstract destroy(): void;

  send(frame: ServerFrame): void {
    if (!this.closing) this.write(outFrame(JSON.stringify(frame)));
  }

  /**
   * Delivers a channel message (`frame` is serialized once for all sessions).
   * Ephemeral messages (seq 0) skip ordering and are shed first. Returns whether it
   * was written: the caller accounts for deliveries once per fan-out.
   */
  deliver(msg: BusMessage, frame: OutFrame): boolean {
    if (this.closing) return false;
    const sub = this.subs.get(msg.channel);
    if (!sub) return false;
    if (sub.pending) {
      sub.pending.push(msg);
      return false;
    }
    if (msg.seq !== 0) {
      if (msg.seq <= sub.last) return false;
      sub.last = msg.seq;
    }
    return this.writeGuarded(msg, frame);
  }

  /** Ends the resume seam: replays history, then what arrived live meanwhile, no gap, no duplicate. */
  finishResume(channel: string, history: readonly BusMessage[], now: number, toFrame: (m: BusMessage) => string): number {
    const sub = this.subs.get(channel);
    if (!sub || this.closing) return 0;
    const pending = sub.pending ?? [];
    sub.pending = null;
    let replayed = 0;
    for (const m of history) {
      if (m.seq <= sub.last) continue;
      sub.last = m.seq;
      replayed++;
      if (this.writeGuarded(m, outFrame(toFrame(m)))) this.host.delivered(this.transport, 1, m.ts, now);
    }
    for (const m of pending) if (this.deliver(m, outFrame(toFrame(m)))) this.host.delivered(this.transport, 1, m.ts, now);
    return replayed;
  }

  private writeGuarded(msg: BusMessage, frame: OutFrame): boolean {
    const buffered = this.bufferedBytes();
    if (buffered > this.host.bufferCapBytes) {
      this.host.dropped('slow_consumer');
      this.close('slow_consumer');
      return false;
    }
    if (msg.ephemeral && buffered > this.host.bufferCapBytes / 2) {
      this.host.dropped('buffer_full');
      return false;
    }
    this.write(frame, msg);
    return true;
  }

  /** Closes the connection once; the node forgets the session. */
  close(reason: CloseReason, reconnectAfterMs = 0): void {
    if (this.closing) return;
    this.closing = true;
    try {
      this.terminate(reason, reconnectAfterMs);
    } finally {
      this.host.closed(this, reason);
    }
  }

  /** Current positions, `channel → last seq`. */
  positions(): IterableIterator<[string, number]> {
    const out: [string, number][] = [];
    for (const [ch, s] of this.subs) out.push([ch, s.last]);
    return out[Symbol.iterator]();
  }
}
