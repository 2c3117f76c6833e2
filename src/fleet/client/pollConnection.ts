import type { ServerFrame } from '../protocol/frames';
import type { ConnectionHandlers, OpenParams } from './connection';
import { errorText, isUnreachable, openQuery, retryAfterMs } from './connection';
import { HttpConnection } from './httpConnection';
import type { HttpResult } from './httpRequest';
import { errorMessage, httpRequest, jsonBody } from './httpRequest';

/** Hold assumed until one is observed: the contract's default (25 s) with some margin. */
const ASSUMED_HOLD_MS = 30_000;
/** How long close() waits for `DELETE /poll`. */
const DELETE_WAIT_MS = 1000;

interface PollAnswer {
  sid: string;
  cursor: number;
  frames: ServerFrame[];
}

/**
 * Long polling: `GET /poll?user=&channels=&since=` opens a session and answers at once;
 * then `GET /poll?sid=&cursor=` loops, each held by the server until frames arrive or its
 * hold ends. `DELETE /poll?sid=` on close.
 *
 * Liveness: a held poll is silent by design, so the heartbeat watchdog of the other
 * transports does not apply. Instead each poll must be answered within the server's hold
 * plus three heartbeats; the hold is learnt from the first empty answer (which the server
 * sends exactly when its hold ends).
 */
export class PollConnection extends HttpConnection {
  readonly transport = 'longpoll';
  private sid: string | null = null;
  private cursor = 0;
  private holdMs: number | null = null;

  constructor(params: OpenParams, handlers: ConnectionHandlers) {
    super(params, handlers);
    this.run().catch((err: unknown) => this.fail('unreachable', `poll loop failed: ${errorText(err)}`));
  }

  private async run(): Promise<void> {
    const first = await httpRequest(`${this.baseUrl}/poll?${openQuery(this.params)}`, {}, this.params.connectTimeoutMs, this.abort.signal);
    if (this.done || this.take(first) === null) return;
    while (!this.done && this.welcome) {
      const heartbeatMs = this.welcome.heartbeatMs;
      const limit = (this.holdMs ?? ASSUMED_HOLD_MS) + 3 * heartbeatMs;
      const started = Date.now();
      const q = new URLSearchParams({ sid: this.sid ?? '', cursor: String(this.cursor) });
      const r = await httpRequest(`${this.baseUrl}/poll?${q}`, {}, limit, this.abort.signal);
      if (this.done) return;
      const taken = this.take(r);
      if (taken === null) return;
      // An empty answer comes exactly when the server's hold ends: that is the hold.
      if (taken === 0) this.holdMs = Math.max(this.holdMs ?? 0, Date.now() - started);
    }
  }

  /** Applies one answer: frames handed on, cursor advanced. Returns the frame count, or null when the connection ended. */
  private take(r: HttpResult): number | null {
    if (!r.ok) {
      const why = r.timedOut ? 'no answer in time' : errorText(r.error);
      // Before the session opened, a timeout or reset may be a proxy in the way: next transport.
      this.fail(this.opened || isUnreachable(r.error) ? 'unreachable' : 'transport', `poll failed: ${why}`);
      return null;
    }
    if (r.status === 503) {
      const body = jsonBody(r.text) as { reconnectAfterMs?: unknown } | null;
      const hint = typeof body?.reconnectAfterMs === 'number' ? body.reconnectAfterMs : retryAfterMs(r.headers.get('retry-after'));
      this.fail('unavailable', 'node answered 503 (draining)', hint);
      return null;
    }
    const answer = r.status === 200 ? asAnswer(jsonBody(r.text)) : null;
    if (!answer) {
      // Before the session opened: not our protocol on the way (next transport). After: the
      // session is gone (404 when it expired) and the client reopens with its positions.
      this.fail(this.opened ? 'unreachable' : 'transport', `poll answered ${r.status}: ${errorMessage(r.text, 'not a poll answer')}`);
      return null;
    }
    this.sid = answer.sid;
    this.cursor = answer.cursor;
    for (const f of answer.frames) {
      if (this.done) return null;
      if (f && typeof f.type === 'string') this.receive(f);
    }
    return this.done ? null : answer.frames.length;
  }

  protected silenceLimitMs(): null {
    return null;
  }

  protected async shutdown(): Promise<void> {
    this.abort.abort();
    if (!this.sid) return;
    // Tell the node now rather than letting the session expire after two holds.
    const parent = new AbortController().signal;
    await httpRequest(`${this.baseUrl}/poll?${new URLSearchParams({ sid: this.sid })}`, { method: 'DELETE' }, DELETE_WAIT_MS, parent);
  }
}

function asAnswer(v: unknown): PollAnswer | null {
  if (!v || typeof v !== 'object') return null;
  const a = v as Partial<PollAnswer>;
  return typeof a.sid === 'string' && typeof a.cursor === 'number' && Array.isArray(a.frames) ? (a as PollAnswer) : null;
}
