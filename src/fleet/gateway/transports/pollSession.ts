import type { ServerResponse } from 'node:http';
import type { CloseReason } from '../ops/gatewayMetrics';
import type { OutFrame, SessionHost } from '../session';
import { Session } from '../session';

const MAX_FRAMES_PER_ANSWER = 1000;

/**
 * A long-polling session. Frames queue with a running cursor; a poll takes every
 * frame after the cursor it sends, so an answer lost on the way is fetched again.
 */
export class PollSession extends Session {
  private queue: { n: number; json: string }[] = [];
  private queuedBytes = 0;
  private nextN = 1;
  private waiting: { res: ServerResponse; timer: NodeJS.Timeout } | null = null;
  /** When the last poll ended (or the session opened): a session not polled for two holds is a zombie. */
  private lastPollEnd = Date.now();
  private drainHint: number | null = null;

  constructor(
    host: SessionHost,
    sid: string,
    user: string,
    readonly holdMs: number,
    /** Remembers the hint for a poll that comes after the session is gone. */
    private readonly onDrained: (sid: string, reconnectAfterMs: number) => void = () => {},
  ) {
    super(host, sid, user, 'longpoll');
  }

  bufferedBytes(): number {
    return this.queuedBytes;
  }

  protected write(frame: OutFrame): void {
    this.queue.push({ n: this.nextN++, json: frame.text });
    this.queuedBytes += frame.text.length;
    if (this.waiting) this.flush();
  }

  /** Answers the first request of a session at once. */
  open(res: ServerResponse): void {
    this.answer(res);
  }

  /** A poll: drop what the client has (≤ cursor), answer now if there is more, else hold. */
  poll(res: ServerResponse, cursor: number): void {
    this.lastActive = Date.now();
    this.missed = 0;
    while (this.queue.length && this.queue[0].n <= cursor) this.queuedBytes -= this.queue.shift()!.json.length;
    if (this.waiting) this.flush();
    if (this.drainHint !== null) return refuseDraining(res, this.drainHint);
    if (this.queue.length) return this.answer(res);
    const timer = setTimeout(() => this.flush(), this.holdMs);
    this.waiting = { res, timer };
    res.on('close', () => {
      if (this.waiting?.res === res) {
        clearTimeout(this.waiting.timer);
        this.waiting = null;
        this.lastPollEnd = Date.now();
      }
    });
  }

  private flush(): void {
    const w = this.waiting;
    if (!w) return;
    this.waiting = null;
    clearTimeout(w.timer);
    this.answer(w.res);
  }

  private answer(res: ServerResponse): void {
    const frames = this.queue.slice(0, MAX_FRAMES_PER_ANSWER);
    const cursor = frames.length ? frames[frames.length - 1].n : this.nextN - 1;
    const body = `{"sid":${JSON.stringify(this.sid)},"cursor":${cursor},"frames":[${frames.map((f) => f.json).join(',')}]}`;
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(body);
    this.lastPollEnd = Date.now();
  }

  heartbeat(): boolean {
    if (this.waiting) return true;
    return Date.now() - this.lastPollEnd < 2 * this.holdMs;
  }

  notifyDrain(reconnectAfterMs: number): void {
    this.send({ type: 'drain', reconnectAfterMs });
  }

  destroy(): void {
    this.waiting?.res.destroy();
    this.waiting = null;
  }

  protected terminate(reason: CloseReason, reconnectAfterMs: number): void {
    this.drainHint = reconnectAfterMs;
    if (reason === 'drain' || reason === 'shutdown') this.onDrained(this.sid, reconnectAfterMs);
    const w = this.waiting;
    this.waiting = null;
    if (!w) return;
    clearTimeout(w.timer);
    if (reason === 'drain' || reason === 'shutdown') refuseDraining(w.res, reconnectAfterMs);
    else w.res.destroy();
  }
}

export function refuseDraining(res: ServerResponse, reconnectAfterMs: number): void {
  res.writeHead(503, { 'content-type': 'application/json', 'retry-after': String(Math.max(1, Math.ceil(reconnectAfterMs / 1000))) });
  res.end(JSON.stringify({ error: 'draining', reconnectAfterMs }));
}
