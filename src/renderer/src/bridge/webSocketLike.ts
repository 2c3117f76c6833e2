/**
 * The part of a WebSocket the bridge uses. The browser's `WebSocket` and the `ws`
 * package's client both fit it, so tests drive the real client code against a real
 * server from Node.
 */

/** Method syntax keeps the handler parameters bivariant, so `MessageEvent` and `ws`'s own event both fit. */
interface Handlers {
  open(ev: unknown): void;
  message(ev: { data: unknown }): void;
  close(ev: { code: number; reason: string }): void;
  error(ev: unknown): void;
}

export interface WebSocketLike {
  readonly readyState: number;
  onopen: Handlers['open'] | null;
  onmessage: Handlers['message'] | null;
  onclose: Handlers['close'] | null;
  onerror: Handlers['error'] | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Opens a socket to `url` offering `protocols` (the session token travels in one of them). */
export type SocketFactory = (url: string, protocols: string[]) => WebSocketLike;

/** `WebSocket.OPEN`, without relying on the static being present on every implementation. */
export const SOCKET_OPEN = 1;
