import pino from 'pino';
import type { Bus } from './bus/bus';
import { MemoryBus, MemoryHub } from './bus/memoryBus';
import { RedisBus } from './bus/redisBus';
import type { GatewayConfig } from './config';
import { GatewayNode } from './gatewayNode';

export { GatewayNode } from './gatewayNode';
export type { NodeStatus, NodeState } from './gatewayNode';
export { gatewayConfig, DEFAULT_CONFIG } from './config';
export type { GatewayConfig } from './config';
export { MemoryHub, MemoryBus } from './bus/memoryBus';
export { RedisBus } from './bus/redisBus';

/** Where a node's bus comes from: a Redis URL, a shared in-process hub, or neither (alone). */
export interface BusChoice {
  redisUrl?: string;
  hub?: MemoryHub;
}

/** Builds and starts a node on the chosen bus. */
export async function startGateway(config: GatewayConfig, choice: BusChoice = {}, logger?: pino.Logger): Promise<GatewayNode> {
  const log = logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const bus: Bus = choice.redisUrl
    ? new RedisBus(choice.redisUrl, config.history, (m) => log.warn({ node: config.nodeId }, m))
    : new MemoryBus(choice.hub ?? new MemoryHub(config.history));
  const node = new GatewayNode(config, bus, log);
  await node.start();
  return node;
}
