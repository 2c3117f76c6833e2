/** A whole HTTP exchange, or why there was none. Never a thrown error. */
export type HttpResult =
  | { ok: true; status: number; headers: Headers; text: string }
  | { ok: false; timedOut: boolean; aborted: boolean; error: unknown };

/**
 * One request with fetch, body read in full, within `timeoutMs`, cancelled when `parent`
 * aborts (the connection closed). The timer is ours and always cleared, so nothing of it
 * outlives the call.
 */
export async function httpRequest(url: string, init: RequestInit, timeoutMs: number, parent: AbortSignal): Promise<HttpResult> {
  const ac = new AbortController();
  let timedOut = false;
  const onAbort = (): void => ac.abort();
  if (parent.aborted) ac.abort();
  else parent.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    ac.abort();
  }, timeoutMs);
  try {
    const res = await fetch(url, { ...init, signal: ac.signal });
    const text = await res.text();
    return { ok: true, status: res.status, headers: res.headers, text };
  } catch (error) {
    return { ok: false, timedOut, aborted: parent.aborted, error };
  } finally {
    clearTimeout(timer);
    parent.removeEventListener('abort', onAbort);
  }
}

/** JSON of a response body, or null when it is not JSON. */
export function jsonBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** The `error` field of a JSON error body, or a fallback. */
export function errorMessage(text: string, fallback: string): string {
  const body = jsonBody(text);
  const msg = body && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  return typeof msg === 'string' ? msg : fallback;
}
