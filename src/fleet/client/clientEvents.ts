import type { ClientMessage, ClientState } from './clientOptions';

/** Events of a {@link RealtimeClient} and what their listeners receive. */
export interface ClientEvents {
  message: ClientMessage;
  state: ClientState;
  /** Messages `from..to` of `channel` are gone from history and will never be delivered. */
  gap: { channel: string; from: number; to: number };
  /** The node asked the client to move; it reconnects elsewhere after `reconnectAfterMs`. */
  drain: { node: string | null; reconnectAfterMs: number };
  /** Something went wrong that the client handles by itself (reported for logs). */
  error: Error;
}
