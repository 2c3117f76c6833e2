import { formatBytes } from './inventoryError';

/** Limits of one GET. */
export interface CappedFetchOptions {
  headers?: Record<string, string>;
  /** Whole exchange, body included, in ms. */
  timeoutMs: number;
  /** Largest body read; a bigger one is abandoned. */
  maxBytes: number;
}

/** The answer (any status), or why there is none, phrased to follow the URL. */
export type CappedFetchResult =
  | { ok: true; status: number; text: string; location: string | null }
  | { ok: false; problem: string };

/**
 * GETs `url` with a deadline and a body cap. Redirects are not followed (they would carry
 * the Authorization header elsewhere): a 3xx comes back as is, with its Location.
 */
export async function cappedFetch(url: string, opts: CappedFetchOptions): Promise<CappedFetchResult> {
  const signal = AbortSignal.timeout(opts.timeoutMs);
  try {
    const res = await fetch(url, { headers: opts.headers, signal, redirect: 'manual' });
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > opts.maxBytes) {
      await res.body?.cancel();
      return { ok: false, problem: `answer is larger than ${formatBytes(opts.maxBytes)} (${declared} bytes)` };
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > opts.maxBytes) {
          await reader.cancel();
          return { ok: false, problem: `answer is larger than ${formatBytes(opts.maxBytes)}` };
        }
        chunks.push(value);
      }
    }
    const text = new TextDecoder().decode(Buffer.concat(chunks));
    return { ok: true, status: res.status, text, location: res.headers.get('location') };
  } catch (err) {
    if (signal.aborted) return { ok: false, problem: `no complete answer within ${opts.timeoutMs} ms` };
    const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
    const code = typeof cause?.code === 'string' ? cause.code : null;
    const detail = code ?? (typeof cause?.message === 'string' ? cause.message : (err as Error).message);
    return { ok: false, problem: `request failed (${detail})` };
  }
}
