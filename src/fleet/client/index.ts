// The client SDK's door: everything an integrator, the traffic simulator or a test uses.
export { RealtimeClient } from './realtimeClient';
export type { ClientEvents } from './clientEvents';
export type { ClientMessage, ClientOptions, ClientState, ClientTransport } from './clientOptions';
export type { PublishResult } from './publishQueue';
export { backoffDelay } from './backoff';
