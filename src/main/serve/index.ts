/**
 * Headless serve mode: the console core behind HTTP + WebSocket on 127.0.0.1, for a
 * browser. The door the CLI uses; files behind it may move.
 */
export { BRIDGE_PATH, ServeStartError, UPLOAD_PATH, startServeServer } from './serveServer';
export type { ServeServer, ServeServerOptions, ServeStats } from './serveServer';
export { BRIDGE_PROTOCOL, TOKEN_PROTOCOL_PREFIX } from './sessionToken';
export { DEFAULT_BRIDGE_LIMITS } from './bridgeHub';
export type { BridgeCounters, BridgeLimits } from './bridgeHub';
export { ensureRendererBuild } from './rendererBuild';
export type { BuildCheck, RendererBuildOptions } from './rendererBuild';
export { defaultDataDir, startConsole } from '../session/startConsole';
export type { ConsoleSpec, RunningConsole, SessionPlaces } from '../session/startConsole';
