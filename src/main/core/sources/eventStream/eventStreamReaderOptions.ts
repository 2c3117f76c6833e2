import { DEFAULT_BACKOFF } from './backoffDelay';
import type { BackoffOptions } from './backoffDelay';
import type { StreamEvent } from './streamEvent';
import type { StreamStatus } from './streamStatus';

/** Options of an {@link EventStreamReader}. Durations in milliseconds, sizes in bytes. */
export interface EventStreamReaderOptions {
  /** The full `/events` URL, e.g. `http://127.0.0.1:9464/events`. */
  url: string;
  /** Read token sent as `Authorization: Bearer <token>`, or null to send none. */
  token: string | null;
  /** Gets every event whose data is JSON. Exceptions are caught and reported in `lastError`. */
  onEvent: (e: StreamEvent) => void;
  /** Gets a status snapshot on every state change. Exceptions are caught. */
  onStatus?: (s: StreamStatus) => void;
  /** Drop a connection on which nothing at all arrived for this long. Default 15 000: three 5 s heartbeat periods. */
  idleTimeoutMs?: number;
  /** Largest `data` of one event (UTF-8 bytes). Default 256 KiB. */
  maxEventBytes?: number;
  /** Most bytes received without completing an event (an endless line, a never-ending event). Default 1 MiB. */
  maxPendingBytes?: number;
  backoff?: BackoffOptions;
  /** From sending the request to a usable response (headers checked, error body quoted). Default 10 000. */
  connectTimeoutMs?: number;
  /** Jitter source in [0, 1); injectable for tests. Default `Math.random`. */
  random?: () => number;
  fetchImpl?: typeof fetch;
}

/** {@link EventStreamReaderOptions} with every default filled in and checked. */
export type ResolvedReaderOptions = Required<Omit<EventStreamReaderOptions, 'onStatus' | 'backoff'>> &
  Pick<EventStreamReaderOptions, 'onStatus'> & { backoff: Required<BackoffOptions> };

/**
 * Fills in the defaults and rejects what cannot work (a non-http(s) URL, a size or
 * duration that is not a positive number) with an error naming the option.
 */
export function resolveReaderOptions(options: EventStreamReaderOptions): ResolvedReaderOptions {
  const url = new URL(options.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`EventStreamReader: url must be http(s), got ${url.protocol}`);
  return {
    url: url.href,
    token: options.token,
    onEvent: options.onEvent,
    onStatus: options.onStatus,
    idleTimeoutMs: positive('idleTimeoutMs', options.idleTimeoutMs, 15_000),
    maxEventBytes: positive('maxEventBytes', options.maxEventBytes, 256 * 1024),
    maxPendingBytes: positive('maxPendingBytes', options.maxPendingBytes, 1024 * 1024),
    connectTimeoutMs: positive('connectTimeoutMs', options.connectTimeoutMs, 10_000),
    random: options.random ?? Math.random,
    fetchImpl: options.fetchImpl ?? ((input, init) => fetch(input, init)),
    backoff: {
      baseMs: positive('backoff.baseMs', options.backoff?.baseMs, DEFAULT_BACKOFF.baseMs),
      maxMs: positive('backoff.maxMs', options.backoff?.maxMs, DEFAULT_BACKOFF.maxMs),
    },
  };
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`EventStreamReader: ${name} must be a positive number, got ${value}`);
  return value;
}
