import type { LiveFrame, TimelineEvent } from '../../../shared/api';

export type FrameBuilder = (events: TimelineEvent[], droppedEvents: number, seq: number) => LiveFrame;

/**
 * Pushes live frames at most every `minIntervalMs` (10 Hz), coalesced: whatever changed
 * since the last frame goes out in the next one (latest state wins). Leading edge: a
 * change when the last frame is at least `minIntervalMs` old goes out at once (next
 * macrotask, so a burst of changes from one input still makes one frame); otherwise it
 * waits for the slot, `minIntervalMs` after the last frame. Under continuous input (a
 * fleet's 1 Hz vitals from 200 nodes is one change every 5 ms) that slot wait, up to
 * `minIntervalMs`, is the bulk of an event's time to a frame, by design.
 * Timeline events are queued up to a bound; past it the frame says how many were left
 * out (they stay in the timeline for queries). Nothing queues per subscriber.
 */
export class FramePublisher {
  private readonly pending = new Map<number, TimelineEvent>();
  private dropped = 0;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  /** performance.now() when the last frame was built (sub-ms, so the slot is exactly `minIntervalMs`). */
  private lastSent = -Infinity;
  private seq = 0;
  private stopped = false;
  private readonly subscribers = new Set<(f: LiveFrame) => void>();
  /** When the oldest unsent change arrived (for the latency figure). */
  private dirtySince: number | null = null;

  /** ms from a change arriving to the frame carrying it being handed to subscribers (includes the ≤ 10 Hz wait). */
  readonly latencies: number[] = [];
  /** ms to build a frame and hand it to every subscriber (the work, without the wait). */
  readonly buildTimes: number[] = [];
  /** performance.now() when the frame being handed out (or the last one) started to be built. */
  flushStartedAt = 0;

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
    const wait = this.lastSent + this.minIntervalMs - performance.now();
    this.timer = wait <= 0 ? setImmediate(() => this.flush()) : setTimeout(() => this.flush(), Math.ceil(wait));
  }

  /** Builds and sends one frame now. */
  flush(): void {
    this.timer = undefined;
    if (this.stopped || this.subscribers.size === 0) return;
    const events = [...this.pending.values()];
    const dropped = this.dropped;
    this.pending.clear();
    this.dropped = 0;
    const started = performance.now();
    this.lastSent = started;
    this.flushStartedAt = started;
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
