import { contentTypeToFormat, parseExposition } from '../metrics/parseExposition';
import type { Exposition } from '../metrics/types';

/** What the console asks for: OpenMetrics first, then text 0.0.4 (as Prometheus does). */
export const SCRAPE_ACCEPT = 'application/openmetrics-text;version=1.0.0;q=0.9,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

export interface ScrapeOptions {
  token: string | null;
  timeoutMs: number;
  /** Largest (decompressed) body accepted. */
  maxBodyBytes: number;
  signal?: AbortSignal;
}

export const DEFAULT_SCRAPE: Omit<ScrapeOptions, 'token'> = { timeoutMs: 10_000, maxBodyBytes: 16 * 1024 * 1024 };

export type ScrapeOutcome =
  | { ok: true; exposition: Exposition; at: number; durationMs: number; bytes: number; samples: number }
  | { ok: false; error: string; at: number; durationMs: number };

/**
 * One scrape of a `/metrics` URL: bearer token, `Accept` negotiation, gzip (fetch
 * decompresses), a timeout, a body cap enforced while reading (an endless body costs at
 * most the cap), no redirects (never carry the token elsewhere), then our own parser.
 * Never throws: every failure is an outcome with one sentence naming what went wrong.
 */
export async function fetchMetrics(url: string, o: ScrapeOptions): Promise<ScrapeOutcome> {
  const at = Date.now();
  const done = (error: string): ScrapeOutcome => ({ ok: false, error, at, durationMs: Date.now() - at });
  const timeout = AbortSignal.timeout(o.timeoutMs);
  const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { accept: SCRAPE_ACCEPT, 'accept-encoding': 'gzip', ...(o.token ? { authorization: `Bearer ${o.token}` } : {}) },
      redirect: 'manual',
      signal,
    });
  } catch (err) {
    return done(describeFetchError(err, o.timeoutMs));
  }
  try {
    if (res.status >= 300 && res.status < 400) return done(`redirected (${res.status}) to ${res.headers.get('location') ?? '(no Location)'}; not followed`);
    if (res.status !== 200) return done(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${await snippet(res)}`);
    const format = contentTypeToFormat(res.headers.get('content-type'));
    if (!format.ok) {
      await res.body?.cancel().catch(() => {});
      return done(format.message);
    }
    const body = await readCapped(res, o.maxBodyBytes);
    if (typeof body !== 'string') return done(body.error);
    const parsed = parseExposition(body, { format: format.value });
    if (!parsed.ok) return done(`${format.value} parse error at ${parsed.error.message}`);
    let samples = 0;
    for (const f of parsed.value.families) samples += f.samples.length;
    return { ok: true, exposition: parsed.value, at, durationMs: Date.now() - at, bytes: body.length, samples };
  } catch (err) {
    return done(describeFetchError(err, o.timeoutMs));
  }
}

/** Reads a body as text, aborting past `cap` bytes. */
export async function readCapped(res: Response, cap: number): Promise<string | { error: string }> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel().catch(() => {});
      return { error: `response body exceeds the ${formatBytes(cap)} cap` };
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : `${n} bytes`;
}

async function snippet(res: Response): Promise<string> {
  const body = await readCapped(res, 4096).catch(() => '');
  const text = typeof body === 'string' ? body.replace(/\s+/g, ' ').trim().slice(0, 200) : '';
  return text ? `: ${text}` : '';
}

/** undici hides the useful part (`connect ECONNREFUSED 127.0.0.1:9464`) in `cause`; bring it out. */
export function describeFetchError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `no complete answer within ${timeoutMs} ms`;
  if (e.name === 'AbortError') return 'aborted';
  const cause = e.cause?.message ?? e.cause?.code;
  return `cannot fetch: ${cause ?? e.message ?? String(err)}`;
}
