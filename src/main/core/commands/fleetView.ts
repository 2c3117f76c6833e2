import type { BlindSpot, NodeSummary } from '../../../shared/api';
import type { Ingest } from '../ingest/ingest';
import { blindSpots } from '../signals/fleetSignals';
import { compareNodeIds } from '../../../shared/nodeOrder';

/** The console's view of the fleet at one instant: what every guard rail judges by. */
export interface FleetView {
  at: number;
  nodes: NodeSummary[];
  blind: BlindSpot[];
  /** Node ids whose `/events` stream is open (progress can follow events, not polls). */
  streamOpen: string[];
}

/** Takes the view from the ingest (plain data: the guard rails stay pure functions of it). */
export function fleetView(ingest: Ingest, now = Date.now()): FleetView {
  const nodes: NodeSummary[] = [];
  const streamOpen: string[] = [];
  for (const m of ingest.nodes.values()) {
    nodes.push(m.summary());
    if (m.streamState === 'open') streamOpen.push(m.id);
  }
  nodes.sort((a, b) => compareNodeIds(a.id, b.id));
  return { at: now, nodes, blind: blindSpots(ingest, now), streamOpen };
}

/** Live fleet figures the rollout's SLO watch reads: worst lag, total reconnects, bus links down. */
export interface FleetFigures {
  lagP99Ms: number | null;
  lagNode: string | null;
  reconnectsPerSec: number;
  busDown: string[];
}

const ALIVE = new Set(['up', 'draining', 'drained']);

export function fleetFigures(view: FleetView): FleetFigures {
  let lag: number | null = null;
  let lagNode: string | null = null;
  let reconnects = 0;
  const busDown: string[] = [];
  for (const n of view.nodes) {
    if (!ALIVE.has(n.health)) continue;
    reconnects += n.reconnectsPerSec;
    if (n.lagP99Ms !== null && (lag === null || n.lagP99Ms > lag)) {
      lag = n.lagP99Ms;
      lagNode = n.id;
    }
    if (n.busConnected === false) busDown.push(n.id);
  }
  return { lagP99Ms: lag, lagNode, reconnectsPerSec: Math.round(reconnects * 100) / 100, busDown };
}
