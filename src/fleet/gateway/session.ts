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

/** What a session needs from its node. */
export interface SessionHost {
  readonly bufferCapBytes: number;
  delivered(session: Session, msg: BusMessage, now: number): void;
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
  protected abstract write(frameJson: string, msg?: BusMessage): void;
  /** Transport-specific close; `reason` decides the close code / status. */
  protected abstract terminate(reason: CloseReason, reconnectAfterMs: number): void;
  /** Heartbeat tick: true when the connection is still alive. */
  abstract heartbeat(): boolean;
  /** Tells the client the node drains (before its connection is closed). */
  abstract notifyDrain(reconnectAfterMs: number): void;
  /** Cuts the connection without a word (a crashing node): nothing is counted. */
  abstract destroy(): void;

  send(frame: ServerFrame): void {
    if (!this.closing) this.write(JSON.stringify(frame));
  }

  /**
   * Delivers a channel message (frameJson is the message frame, serialized once for
   * all sessions). Ephemeral messages (seq 0) skip ordering and are shed first.
   */
  deliver(msg: BusMessage, frameJson: string, now: number): void {
    if (this.closing) return;
    const sub = this.subs.get(msg.channel);
    if (!sub) return;
    if (sub.pending) {
      sub.pending.push(msg);
      return;
    }
    if (msg.seq !== 0) {
      if (msg.seq <= sub.last) return;
      sub.last = msg.seq;
    }
    this.writeGuarded(msg, frameJson, now);
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
      this.writeGuarded(m, toFrame(m), now);
    }
    for (const m of pending) this.deliver(m, toFrame(m), now);
    return replayed;
  }

  private writeGuarded(msg: BusMessage, frameJson: string, now: number): void {
    const buffered = this.bufferedBytes();
    if (buffered > this.host.bufferCapBytes) {
      this.host.dropped('slow_consumer');
      this.close('slow_consumer');
      return;
    }
    if (msg.ephemeral && buffered > this.host.bufferCapBytes / 2) {
      this.host.dropped('buffer_full');
      return;
    }
    this.write(frameJson, msg);
    this.host.delivered(this, msg, now);
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
