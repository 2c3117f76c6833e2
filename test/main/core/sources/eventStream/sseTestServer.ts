import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a test server received. Times are `Date.now()` ms. */
export interface SeenRequest {
  headers: IncomingHttpHeaders;
  at: number;
  /** When the connection closed (either side), or null while open. */
  closedAt: number | null;
}

/** A real HTTP server on 127.0.0.1 that a test scripts, with a record of what it saw. */
export interface SseTestServer {
  /** `http://127.0.0.1:<port>/events` */
  url: string;
  port: number;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/**
 * Starts a server whose handler gets each request with its index (0 for the first).
 * Handlers clean up their own timers on `res.on('close')`; `close()` cuts every
 * connection still open.
 */
export async function startSseServer(handler: (req: IncomingMessage, res: ServerResponse, index: number) => void): Promise<SseTestServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const seen: SeenRequest = { headers: req.headers, at: Date.now(), closedAt: null };
    requests.push(seen);
    res.on('close', () => {
      seen.closedAt = Date.now();
    });
    handler(req, res, requests.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/events`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Writes SSE response headers and flushes them, so the reader sees the stream open. */
export function sseHeaders(res: ServerResponse, contentType = 'text/event-stream; charset=utf-8'): void {
  res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.flushHeaders();
}

/** Writes to `res` every `ms` until the connection closes; `next` returns the text or null to stop. */
export function every(res: ServerResponse, ms: number, next: (i: number) => string | null): void {
  let i = 0;
  const t = setInterval(() => {
    const text = next(i++);
    if (text === null) clearInterval(t);
    else res.write(text);
  }, ms);
  res.on('close', () => clearInterval(t));
}
