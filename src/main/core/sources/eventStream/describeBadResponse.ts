/** Chars of an error body quoted in the error message. */
const SNIPPET_CHARS = 200;
/** Bytes of an error body read at most to find those chars (a hostile body may be endless). */
const SNIPPET_MAX_BYTES = 4096;
/** Chars of a `Location` or `Content-Type` header quoted at most. */
const HEADER_CHARS = 200;

/**
 * Why a response to `GET /events` cannot be read as an event stream, or null when it
 * can (status 200 and a `text/event-stream` content type). Never follows redirects:
 * a 3xx is an error naming its `Location`, because following it would hand our bearer
 * token to wherever it points. For other statuses the message quotes the first 200
 * chars of the body, reading at most 4 KiB of it. The body of a rejected response is
 * cancelled, which releases the connection.
 */
export async function describeBadResponse(res: Response): Promise<string | null> {
  if (res.status >= 300 && res.status < 400) {
    await discard(res);
    const location = res.headers.get('location');
    const where = location === null ? 'no Location header' : `Location ${clip(location, HEADER_CHARS)}`;
    return `redirect ${res.status} to ${where}; not followed (the token is only sent to the configured URL)`;
  }
  if (res.status !== 200) {
    const snippet = await readSnippet(res);
    return `HTTP ${res.status}${snippet ? `: ${snippet}` : ''}`;
  }
  const type = res.headers.get('content-type');
  if (type === null || !/^\s*text\/event-stream\b/i.test(type)) {
    await discard(res);
    return `unexpected content-type ${type === null ? '(none)' : `"${clip(type, HEADER_CHARS)}"`}, expected text/event-stream`;
  }
  if (res.body === null) return 'response has no body';
  return null;
}

async function readSnippet(res: Response): Promise<string> {
  if (res.body === null) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  try {
    while (text.length < SNIPPET_CHARS && bytes < SNIPPET_MAX_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  // Control chars from a hostile body must not reach logs or the UI as such.
  // eslint-disable-next-line no-control-regex -- matching control chars is the point
  return clip(text, SNIPPET_CHARS).replace(/[\x00-\x1f\x7f]+/g, ' ').trim();
}

async function discard(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => undefined);
}

function clip(s: string, n: number): string {
  return s.length > n ? s.slice(0, n) : s;
}
