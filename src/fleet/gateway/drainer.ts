import type { Session } from './session';

/** Status of a drain under way, as `/admin/status` reports it. */
export interface DrainStatus {
  startedAt: number;
  deadline: number;
  remaining: number;
  disconnectRatePerSecond: number;
}

export interface DrainHost {
  sessions(): Iterable<Session>;
  sessionCount(): number;
  progress(remaining: number, ratePerSecond: number): void;
  done(forced: number): void;
}

const TICK_MS = 100;

/**
 * Moves a node's clients elsewhere: tells every client at once (each with its own
 * jittered reconnect hint), then closes connections no faster than the given rate,
 * and force-closes what remains at the deadline.
 */
export class Drainer {
  status: DrainStatus | null = null;
  private timer: NodeJS.Timeout | undefined;
  private progressTimer: NodeJS.Timeout | undefined;
  private budget = 0;

  constructor(private readonly host: DrainHost) {}

  start(deadlineSeconds: number, rate: number, now = Date.now()): void {
    this.stop();
    this.status = { startedAt: now, deadline: now + deadlineSeconds * 1000, remaining: this.host.sessionCount(), disconnectRatePerSecond: rate };
    for (const s of this.host.sessions()) s.notifyDrain(reconnectHint());
    this.budget = 0;
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.progressTimer = setInterval(() => this.host.progress(this.host.sessionCount(), rate), 1000);
    this.tick();
  }

  /** Stops closing connections (undrain); those not yet closed stay. */
  stop(): void {
    clearInterval(this.timer);
    clearInterval(this.progressTimer);
    this.timer = undefined;
    this.status = null;
  }

  get active(): boolean {
    return this.timer !== undefined;
  }

  private tick(): void {
    const st = this.status;
    if (!st) return;
    const now = Date.now();
    if (now >= st.deadline) {
      let forced = 0;
      for (const s of [...this.host.sessions()]) {
        s.close('drain', reconnectHint());
        forced++;
      }
      return this.finish(forced);
    }
    // Token bucket at the given rate, at most one tick's worth at a time (no bursts).
    this.budget = Math.min(this.budget + (st.disconnectRatePerSecond * TICK_MS) / 1000, Math.max(1, (st.disconnectRatePerSecond * TICK_MS) / 1000));
    for (const s of this.host.sessions()) {
      if (this.budget < 1) break;
      s.close('drain', reconnectHint());
      this.budget--;
    }
    st.remaining = this.host.sessionCount();
    if (st.remaining === 0) this.finish(0);
  }

  private finish(forced: number): void {
    clearInterval(this.timer);
    clearInterval(this.progressTimer);
    this.timer = undefined;
    if (this.status) this.status.remaining = this.host.sessionCount();
    this.host.done(forced);
  }
}

/** A reconnect delay hint: jittered so the clients of a drain do not arrive together elsewhere. */
function reconnectHint(): number {
  return 250 + Math.floor(Math.random() * 750);
}
