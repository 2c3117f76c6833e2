import type { ClientTransport } from './clientOptions';
import type { ConnectionOpener } from './connection';
import { PollConnection } from './pollConnection';
import { SseConnection } from './sseConnection';
import { WsConnection } from './wsConnection';

/** How each transport opens a connection: the client picks by name, never by class. */
export const OPENERS: Record<ClientTransport, ConnectionOpener> = {
  ws: (p, h) => new WsConnection(p, h),
  sse: (p, h) => new SseConnection(p, h),
  longpoll: (p, h) => new PollConnection(p, h),
};
