import { createParser } from 'eventsource-parser';
import type { EventSourceMessage, ParseError } from 'eventsource-parser';
import { backoffDelay } from './backoffDelay';
import { describeBadResponse } from './describeBadResponse';
import { resolveReaderOptions } from './eventStreamReaderOptions';
import type { EventStreamReaderOptions, ResolvedReaderOptions } from './eventStreamReaderOptions';
import { PendingBytes } from './pendingBytes';
import { isSendableEventId, parseEventId } from './streamEvent';
import type { StreamState, StreamStatus } from './streamStatus';

/** Longest server-advised `retry:` honoured: a node cannot park the console for days. */
export const MAX_SERVER_RETRY_MS = 300_000;

/** How one connection ended; decides what the loop does next. */
type Ending =
  | { kind: 'error'; message: string }
  | { kind: 'stale'; message: string }
  | { kind: 'ended' }
  | { kind: 'reconnect' }
  | { kind: 'stopped' };

/**
 * Reads one node's `/events` (Server-Sent Events over fetch) for as long as it runs:
 * parses with eventsource-parser, resumes with `Last-Event-ID` after every reconnect,
 * and reconnects with full-jitter exponential backoff that never undercuts the
 * server's `retry:`. A hostile or broken node costs bounded memory and time: caps on
 * event and pending sizes, an idle timeout, a connect timeout, no redirects followed.
 *
 * Timers are not unref'd while it runs (a reader in backoff is live work); after
 * {@link EventStreamReader.stop} nothing of it keeps the process alive.
 */
export class EventStreamReader {
  private readonly opts: ResolvedReaderOptions;
  private st: Omit<StreamStatus, 'state' | 'since'> = {
    connects: 0, events: 0, invalidEvents: 0, bytes: 0, lastEventAt: null, lastError: null, retryMs: 0, nextAttemptAt: null,
  };
  private state: StreamState = 'idle';
  private since = Date.now();
  private lastId: string | null = null;
  /** Reconnect attempts since a connection last delivered an event; the backoff exponent. */
  private attempt = 0;
  private loop: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;
  private controller: AbortController | null = null;
  /** Why the current connection is being ended, set by whoever ends it first. */
  private ending: Ending | null = null;
  private idleTimer: NodeJS.Timeout | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private backoffTimer: NodeJS.Timeout | undefined;
  private wake: (() => void) | null = null;

  constructor(options: EventStreamReaderOptions) {
    this.opts = resolveReaderOptions(options);
  }

  /** A snapshot of the reader's state and counters. */
  get status(): StreamStatus {
    return { state: this.state, since: this.since, ...this.st };
  }

  /** The id of the last event received (sent as `Last-Event-ID` on reconnect), or null. */
  get lastEventId(): string | null {
    return this.lastId;
  }

  /** Starts reading. Does nothing if already started or stopped (a stopped reader stays closed). */
  start(): void {
    if (this.loop !== null || this.stopping !== null) return;
    this.loop = this.run().catch((err: unknown) => {
      // Only a bug gets here (every step catches its own errors); say so rather than hang in 'open'.
      this.st.lastError = `reader loop failed: ${describeError(err)}`;
      this.setState('closed');
    });
  }

  /**
   * Drops the current connection (or cuts a backoff wait short) and connects again at
   * once, resuming from {@link lastEventId}. Not counted as a failure.
   */
  reconnectNow(): void {
    if (this.loop === null || this.stopping !== null) return;
    if (this.wake !== null) this.wake();
    else this.endConnection({ kind: 'reconnect' });
  }

  /** Stops for good: aborts the request, clears every timer, resolves once the read loop has ended. */
  stop(): Promise<void> {
    if (this.stopping === null) {
      this.endConnection({ kind: 'stopped' });
      this.wake?.();
      this.stopping = (this.loop ?? Promise.resolve()).then(() => {
        this.clearTimers();
        this.st.nextAttemptAt = null;
        this.setState('closed');
      });
    }
    return this.stopping;
  }

  private async run(): Promise<void> {
    while (this.stopping === null) {
      const ending = await this.connectOnce();
      if (this.stopping !== null || ending.kind === 'stopped') return;
      if (ending.kind === 'reconnect') continue;
      this.st.lastError = ending.kind === 'ended' ? 'stream terminated by the server (clean end)' : ending.message;
      // The server's retry: is the floor; backoff grows only while connections deliver nothing.
      const delay = backoffDelay(this.attempt, this.st.retryMs, this.opts.random, this.opts.backoff);
      this.attempt++;
      this.st.nextAttemptAt = Date.now() + delay;
      // The wait exists before onStatus hears of it, so a stop() or reconnectNow() from
      // inside onStatus can cut it short.
      const waited = new Promise<void>((resolve) => {
        this.wake = () => {
          clearTimeout(this.backoffTimer);
          this.wake = null;
          resolve();
        };
        this.backoffTimer = setTimeout(this.wake, delay);
      });
      this.setState(ending.kind === 'stale' ? 'stale' : 'backoff');
      await waited;
    }
  }

  private async connectOnce(): Promise<Ending> {
    const ac = new AbortController();
    this.controller = ac;
    this.ending = null;
    this.st.connects++;
    this.st.nextAttemptAt = null;
    this.setState('connecting');
    const { connectTimeoutMs } = this.opts;
    this.connectTimer = setTimeout(
      () => this.endConnection({ kind: 'error', message: `no usable response within connectTimeoutMs (${connectTimeoutMs} ms)` }),
      connectTimeoutMs,
    );
    try {
      // A stop() or reconnectNow() from an onStatus callback may already have ended us.
      if (this.ending !== null) return this.ending;
      const res = await this.opts.fetchImpl(this.opts.url, { headers: this.headers(), redirect: 'manual', signal: ac.signal });
      const bad = await describeBadResponse(res);
      if (this.ending !== null) return this.ending;
      if (bad !== null || res.body === null) return { kind: 'error', message: bad ?? 'response has no body' };
      clearTimeout(this.connectTimer);
      return await this.readBody(res.body);
    } catch (err) {
      return this.ending ?? { kind: 'error', message: `request failed: ${describeError(err)}` };
    } finally {
      clearTimeout(this.connectTimer);
      clearTimeout(this.idleTimer);
      // Releases the socket whatever happened; harmless after a clean end.
      ac.abort();
      this.controller = null;
    }
  }

  private async readBody(body: ReadableStream<Uint8Array>): Promise<Ending> {
    this.setState('open');
    const decoder = new TextDecoder();
    const pending = new PendingBytes();
    const parser = createParser({
      onEvent: (m) => this.receive(m),
      onRetry: (ms) => {
        this.st.retryMs = Math.min(ms, MAX_SERVER_RETRY_MS);
      },
      onError: (e: ParseError) => {
        this.st.lastError = `ignored malformed line: ${e.message}`;
      },
    });
    const { idleTimeoutMs, maxPendingBytes } = this.opts;
    this.idleTimer = setTimeout(
      () => this.endConnection({ kind: 'stale', message: `nothing received for idleTimeoutMs (${idleTimeoutMs} ms), not even a heartbeat` }),
      idleTimeoutMs,
    );
    const reader = body.getReader();
    for (;;) {
      if (this.ending !== null) return this.ending;
      const { done, value } = await reader.read();
      if (this.ending !== null) return this.ending;
      if (done) {
        parser.feed(decoder.decode());
        return { kind: 'ended' };
      }
      // Any byte at all, a heartbeat comment included, proves the link is alive.
      this.idleTimer.refresh();
      this.st.bytes += value.byteLength;
      pending.scan(value);
      parser.feed(decoder.decode(value, { stream: true }));
      if (pending.value > maxPendingBytes) {
        return { kind: 'error', message: `${pending.value} bytes received without completing an event, over maxPendingBytes (${maxPendingBytes})` };
      }
    }
  }

  /** One parsed message: checked, JSON-parsed, delivered. Never throws. */
  private receive(m: EventSourceMessage): void {
    if (this.ending !== null) return;
    const type = m.event ?? 'message';
    // Remember even a rejected event's id, so a resume skips it instead of replaying it forever.
    if (m.id !== undefined) this.lastId = isSendableEventId(m.id) ? m.id : null;
    // Built only for error messages; quoted parts clipped, a hostile node picks them.
    const label = () => `event "${type.slice(0, 40)}"${m.id ? ` id ${m.id.slice(0, 80)}` : ''}`;
    const size = Buffer.byteLength(m.data, 'utf8');
    if (size > this.opts.maxEventBytes) {
      this.endConnection({ kind: 'error', message: `${label()}: ${size} bytes of data, over maxEventBytes (${this.opts.maxEventBytes})` });
      return;
    }
    let data: unknown;
    try {
      data = JSON.parse(m.data);
    } catch {
      this.st.invalidEvents++;
      this.st.lastError = `${label()}: data is not JSON (${size} bytes), not delivered`;
      return;
    }
    this.attempt = 0;
    this.st.events++;
    this.st.lastEventAt = Date.now();
    const ids = m.id === undefined ? null : parseEventId(m.id);
    try {
      this.opts.onEvent({ type, id: m.id ?? null, data, bootId: ids?.bootId ?? null, seq: ids?.seq ?? null });
    } catch (err) {
      this.st.lastError = `onEvent threw on ${label()}: ${describeError(err)}`;
    }
  }

  private headers(): Record<string, string> {
    const h: Record<string, string> = { accept: 'text/event-stream', 'cache-control': 'no-cache' };
    if (this.opts.token !== null) h.authorization = `Bearer ${this.opts.token}`;
    if (this.lastId !== null) h['last-event-id'] = this.lastId;
    return h;
  }

  /** Ends the current connection for `why`, unless something already ended it. */
  private endConnection(why: Ending): void {
    if (this.ending !== null) return;
    this.ending = why;
    this.controller?.abort();
  }

  private setState(state: StreamState): void {
    if (state === this.state) return;
    this.state = state;
    this.since = Date.now();
    if (this.opts.onStatus === undefined) return;
    try {
      this.opts.onStatus(this.status);
    } catch (err) {
      this.st.lastError = `onStatus threw: ${describeError(err)}`;
    }
  }

  private clearTimers(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.connectTimer);
    clearTimeout(this.backoffTimer);
  }
}

/** An error's message plus its cause's (undici puts ECONNREFUSED and friends there). */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? err.cause.message : undefined;
  return cause && cause !== err.message ? `${err.message}: ${cause}` : err.message;
}
