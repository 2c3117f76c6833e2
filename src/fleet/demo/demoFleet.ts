import { randomBytes } from 'node:crypto';
import pino from 'pino';
import type { FleetCredentials } from '../../shared/fleetFile';
import type { GatewayNode } from '../gateway';
import { MemoryHub, gatewayConfig } from '../gateway';
import type { GatewayConfig } from '../gateway';
import { writeFleetFile } from './fleetFileWriter';
import type { DemoTarget } from './fleetFileWriter';
import { busOutage, crashNode, INCIDENT_KINDS, slowConsumers } from './incidents';
import type { IncidentKind } from './incidents';
import { DEFAULT_SIMULATOR, Simulator } from './simulator';
import { Supervisor } from './supervisor';

export interface DemoOptions {
  nodes: number;
  clients: number;
  redisUrl?: string;
  /** Where to write the Prometheus file_sd file (credentials beside it). */
  fleetFile?: string;
  /** Run an incident this often (ms), rotating crash → slow consumers → bus outage; 0 = only on demand. */
  incidentEveryMs: number;
  /** Fixed ports (client basePort+i, ops opsBasePort+i); 0 = free ports chosen once. */
  basePort: number;
  opsBasePort: number;
  logger?: pino.Logger;
  /** Per-node config overrides (tests, benchmarks). */
  nodeConfig?: Partial<GatewayConfig>;
  publishRatePerUser?: number;
}

export const DEFAULT_DEMO: DemoOptions = { nodes: 3, clients: 300, incidentEveryMs: 180_000, basePort: 0, opsBasePort: 0 };

/** A running demo fleet: nodes under a supervisor, simulated users, incidents. */
export class DemoFleet {
  private incidentTimer: NodeJS.Timeout | undefined;
  private nextIncident = 0;

  constructor(
    readonly supervisor: Supervisor,
    readonly simulator: Simulator,
    readonly credentials: FleetCredentials,
    readonly targets: DemoTarget[],
    readonly log: pino.Logger,
    readonly credentialsFile: string | null,
  ) {}

  node(nodeId: string): GatewayNode | undefined {
    return this.supervisor.nodes.get(nodeId);
  }

  scheduleIncidents(everyMs: number): void {
    if (everyMs <= 0) return;
    this.incidentTimer = setInterval(() => {
      const kind = INCIDENT_KINDS[this.nextIncident++ % INCIDENT_KINDS.length];
      void this.incident(kind).catch((err: Error) => this.log.warn({ kind, err: err.message }, 'demo: incident failed'));
    }, everyMs);
    this.incidentTimer.unref();
  }

  /** Runs an incident now, on the given node or a random running one; says what it did. */
  async incident(kind: IncidentKind, nodeId?: string): Promise<string> {
    const running = [...this.supervisor.nodes.values()];
    const node = nodeId ? this.supervisor.nodes.get(nodeId) : running[Math.floor(Math.random() * running.length)];
    if (!node) throw new Error(nodeId ? `no running node ${nodeId}` : 'no running node');
    const id = node.config.nodeId;
    this.log.info({ kind, node: id }, 'demo: incident');
    switch (kind) {
      case 'crash':
        await crashNode(node);
        return `crashed ${id}; the supervisor starts a fresh one shortly`;
      case 'bus-outage':
        busOutage(node);
        return `cut ${id}'s bus link for 5 s`;
      case 'slow-consumers':
        return `${await slowConsumers(node)} slow consumers cut on ${id}`;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.incidentTimer);
    await this.simulator.stop();
    await this.supervisor.stop();
  }
}

/** Starts nodes gw-1…gw-N on 127.0.0.1, their supervisor and the simulated users. */
export async function startDemoFleet(partial: Partial<DemoOptions> = {}): Promise<DemoFleet> {
  const o = { ...DEFAULT_DEMO, ...partial };
  const log = o.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const credentials: FleetCredentials = { readToken: randomBytes(24).toString('hex'), adminToken: randomBytes(24).toString('hex') };
  const hub = o.redisUrl ? undefined : new MemoryHub();
  const configs = Array.from({ length: o.nodes }, (_, i) =>
    gatewayConfig({
      nodeId: `gw-${i + 1}`,
      region: i % 2 === 0 ? 'eu-west' : 'us-east',
      port: o.basePort ? o.basePort + i : 0,
      opsPort: o.opsBasePort ? o.opsBasePort + i : 0,
      adminToken: credentials.adminToken,
      readToken: credentials.readToken,
      ...o.nodeConfig,
    }),
  );
  const supervisor = new Supervisor(configs, { redisUrl: o.redisUrl, hub }, log);
  await supervisor.start();
  const targets: DemoTarget[] = configs.map((c) => ({
    nodeId: c.nodeId,
    region: c.region,
    clientUrl: `http://127.0.0.1:${c.port}`,
    opsHostPort: `127.0.0.1:${c.opsPort}`,
  }));
  const credentialsFile = o.fleetFile ? writeFleetFile(o.fleetFile, targets, credentials) : null;
  const simulator = new Simulator({
    ...DEFAULT_SIMULATOR,
    urls: targets.map((t) => t.clientUrl),
    clients: o.clients,
    publishRatePerUser: o.publishRatePerUser ?? DEFAULT_SIMULATOR.publishRatePerUser,
    log,
  });
  simulator.start();
  const fleet = new DemoFleet(supervisor, simulator, credentials, targets, log, credentialsFile);
  fleet.scheduleIncidents(o.incidentEveryMs);
  return fleet;
}
