export type { BridgeStatus, StatusSource } from './bridgeStatus';
export { ALWAYS_OPEN } from './bridgeStatus';
export type { BridgeChoice, BridgeEnvironment } from './chooseBridge';
export { chooseBridge } from './chooseBridge';
export { takeTokenFromLocation, TOKEN_STORAGE_KEY } from './tokenFromLocation';
export type { HistoryLike, LocationLike, StorageLike } from './tokenFromLocation';
export type { SocketFactory, WebSocketLike } from './webSocketLike';
export { BRIDGE_PROTOCOL, BRIDGE_PROTOCOL_PREFIX, WsBridge } from './wsBridge';
export type { ProbeAnswer, WsBridgeOptions } from './wsBridge';
