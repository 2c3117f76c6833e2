import type pino from 'pino';
import type { GatewayConfig, GatewayNode } from '../gateway';
import { startGateway } from '../gateway';
import type { BusChoice } from '../gateway';

/**
 * Keeps a fleet's nodes running, like systemd or Kubernetes would: a node that exits
 * for a restart is started again at once, a crashed one after `crashDelayMs`. Ports
 * stay the same across restarts, so the fleet's targets stay valid.
 */
export class Supervisor {
  readonly nodes = new Map<string, GatewayNode>();
  private stopping = false;
  private readonly listeners = new Set<(nodeId: string, node: GatewayNode | null) => void>();

  constructor(
    private readonly configs: GatewayConfig[],
    private readonly bus: BusChoice,
    private readonly log: pino.Logger,
    private readonly crashDelayMs = 3000,
  ) {}

  async start(): Promise<void> {
    await Promise.all(this.configs.map((c) => this.launch(c)));
  }

  /** Called with the new node after each (re)start, and with null when a node went away. */
  onChange(fn: (nodeId: string, node: GatewayNode | null) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private async launch(config: GatewayConfig): Promise<void> {
    const node = await startGateway(config, this.bus, this.log);
    // Later starts reuse the ports the first one got.
    config.port = node.clientPort;
    config.opsPort = node.opsPort;
    this.nodes.set(config.nodeId, node);
    for (const fn of this.listeners) fn(config.nodeId, node);
    node.once('exit', (why: string) => {
      this.nodes.delete(config.nodeId);
      for (const fn of this.listeners) fn(config.nodeId, null);
      if (this.stopping) return;
      const delay = why === 'restart' ? 0 : this.crashDelayMs;
      this.log.info({ node: config.nodeId, why, delay }, 'supervisor: starting a fresh node');
      setTimeout(() => void this.relaunch(config), delay);
    });
  }

  private async relaunch(config: GatewayConfig, attempt = 0): Promise<void> {
    if (this.stopping) return;
    try {
      await this.launch(config);
    } catch (err) {
      // The port may still be held for a moment after a crash; try again.
      this.log.warn({ node: config.nodeId, err: (err as Error).message }, 'supervisor: restart failed, retrying');
      if (attempt < 20) setTimeout(() => void this.relaunch(config, attempt + 1), 500);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.nodes.values()].map((n) => n.stop()));
    this.nodes.clear();
  }
}
