import { CHANNEL_RE, USER_RE } from '../protocol/frames';

/** How a client talks to a node, best first: WebSocket, Server-Sent Events, long polling. */
export type ClientTransport = 'ws' | 'sse' | 'longpoll';

/**
 * Connection state of a {@link RealtimeClient}. `connecting` until the first connection is
 * up, `reconnecting` while a lost connection is being replaced, `closed` after `close()`.
 */
export type ClientState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** A channel message as delivered to the application: once, in seq order per channel. */
export interface ClientMessage {
  channel: string;
  /** Per-channel sequence number, total across the fleet; 0 for an ephemeral message. */
  seq: number;
  data: unknown;
  /** Wall-clock ms when the server accepted the publish. */
  ts: number;
  /** Publish id (the publisher's idempotency key). */
  id: string;
}

/** What a {@link RealtimeClient} is told at construction. Durations in ms. */
export interface ClientOptions {
  /** Client-port base URLs of the fleet's nodes, e.g. `['http://127.0.0.1:8080']`. */
  urls: string[];
  user: string;
  /** Channels subscribed on every (re)connect. */
  channels?: string[];
  /** Transports in order of preference; default `['ws', 'sse', 'longpoll']`. */
  transports?: ClientTransport[];
  /** Reconnect backoff: full jitter over `min(maxMs, baseMs·2^attempt)`; defaults 250 / 10 000. */
  backoff?: { baseMs?: number; maxMs?: number };
  /** How long a publish is retried before it is rejected; default 10 000. */
  publishTimeoutMs?: number;
  /** How long one transport may take to deliver its welcome frame; default 5 000. */
  connectTimeoutMs?: number;
}

/** {@link ClientOptions} checked, with every default filled in. */
export interface ResolvedOptions {
  urls: string[];
  user: string;
  channels: string[];
  transports: ClientTransport[];
  backoff: { baseMs: number; maxMs: number };
  publishTimeoutMs: number;
  connectTimeoutMs: number;
}

const TRANSPORTS: readonly ClientTransport[] = ['ws', 'sse', 'longpoll'];

/** Throws an Error naming the channel when it is not a valid channel name. */
export function checkChannel(channel: string, where: string): void {
  if (typeof channel !== 'string' || !CHANNEL_RE.test(channel)) {
    throw new Error(`${where}: channel ${JSON.stringify(channel)} must match [A-Za-z0-9_.:-]{1,128}`);
  }
}

/** Checks the options and fills in defaults; throws an Error naming the first bad field. */
export function resolveOptions(opts: ClientOptions): ResolvedOptions {
  if (!Array.isArray(opts.urls) || opts.urls.length === 0) throw new Error('options.urls: at least one node URL is required');
  const urls = opts.urls.map((u, i) => {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      throw new Error(`options.urls[${i}]: ${JSON.stringify(u)} is not a URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`options.urls[${i}]: ${JSON.stringify(u)} must be http: or https:`);
    // Base URLs are joined with "/ws", "/sse", ...: no trailing slash.
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;
  });
  if (typeof opts.user !== 'string' || !USER_RE.test(opts.user)) throw new Error(`options.user: ${JSON.stringify(opts.user)} must match [A-Za-z0-9_.@-]{1,64}`);
  const channels = [...new Set(opts.channels ?? [])];
  channels.forEach((c, i) => checkChannel(c, `options.channels[${i}]`));
  const transports = opts.transports ?? [...TRANSPORTS];
  if (transports.length === 0) throw new Error('options.transports: at least one transport is required');
  const unknown = transports.find((t) => !TRANSPORTS.includes(t));
  if (unknown !== undefined) throw new Error(`options.transports: unknown transport ${JSON.stringify(unknown)}; use ws, sse or longpoll`);
  const baseMs = positive(opts.backoff?.baseMs ?? 250, 'options.backoff.baseMs');
  const maxMs = positive(opts.backoff?.maxMs ?? 10_000, 'options.backoff.maxMs');
  return {
    urls,
    user: opts.user,
    channels,
    transports: [...new Set(transports)],
    backoff: { baseMs, maxMs: Math.max(baseMs, maxMs) },
    publishTimeoutMs: positive(opts.publishTimeoutMs ?? 10_000, 'options.publishTimeoutMs'),
    connectTimeoutMs: positive(opts.connectTimeoutMs ?? 5_000, 'options.connectTimeoutMs'),
  };
}

function positive(n: number, name: string): number {
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) throw new Error(`${name}: ${String(n)} must be a positive number of ms`);
  return n;
}
