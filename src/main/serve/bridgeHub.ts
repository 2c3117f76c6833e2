import type WebSocket from 'ws';
import type { ConsoleApi, LiveFrame, Result } from '../../shared/api';
import { OPERATION_NAMES, bridgeRequestSchema, dispatch } from '../../shared/bridge';
import type { BridgeMessage } from '../../shared/bridge';

/** Limits of the bridge; the defaults suit a browser on the same machine. */
export interface BridgeLimits {
  /** A socket with more than this many bytes unsent gets no new frame (latest wins). */
  maxFrameBufferedBytes: number;
  /** A socket with more than this many bytes unsent when an answer is due is dropped: answers cannot be skipped. */
  maxResultBufferedBytes: number;
  /** Invalid messages a socket may send before it is closed (1008). */
  maxInvalidMessages: number;
  /** Requests of one socket being answered at once; more are refused as `unavailable`. */
  maxInFlight: number;
}

export const DEFAULT_BRIDGE_LIMITS: BridgeLimits = {
  maxFrameBufferedBytes: 1024 * 1024,
  maxResultBufferedBytes: 8 * 1024 * 1024,
  maxInvalidMessages: 50,
  maxInFlight: 16,
};

/** What the bridge has done so far (monotonic counters). */
export interface BridgeCounters {
  framesSent: number;
  /** Frames not sent to a socket because it had not read the previous ones. */
  framesSkipped: number;
  requests: number;
  invalidMessages: number;
  /** Sockets closed for too many invalid messages or for not reading answers. */
  socketsDropped: number;
}

interface Peer {
  invalid: number;
  inFlight: number;
}

/** Id used in the answer to a message that carries no usable id. */
export const NO_ID = -1;

/**
 * The serve-mode bridge: answers `{id, op, arg}` requests with `dispatch` and pushes every
 * live frame to every open socket. Frames are subscribed from the API only while a socket
 * is open, serialized once per frame, and skipped for a socket that is behind, so a
 * client that stops reading costs at most about `maxFrameBufferedBytes` plus one frame.
 */
export class BridgeHub {
  readonly counters: BridgeCounters = { framesSent: 0, framesSkipped: 0, requests: 0, invalidMessages: 0, socketsDropped: 0 };
  private readonly peers = new Map<WebSocket, Peer>();
  private unsubscribe: (() => void) | null = null;
  /** The latest frame as sent, so a new socket has the current state at once. */
  private lastFrame: Buffer | null = null;

  constructor(
    private readonly api: ConsoleApi,
    private readonly limits: BridgeLimits = DEFAULT_BRIDGE_LIMITS,
    private readonly log: (line: string) => void = () => {},
  ) {}

  get socketCount(): number {
    return this.peers.size;
  }

  /** Bytes accepted for sending but not yet written to the network, over all sockets. */
  bufferedBytes(): number {
    let n = 0;
    for (const ws of this.peers.keys()) n += ws.bufferedAmount;
    return n;
  }

  /** Takes over an open, authorized socket. */
  add(ws: WebSocket): void {
    this.peers.set(ws, { invalid: 0, inFlight: 0 });
    ws.on('message', (data, isBinary) => {
      this.onMessage(ws, toBuffer(data), isBinary).catch((err: Error) => this.log(`bridge: ${err.message}`));
    });
    // ws reports protocol errors (an oversized message: it closes with 1009 itself) here;
    // without a listener they would be thrown.
    ws.on('error', () => {});
    ws.on('close', () => this.remove(ws));
    if (this.lastFrame) this.sendFrame(ws, this.lastFrame);
    this.unsubscribe ??= this.api.onFrame((f) => this.broadcast(f));
  }

  /**
   * Closes every socket (server shutdown) and stops listening for frames. A client that
   * does not answer the close within `graceMs` is cut off.
   */
  closeAll(code: number, reason: string, graceMs = 1000): void {
    for (const ws of [...this.peers.keys()]) {
      ws.close(code, reason);
      setTimeout(() => ws.terminate(), graceMs).unref();
      this.remove(ws);
    }
  }

  private remove(ws: WebSocket): void {
    if (!this.peers.delete(ws) || this.peers.size > 0) return;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.lastFrame = null;
  }

  private broadcast(frame: LiveFrame): void {
    const msg: BridgeMessage = { kind: 'frame', frame };
    const bytes = Buffer.from(JSON.stringify(msg));
    this.lastFrame = bytes;
    for (const ws of this.peers.keys()) this.sendFrame(ws, bytes);
  }

  private sendFrame(ws: WebSocket, bytes: Buffer): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > this.limits.maxFrameBufferedBytes) {
      this.counters.framesSkipped++;
      return;
    }
    ws.send(bytes, { binary: false });
    this.counters.framesSent++;
  }

  private async onMessage(ws: WebSocket, data: Buffer, isBinary: boolean): Promise<void> {
    const peer = this.peers.get(ws);
    if (!peer) return;
    if (isBinary) return this.invalid(ws, peer, NO_ID, 'binary messages are not accepted; send JSON text {id, op, arg}');
    let raw: unknown;
    try {
      raw = JSON.parse(data.toString('utf8'));
    } catch (err) {
      return this.invalid(ws, peer, NO_ID, `message is not valid JSON (${err instanceof Error ? err.message.slice(0, 120) : 'parse error'})`);
    }
    const id = idOf(raw);
    const parsed = bridgeRequestSchema.safeParse(raw);
    if (!parsed.success) return this.invalid(ws, peer, id, requestProblem(raw, parsed.error.issues[0]));
    if (peer.inFlight >= this.limits.maxInFlight) {
      return this.answer(ws, id, { ok: false, code: 'unavailable', message: `too many requests in flight (at most ${this.limits.maxInFlight}); wait for answers` });
    }
    this.counters.requests++;
    peer.inFlight++;
    const result = await dispatch(this.api, parsed.data.op, parsed.data.arg);
    peer.inFlight--;
    if (!result.ok && result.code === 'invalid') return this.invalid(ws, peer, id, result.message);
    this.answer(ws, id, result);
  }

  private invalid(ws: WebSocket, peer: Peer, id: number, message: string): void {
    this.counters.invalidMessages++;
    peer.invalid++;
    this.answer(ws, id, { ok: false, code: 'invalid', message });
    if (peer.invalid >= this.limits.maxInvalidMessages) {
      this.counters.socketsDropped++;
      this.log(`closing a bridge socket after ${peer.invalid} invalid messages`);
      ws.close(1008, 'too many invalid messages');
    }
  }

  private answer(ws: WebSocket, id: number, result: Result<unknown>): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > this.limits.maxResultBufferedBytes) {
      this.counters.socketsDropped++;
      this.log('dropping a bridge socket that does not read its answers');
      ws.terminate();
      return;
    }
    const msg: BridgeMessage = { kind: 'result', id, result };
    ws.send(JSON.stringify(msg));
  }
}

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** The request's id when it has a usable one, so even a rejected request can be matched. */
function idOf(raw: unknown): number {
  if (typeof raw !== 'object' || raw === null) return NO_ID;
  const id = (raw as { id?: unknown }).id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : NO_ID;
}

/** What is wrong with a message that is JSON but not a bridge request, in words. */
function requestProblem(raw: unknown, issue: { path: PropertyKey[]; message: string } | undefined): string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'message must be a JSON object {id, op, arg}';
  const op = (raw as { op?: unknown }).op;
  if (typeof op === 'string' && !(OPERATION_NAMES as readonly string[]).includes(op)) {
    return `unknown operation "${op.slice(0, 60)}"; one of ${OPERATION_NAMES.join(', ')}`;
  }
  if (!issue) return 'invalid request';
  return `${issue.path.map(String).join('.') || 'message'}: ${issue.message}`;
}
