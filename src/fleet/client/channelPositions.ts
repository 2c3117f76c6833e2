import type { Gap } from '../protocol/frames';

/** What to do with a channel message: hand it to the app, drop it, or drop it and resubscribe. */
export type Verdict = 'deliver' | 'drop' | 'resync';

/**
 * The client's half of the delivery guarantee: per channel, the last seq delivered to the
 * app (its position), so that every message reaches the app exactly once and in seq order,
 * across reconnects and nodes.
 *
 * Invariant: a position only moves forward by one delivered message at a time, except where
 * the server said so explicitly (a `subscribed` frame with a gap, or with a seq below the
 * position because the channel's history was reset).
 */
export class ChannelPositions {
  private readonly last = new Map<string, number>();
  /**
   * Channels (re)subscribed and waiting for their `subscribed` frame. Messages for them
   * are dropped meanwhile: they are in flight from an older subscription, and the new one
   * replays everything after the position.
   */
  private readonly awaiting = new Set<string>();

  /** The position of `channel`, or undefined when it never had one (subscribe from now). */
  get(channel: string): number | undefined {
    return this.last.get(channel);
  }

  /** A copy of every position, `channel → last seq delivered`. */
  snapshot(): Map<string, number> {
    return new Map(this.last);
  }

  /** Forgets a channel (unsubscribed): a later subscribe starts from now. */
  forget(channel: string): void {
    this.last.delete(channel);
    this.awaiting.delete(channel);
  }

  /** `channel` is being (re)subscribed: hold its messages off until its `subscribed` frame. */
  expect(channel: string): void {
    this.awaiting.add(channel);
  }

  /** Whether any channel still waits for its `subscribed` frame. */
  get pending(): boolean {
    return this.awaiting.size > 0;
  }

  /**
   * Applies a `subscribed` frame. `gap`: messages gone from history that the app must be
   * told about; the position moves past them. `reset`: the channel restarted below the
   * position (history reset server-side); the position follows it down, and the caller
   * must subscribe again from there, because the server keeps the `since` it was given as
   * the session's position and would skip every new message up to it.
   */
  subscribed(channel: string, seq: number, gap: Gap | null): { gap: Gap | null; reset: boolean } {
    this.awaiting.delete(channel);
    const pos = this.last.get(channel);
    if (pos === undefined) {
      // Subscribed from now: the next message is seq + 1.
      this.last.set(channel, seq);
      return { gap: null, reset: false };
    }
    if (gap && gap.to > pos) {
      this.last.set(channel, gap.to);
      return { gap: { from: Math.max(gap.from, pos + 1), to: gap.to }, reset: false };
    }
    if (seq < pos) {
      this.last.set(channel, seq);
      return { gap: null, reset: true };
    }
    return { gap: null, reset: false };
  }

  /** Decides about one message; advances the position when the verdict is `deliver`. */
  message(channel: string, seq: number): Verdict {
    if (seq === 0) return 'deliver'; // ephemeral: no seq, no ordering, never replayed
    if (this.awaiting.has(channel)) return 'drop';
    const pos = this.last.get(channel);
    if (pos !== undefined && seq <= pos) return 'drop';
    if (pos !== undefined && seq > pos + 1) return 'resync';
    this.last.set(channel, seq);
    return 'deliver';
  }
}
