import type { BlindSpot, FleetSummary, LiveFrame, NodeSummary, SourceHealth, TimelineEvent } from '../../../src/shared/api';

const okSource = (at: number): SourceHealth => ({ state: 'ok', lastOkAt: at, lastError: null, durationMs: 4, samples: 120 });

/** A node summary with plausible values; override what a test is about. */
export function node(id: string, o: Partial<NodeSummary> = {}, at = 1_700_000_000_000): NodeSummary {
  const connections = o.connections ?? { ws: 70, sse: 20, longpoll: 10, total: 100 };
  return {
    id,
    region: 'eu-west',
    health: 'up',
    reason: 'serving',
    bootId: `boot-${id}`,
    connections,
    limit: 10_000,
    deliveredPerSec: 300,
    publishedPerSec: 10,
    reconnectsPerSec: 0,
    lagP50Ms: 1,
    lagP99Ms: 5,
    presence: { online: 80, away: 10 },
    busConnected: true,
    lastSeenAt: at,
    scrape: okSource(at),
    events: okSource(at),
    drain: null,
    canAdmin: true,
    ...o,
  };
}

/** The fleet summary of some nodes, computed like the core does (for consistent fixtures). */
export function fleetOf(nodes: NodeSummary[], o: Partial<FleetSummary> = {}): FleetSummary {
  const sum = (f: (n: NodeSummary) => number) => nodes.reduce((s, n) => s + f(n), 0);
  return {
    nodesUp: nodes.filter((n) => n.health === 'up').length,
    nodesTotal: nodes.length,
    connections: { ws: sum((n) => n.connections.ws), sse: sum((n) => n.connections.sse), longpoll: sum((n) => n.connections.longpoll), total: sum((n) => n.connections.total) },
    deliveredPerSec: sum((n) => n.deliveredPerSec),
    publishedPerSec: sum((n) => n.publishedPerSec),
    reconnectsPerSec: sum((n) => n.reconnectsPerSec),
    lagP99Ms: nodes.length ? Math.max(...nodes.map((n) => n.lagP99Ms ?? 0)) : null,
    presence: { online: sum((n) => n.presence.online), away: sum((n) => n.presence.away) },
    blind: [] as BlindSpot[],
    active: [] as TimelineEvent[],
    ...o,
  };
}

let seq = 0;

/** A live frame of these nodes at `ts`. */
export function frame(nodes: NodeSummary[], o: Omit<Partial<LiveFrame>, 'fleet'> & { fleet?: Partial<FleetSummary> } = {}): LiveFrame {
  const { fleet, ...rest } = o;
  return {
    seq: ++seq,
    ts: 1_700_000_000_000,
    source: { kind: 'live', name: 'fleet.json', capabilities: { seek: false, speed: false, actions: true } },
    fleet: fleetOf(nodes, fleet),
    nodes,
    events: [],
    droppedEvents: 0,
    panels: [],
    session: { mode: 'live', commands: null, recorder: null, replay: null },
    ...rest,
  };
}

/** A timeline event. */
export function event(id: number, o: Partial<TimelineEvent> = {}): TimelineEvent {
  return { id, ts: 1_700_000_000_000 + id * 1000, endTs: null, node: 'gw-1', kind: 'restarted', severity: 'info', title: `event ${id}`, reason: `reason ${id}`, cause: null, data: {}, ...o };
}
