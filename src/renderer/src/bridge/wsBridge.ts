import type { ConsoleApi, InventoryInfo, LiveFrame, Result, SeriesRequest, SeriesWindow, TimelineEvent, TimelineQuery } from '../../../shared/api';
import type { BridgeMessage, OperationName, Operations } from '../../../shared/bridge';
import type { BridgeStatus, StatusSource } from './bridgeStatus';
import type { SocketFactory, WebSocketLike } from './webSocketLike';
import { SOCKET_OPEN } from './webSocketLike';

export interface WsBridgeOptions {
  /** `ws://<host>/bridge`. */
  url: string;
  /** The session token; it travels as the subprotocol `switchboard.<token>` (never echoed back: see below). */
  token: string;
  createSocket: SocketFactory;
  /** First retry after a drop (ms); doubles per failed attempt up to `maxRetryMs`. */
  initialRetryMs?: number;
  maxRetryMs?: number;
  /** A request without an answer after this long resolves as `unavailable`. */
  requestTimeoutMs?: number;
  /**
   * Asks the server, over plain HTTP, whether it takes our token. A browser cannot tell
   * a refused WebSocket handshake from a server that is gone (both close with 1006);
   * this can. Without it, a link that never opened is taken as refused.
   */
  probe?: () => Promise<ProbeAnswer>;
}

/** What the server says about our token: takes it, refuses it, or does not answer. */
export type ProbeAnswer = 'accepted' | 'refused' | 'unreachable';

/** Subprotocol prefix that carries the token. */
export const BRIDGE_PROTOCOL_PREFIX = 'switchboard.';
/**
 * Plain subprotocol offered beside the token one: a server that accepts the token
 * selects this one, so the token is not echoed back in the handshake answer.
 */
export const BRIDGE_PROTOCOL = 'switchboard';

/** Close codes by which a server says "not you" rather than "not now". */
const REFUSED_CODES = new Set([1008, 4001, 4003, 4401, 4403]);

interface Pending {
  resolve: (r: Result<unknown>) => void;
  timer: ReturnType<typeof setTimeout>;
}

const unavailable = (message: string): { ok: false; code: 'unavailable'; message: string } => ({ ok: false, code: 'unavailable', message });

/**
 * The console API over the serve-mode WebSocket bridge: `{id, op, arg}` requests,
 * `{kind:'result'}` answers and pushed `{kind:'frame'}` frames (src/shared/bridge.ts).
 * Reconnects with exponential backoff when the socket drops; requests never hang
 * (answered `unavailable` when the link is down or an answer is late) and never throw.
 */
export class WsBridge implements ConsoleApi, StatusSource {
  private socket: WebSocketLike | null = null;
  private current: BridgeStatus = { state: 'connecting', attempt: 1 };
  private readonly pending = new Map<number, Pending>();
  private readonly frameListeners = new Set<(f: LiveFrame) => void>();
  private readonly statusListeners = new Set<(s: BridgeStatus) => void>();
  private nextId = 1;
  /** Failed attempts in a row (0 while open). */
  private failures = 0;
  private everOpened = false;
  private lostSince: number | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(private readonly o: WsBridgeOptions) {}

  /** Opens the first connection. */
  start(): void {
    this.connect();
  }

  /** Closes for good: no more retries; pending requests resolve `unavailable`. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const s = this.socket;
    this.socket = null;
    s?.close(1000, 'closing');
    this.failPending('the console page closed the bridge');
  }

  status(): BridgeStatus {
    return this.current;
  }

  onStatus(fn: (s: BridgeStatus) => void): () => void {
    this.statusListeners.add(fn);
    return () => this.statusListeners.delete(fn);
  }

  retryNow(): void {
    if (!this.stopped && this.socket === null) this.connect();
  }

  // ---- ConsoleApi ----

  getSeries(req: SeriesRequest): Promise<Result<SeriesWindow>> {
    return this.call<SeriesWindow>('getSeries', req);
  }

  getTimeline(q: TimelineQuery): Promise<Result<TimelineEvent[]>> {
    return this.call<TimelineEvent[]>('getTimeline', q);
  }

  getInventory(): Promise<Result<InventoryInfo>> {
    return this.call<InventoryInfo>('getInventory', undefined);
  }

  readonly previewAction = this.op('previewAction');
  readonly confirmAction = this.op('confirmAction');
  readonly abortAction = this.op('abortAction');
  readonly previewRollout = this.op('previewRollout');
  readonly startRollout = this.op('startRollout');
  readonly controlRollout = this.op('controlRollout');
  readonly getActions = this.op('getActions');
  readonly getAudit = this.op('getAudit');
  readonly saveFlightRecording = this.op('saveFlightRecording');
  readonly startRecording = this.op('startRecording');
  readonly stopRecording = this.op('stopRecording');
  readonly listRecordings = this.op('listRecordings');
  readonly openRecording = this.op('openRecording');
  readonly closeRecording = this.op('closeRecording');
  readonly controlPlayback = this.op('controlPlayback');
  readonly getMarks = this.op('getMarks');
  readonly editBookmark = this.op('editBookmark');
  readonly setFocus = this.op('setFocus');

  /** An operation as a function: its one argument goes over the bridge; main validates it. */
  private op<K extends OperationName>(name: K): Operations[K] {
    return ((arg?: unknown) => this.call(name, arg)) as Operations[K];
  }

  onFrame(fn: (frame: LiveFrame) => void): () => void {
    this.frameListeners.add(fn);
    return () => this.frameListeners.delete(fn);
  }

  // ---- the link ----

  private connect(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (this.stopped) return;
    this.setStatus({ state: 'connecting', attempt: this.failures + 1 });
    let socket: WebSocketLike;
    try {
      socket = this.o.createSocket(this.o.url, [BRIDGE_PROTOCOL, `${BRIDGE_PROTOCOL_PREFIX}${this.o.token}`]);
    } catch (err) {
      this.dropped(false, 0, err instanceof Error ? err.message : String(err));
      return;
    }
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      opened = true;
      this.everOpened = true;
      this.failures = 0;
      this.lostSince = null;
      this.setStatus({ state: 'open', since: Date.now() });
    };
    socket.onmessage = (ev) => {
      if (this.socket === socket) this.receive(ev.data);
    };
    // A close event always follows an error; the close handler decides what happens.
    socket.onerror = () => {};
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.failPending('the link to the console dropped');
      this.dropped(opened, ev.code, ev.reason);
    };
  }

  private dropped(opened: boolean, code: number, reason: string): void {
    if (this.stopped) return;
    this.failures++;
    const delay = this.retryDelay();
    const retryAt = Date.now() + delay;
    const attempt = this.failures;
    const refused = (why: string): BridgeStatus => ({ state: 'refused', retryAt, attempt, reason: why || 'the console did not accept this page’s session token' });
    // Told so explicitly, or never in at all with no way to ask: the link is the problem.
    if (REFUSED_CODES.has(code) || (!opened && !this.everOpened && !this.o.probe)) this.setStatus(refused(reason));
    else {
      this.lostSince ??= Date.now();
      this.setStatus({ state: 'lost', retryAt, attempt, since: this.lostSince, lastError: describeClose(code, reason) });
      // A handshake that failed may be a refusal (a restarted console has a new token): ask.
      if (!opened && this.o.probe) {
        void this.o.probe().then((answer) => {
          if (answer === 'refused' && !this.stopped && this.socket === null && this.failures === attempt) this.setStatus(refused(''));
        });
      }
    }
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private retryDelay(): number {
    const initial = this.o.initialRetryMs ?? 500;
    const max = this.o.maxRetryMs ?? 10_000;
    const base = Math.min(max, initial * 2 ** Math.min(this.failures - 1, 16));
    // ±20% so many open consoles do not come back in lockstep after a restart.
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (!isBridgeMessage(msg)) return;
    if (msg.kind === 'frame') {
      for (const fn of this.frameListeners) {
        try {
          fn(msg.frame);
        } catch (err) {
          // One broken view must not starve the others of frames.
          console.error('switchboard: a frame listener failed', err);
        }
      }
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(msg.id);
    p.resolve(msg.result);
  }

  private call<T>(op: OperationName, arg: unknown): Promise<Result<T>> {
    const socket = this.socket;
    if (!socket || socket.readyState !== SOCKET_OPEN) return Promise.resolve(unavailable('not connected to the console'));
    const id = this.nextId++;
    const timeoutMs = this.o.requestTimeoutMs ?? 15_000;
    return new Promise<Result<T>>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(unavailable(`${op}: no answer from the console within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`));
      }, timeoutMs);
      // The core validated and typed the answer for this operation (src/shared/bridge.ts dispatch).
      this.pending.set(id, { resolve: (r) => resolve(r as Result<T>), timer });
      try {
        socket.send(JSON.stringify(arg === undefined ? { id, op } : { id, op, arg }));
      } catch (err) {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(unavailable(`${op}: ${err instanceof Error ? err.message : String(err)}`));
      }
    });
  }

  private failPending(message: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.resolve(unavailable(message));
    }
  }

  private setStatus(s: BridgeStatus): void {
    this.current = s;
    for (const fn of this.statusListeners) fn(s);
  }
}

function isBridgeMessage(m: unknown): m is BridgeMessage {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Record<string, unknown>;
  if (r.kind === 'frame') return typeof r.frame === 'object' && r.frame !== null;
  if (r.kind === 'result') return typeof r.id === 'number' && typeof r.result === 'object' && r.result !== null;
  return false;
}

function describeClose(code: number, reason: string): string {
  if (reason) return reason;
  if (code === 1001) return 'the console is shutting down or restarting';
  if (code === 1006) return 'the connection was cut (no close frame)';
  if (code === 1011) return 'the console hit an internal error';
  return code ? `closed with code ${code}` : 'the connection could not be opened';
}
