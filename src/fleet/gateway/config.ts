import type { HistoryOptions } from './bus/bus';
import { DEFAULT_HISTORY } from './bus/bus';

/** Everything a gateway node can be told. Durations in ms unless the name says otherwise. */
export interface GatewayConfig {
  nodeId: string;
  region: string;
  version: string;
  host: string;
  /** Client port (0 = pick a free one). */
  port: number;
  opsHost: string;
  opsPort: number;
  /** Admin token for /admin/*; never optional. */
  adminToken: string;
  /** Read token for /metrics and /events; null disables auth there. */
  readToken: string | null;
  maxConnections: number;
  maxMessageBytes: number;
  maxBodyBytes: number;
  maxAdminBodyBytes: number;
  publishRatePerSecond: number;
  publishBurst: number;
  bufferCapBytes: number;
  maxChannelsPerConnection: number;
  heartbeatMs: number;
  longPollHoldMs: number;
  /** A user with no activity for this long goes away. */
  presenceIdleMs: number;
  presenceTtlMs: number;
  history: HistoryOptions;
  /** Events kept for /events replay. */
  eventLogSize: number;
  vitalsIntervalMs: number;
}

export const DEFAULT_CONFIG: Omit<GatewayConfig, 'nodeId' | 'adminToken'> = {
  region: 'local',
  version: '0.1.0',
  host: '127.0.0.1',
  port: 0,
  opsHost: '127.0.0.1',
  opsPort: 0,
  readToken: null,
  maxConnections: 10_000,
  maxMessageBytes: 64 * 1024,
  maxBodyBytes: 64 * 1024,
  maxAdminBodyBytes: 16 * 1024,
  publishRatePerSecond: 50,
  publishBurst: 100,
  bufferCapBytes: 1024 * 1024,
  maxChannelsPerConnection: 100,
  heartbeatMs: 10_000,
  longPollHoldMs: 25_000,
  presenceIdleMs: 60_000,
  presenceTtlMs: 30_000,
  history: DEFAULT_HISTORY,
  eventLogSize: 500,
  vitalsIntervalMs: 1000,
};

export function gatewayConfig(partial: Partial<GatewayConfig> & Pick<GatewayConfig, 'nodeId' | 'adminToken'>): GatewayConfig {
  if (!partial.adminToken) throw new Error('an admin token is required');
  return { ...DEFAULT_CONFIG, ...partial };
}
