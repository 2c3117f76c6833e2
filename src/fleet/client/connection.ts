import type { ServerFrame } from '../protocol/frames';
import type { ClientTransport } from './clientOptions';

/** The `welcome` frame: first frame of every connection. */
export type WelcomeFrame = Extract<ServerFrame, { type: 'welcome' }>;

/**
 * Why a connection ended (or never came up):
 * - `unreachable`: the node could not be reached or the link broke (refused, reset,
 *   silence) → try the next node;
 * - `unavailable`: the node said it cannot keep or take us (drain, shutdown, full) →
 *   avoid it for a while;
 * - `transport`: the node was reached but this transport does not work on the way
 *   (non-101 answer to an upgrade, no event stream, no welcome in time) → next transport;
 * - `too_large`: the server closed a WebSocket because a frame was over its size limit.
 */
export type EndKind = 'unreachable' | 'unavailable' | 'transport' | 'too_large';

/** How a connection ended; reported once, never after `close()`. */
export interface ConnectionEnd {
  /** Whether the welcome frame had arrived. */
  opened: boolean;
  kind: EndKind;
  /** The server's reconnect hint (SSE `retry:`, long-poll 503), or null. */
  retryAfterMs: number | null;
  message: string;
}

/** Where and how to open a connection. */
export interface OpenParams {
  baseUrl: string;
  user: string;
  /** Channels with their resume positions (undefined: from now). Used by sse and longpoll. */
  channels: ReadonlyArray<readonly [string, number | undefined]>;
  connectTimeoutMs: number;
}

/** What a connection reports. Frames arrive in order; `welcome` comes through `open`. */
export interface ConnectionHandlers {
  open(welcome: WelcomeFrame): void;
  frame(frame: ServerFrame): void;
  end(end: ConnectionEnd): void;
}

/** A publish as sent on the wire; its outcome comes back as an `ack` or `error` frame with `ref`. */
export interface WirePublish {
  channel: string;
  data: unknown;
  id: string;
  ref: string;
  ephemeral: boolean;
}

/** One connection to one node over one transport. */
export interface Connection {
  readonly transport: ClientTransport;
  readonly baseUrl: string;
  /**
   * Capability: subscriptions can change on the open connection (WebSocket). Without it
   * (SSE, long polling) the channel list is fixed when the connection opens.
   */
  readonly liveSubscribe: boolean;
  subscribe(channel: string, since: number | undefined): void;
  unsubscribe(channel: string): void;
  publish(p: WirePublish): void;
  presence(state: 'online' | 'away'): void;
  /** Ends the connection and everything it started; no handler is called afterwards. */
  close(): Promise<void>;
}

/** Opens a connection; it reports through `handlers` (never synchronously). */
export type ConnectionOpener = (params: OpenParams, handlers: ConnectionHandlers) => Connection;

/** Socket errors that say the node itself is out of reach, not this transport. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ETIMEDOUT', 'EADDRNOTAVAIL']);

/** Whether an error (or, for fetch, its `cause`) says the node could not be reached. */
export function isUnreachable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  }
  return false;
}

/** A readable message for an error, including a fetch error's cause. */
export function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
}

/** `Retry-After` in ms (delta-seconds form), or null. */
export function retryAfterMs(header: string | null | undefined): number | null {
  if (!header) return null;
  const s = Number(header);
  return Number.isFinite(s) && s >= 0 ? s * 1000 : null;
}

/** Query string of an SSE or long-poll open: `user`, `channels` and `since` positions. */
export function openQuery(p: OpenParams): string {
  const q = new URLSearchParams({ user: p.user });
  if (p.channels.length > 0) q.set('channels', p.channels.map(([c]) => c).join(','));
  const since = p.channels.filter(([, s]) => s !== undefined).map(([c, s]) => `${c}:${s}`);
  if (since.length > 0) q.set('since', since.join(','));
  return q.toString();
}

/** Parses one JSON frame; null when it is not an object with a string `type`. */
export function parseFrame(text: string): ServerFrame | null {
  try {
    const f: unknown = JSON.parse(text);
    return f !== null && typeof f === 'object' && typeof (f as { type?: unknown }).type === 'string' ? (f as ServerFrame) : null;
  } catch {
    return null;
  }
}
