import type { NodeSummary } from '../../../shared/api';
import type { ActionKind, Destination, RuleCheck } from './actionTypes';

export interface CapacityVerdict {
  check: RuleCheck;
  destinations: Destination[];
  headroom: { free: number; needed: number; margin: number } | null;
}

/**
 * Can the serving nodes absorb the connections a drain moves? Free slots (limit −
 * connections) of every other node that is up and not acted on must reach the moving
 * connections plus the margin. Where they end up assumes clients spread in proportion to
 * each node's free slots (what a least-connections balancer converges to).
 */
export function capacityCheck(target: NodeSummary, moving: number, nodes: readonly NodeSummary[], margin: number, busy: ReadonlyMap<string, string>, kind: ActionKind): CapacityVerdict {
  if (kind === 'undrain') {
    return { check: { rule: 'capacity', ok: true, overridable: true, message: 'undrain moves no connection' }, destinations: [], headroom: null };
  }
  const serving = nodes.filter((n) => n.id !== target.id && n.health === 'up' && !busy.has(n.id));
  const known = serving.filter((n): n is NodeSummary & { limit: number } => n.limit !== null);
  const unknown = serving.filter((n) => n.limit === null).map((n) => n.id);
  const free = known.reduce((s, n) => s + Math.max(0, n.limit - n.connections.total), 0);
  const needed = Math.ceil(moving * (1 + margin));
  const destinations = spread(known, moving, free);
  const headroom = { free, needed, margin };
  const pct = `${Math.round(margin * 100)}%`;
  const load = known.map((n) => `${n.id} ${fmt(n.connections.total)} of ${fmt(n.limit)}`).join(', ');
  const unknownNote = unknown.length > 0 ? `; not counted, limit unknown: ${unknown.join(', ')}` : '';
  if (moving === 0) {
    return { check: { rule: 'capacity', ok: true, overridable: true, message: `${target.id} carries no connection: nothing moves` }, destinations, headroom };
  }
  if (known.length === 0) {
    return {
      check: { rule: 'capacity', ok: false, overridable: true, message: `${target.id} carries ${fmt(moving)} connections and no other node is serving with a known limit to take them${unknownNote}; force with a reason to act anyway` },
      destinations, headroom,
    };
  }
  if (free >= needed) {
    return {
      check: { rule: 'capacity', ok: true, overridable: true, message: `${target.id} carries ${fmt(moving)} connections; the serving nodes have ${fmt(free)} free slots, ${fmt(needed)} needed with the ${pct} margin (${load})${unknownNote}` },
      destinations, headroom,
    };
  }
  return {
    check: {
      rule: 'capacity', ok: false, overridable: true,
      message: `${target.id} carries ${fmt(moving)} connections; with the ${pct} margin they need ${fmt(needed)} free slots on the serving nodes, which have ${fmt(free)} (${load})${unknownNote}; force with a reason to act anyway`,
    },
    destinations, headroom,
  };
}

/** Moving connections shared by free slots (evenly when none is free). */
function spread(nodes: ReadonlyArray<NodeSummary & { limit: number }>, moving: number, free: number): Destination[] {
  return nodes.map((n) => {
    const share = free > 0 ? (moving * Math.max(0, n.limit - n.connections.total)) / free : moving / nodes.length;
    const after = Math.round(n.connections.total + share);
    return { node: n.id, connectionsNow: n.connections.total, connectionsAfter: after, limit: n.limit, utilizationAfter: n.limit > 0 ? Math.round((after / n.limit) * 1000) / 1000 : 0 };
  });
}

/** 12345 → "12,345". */
export function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
