import type { LiveFrame, TimelineEvent } from '../../../shared/api';

export type FrameBuilder = (events: TimelineEvent[], droppedEvents: number, seq: number) => LiveFrame;

/**
 * Pushes live frames at most every `minIntervalMs` (10 Hz), coalesced: whatever changed
 * since the last frame goes out in the next one (latest state wins). A change after a
 * quiet spell goes out at once (next macrotask), so an event is not held back for
 * nothing. Timeline events are queued up to a bound; past it the frame says how many
 * were left out (they stay in the timeline for queries). Nothing queues per subscriber.
 */
export class FramePublisher {
  private readonly pending = new Map<number, TimelineEvent>();
  private dropped = 0;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private lastSent = 0;
  private seq = 0;
  private stopped = false;
  private readonly subscribers = new Set<(f: LiveFrame) => void>();
  /** When the oldest unsent change arrived (for the latency figure). */
  private dirtySince: number | null = null;

  /** ms from a change arriving to the frame carrying it being handed to subscribers (includes the ≤ 10 Hz wait). */
  readonly latencies: number[] = [];
  /** ms to build a frame and hand it to every subscriber (the work, without the wait). */
  readonly buildTimes: number[] = [];

  constructor(
    private readonly build: FrameBuilder,
    private readonly minIntervalMs = 100,
    private readonly maxEventsPerFrame = 200,
  ) {}

  subscribe(fn: (f: LiveFrame) => void): () => void {
    this.subscribers.add(fn);
    this.markDirty();
    return () => this.subscribers.delete(fn);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  event(e: TimelineEvent): void {
    if (!this.pending.has(e.id) && this.pending.size >= this.maxEventsPerFrame) this.dropped++;
    else this.pending.set(e.id, e);
    this.markDirty();
  }

  markDirty(): void {
    if (this.stopped) return;
    this.dirtySince ??= performance.now();
    if (this.timer || this.subscribers.size === 0) return;
    const wait = this.lastSent + this.minIntervalMs - Date.now();
    this.timer = wait <= 0 ? setImmediate(() => this.flush()) : setTimeout(() => this.flush(), wait);
  }

  /** Builds and sends one frame now. */
  flush(): void {
    this.timer = undefined;
    if (this.stopped || this.subscribers.size === 0) return;
    const events = [...this.pending.values()];
    const dropped = this.dropped;
    this.pending.clear();
    this.dropped = 0;
    this.lastSent = Date.now();
    const started = performance.now();
    const frame = this.build(events, dropped, ++this.seq);
    for (const fn of this.subscribers) {
      try {
        fn(frame);
      } catch {
        // A failing subscriber must not starve the others.
      }
    }
    const end = performance.now();
    if (this.buildTimes.length < 100_000) this.buildTimes.push(end - started);
    if (this.dirtySince !== null) {
      if (this.latencies.length < 100_000) this.latencies.push(end - this.dirtySince);
      this.dirtySince = null;
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
    }
    this.subscribers.clear();
  }
}
