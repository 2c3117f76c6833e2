import type { ErrorCode } from '../protocol/frames';
import { backoffDelay } from './backoff';
import type { WirePublish } from './connection';

/** Outcome of a publish: its seq (0 for ephemeral) and whether the server had seen its id. */
export interface PublishResult {
  seq: number;
  duplicate: boolean;
}

/** Retries after `rate_limited` / `unavailable` answers: short, jittered, growing. */
const RETRY_BACKOFF = { baseMs: 100, maxMs: 2000 };

interface Entry {
  wire: WirePublish;
  /** Length of the data as JSON: tells which publish a WebSocket close 1009 was about. */
  size: number;
  inFlight: boolean;
  retries: number;
  deadline: NodeJS.Timeout;
  retry: NodeJS.Timeout | undefined;
  resolve(r: PublishResult): void;
  reject(err: Error): void;
}

/**
 * Publishes not yet acknowledged. Each keeps its id for life, so resending it (after a
 * disconnect, a rate limit, an unavailable bus) can never publish it twice: the server
 * deduplicates ids. A publish is settled by its ack, by a permanent error (`bad_request`,
 * `too_large`), or by its deadline.
 */
export class PublishQueue {
  private readonly entries = new Map<string, Entry>();
  private sender: ((p: WirePublish) => void) | null = null;
  private nextRef = 1;

  constructor(
    private readonly timeoutMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  add(channel: string, data: unknown, id: string, ephemeral: boolean): Promise<PublishResult> {
    return new Promise<PublishResult>((resolve, reject) => {
      let size: number;
      try {
        size = JSON.stringify(data ?? null).length;
      } catch (err) {
        return reject(new Error(`publish to ${channel}: data cannot be serialized as JSON: ${(err as Error).message}`));
      }
      const ref = `p${this.nextRef++}`;
      const entry: Entry = {
        wire: { channel, data, id, ref, ephemeral },
        size,
        inFlight: false,
        retries: 0,
        retry: undefined,
        resolve,
        reject,
        deadline: setTimeout(() => {
          const msg = `publish to ${channel} (id ${id}) was not acknowledged within ${this.timeoutMs} ms; it may or may not have been published: publish again with the same id to be sure`;
          this.finish(entry, new Error(msg));
        }, this.timeoutMs),
      };
      this.entries.set(ref, entry);
      this.send(entry);
    });
  }

  /** A connection is up: send everything that waits, through `sender`. */
  attach(sender: (p: WirePublish) => void): void {
    this.sender = sender;
    for (const e of this.entries.values()) {
      clearTimeout(e.retry);
      e.retry = undefined;
      this.send(e);
    }
  }

  /** The connection is gone: what was in flight waits for the next one (same id). */
  detach(): void {
    this.sender = null;
    for (const e of this.entries.values()) e.inFlight = false;
  }

  /** An `ack`; returns whether `ref` was one of ours. */
  ack(ref: string | number | undefined, seq: number, duplicate: boolean): boolean {
    const e = this.entries.get(String(ref));
    if (!e) return false;
    this.finish(e, { seq, duplicate });
    return true;
  }

  /** An `error` frame with a ref; returns whether `ref` was one of ours. */
  error(ref: string | number | undefined, code: ErrorCode, message: string): boolean {
    const e = this.entries.get(String(ref));
    if (!e) return false;
    if (code === 'bad_request' || code === 'too_large') {
      this.finish(e, new Error(`publish to ${e.wire.channel} rejected (${code}): ${message}`));
      return true;
    }
    // rate_limited, unavailable: worth another try with the same id, a little later.
    e.inFlight = false;
    e.retries++;
    clearTimeout(e.retry);
    e.retry = setTimeout(() => {
      e.retry = undefined;
      this.send(e);
    }, backoffDelay(e.retries, RETRY_BACKOFF, this.random));
    return true;
  }

  /**
   * A WebSocket was closed with 1009: one in-flight frame was over the server's limit. The
   * largest one is taken to be it and rejected; the others are retried as usual.
   */
  rejectLargestInFlight(reason: string): void {
    let largest: Entry | null = null;
    for (const e of this.entries.values()) if (e.inFlight && (!largest || e.size > largest.size)) largest = e;
    if (largest) this.finish(largest, new Error(`publish to ${largest.wire.channel} rejected (too_large): ${reason}`));
  }

  /** Rejects everything (the client closed). */
  failAll(err: Error): void {
    for (const e of [...this.entries.values()]) this.finish(e, err);
  }

  private send(e: Entry): void {
    if (!this.sender || e.inFlight || !this.entries.has(e.wire.ref)) return;
    e.inFlight = true;
    this.sender(e.wire);
  }

  private finish(e: Entry, outcome: PublishResult | Error): void {
    if (!this.entries.delete(e.wire.ref)) return;
    clearTimeout(e.deadline);
    clearTimeout(e.retry);
    if (outcome instanceof Error) e.reject(outcome);
    else e.resolve(outcome);
  }
}
