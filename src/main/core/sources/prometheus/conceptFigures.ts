import type { NodeFigures } from '../../ingest/nodeModel';
import type { Concept } from '../../profiles';
import type { NodeValues } from './evaluateRound';

/**
 * The per-node figures the direct scraper would produce, from one node's answers: the
 * same fields, units and rounding (ms for lag, two decimals for rates), so health,
 * signals and views cannot tell the sources apart. A concept the profile marks
 * unavailable gives the figure's "unknown" (null), or 0 where the figure is a count
 * that must add up (connections of a transport the fleet does not have).
 *
 * @param at when Prometheus last scraped the node (ms), the figures' own time
 */
export function conceptFigures(n: NodeValues, at: number, available: ReadonlySet<Concept>): NodeFigures {
  const v = n.values;
  const num = (c: Concept): number => finite(v[c]) ?? 0;
  const ms = (c: Concept): number | null => {
    const s = finite(v[c]);
    return s === null ? null : round(s * 1000);
  };
  const draining = finite(v.draining);
  const remaining = finite(v.drainRemaining) ?? 0;
  const bus = finite(v.busConnected);
  return {
    at,
    state: draining === null ? (available.has('draining') ? 'serving' : null) : draining >= 1 ? (remaining === 0 ? 'drained' : 'draining') : 'serving',
    connections: { ws: num('connectionsWs'), sse: num('connectionsSse'), longpoll: num('connectionsLongpoll') },
    limit: finite(v.connectionLimit),
    deliveredPerSec: round(num('deliveredRate')),
    publishedPerSec: round(num('publishedRate')),
    reconnectsPerSec: round(num('reconnectsRate')),
    droppedPerSec: round(num('droppedRate')),
    lagP50Ms: ms('lagP50'),
    lagP99Ms: ms('lagP99'),
    presence: { online: num('presenceOnline'), away: num('presenceAway') },
    busConnected: bus === null ? null : bus >= 1,
  };
}

/** A drain under way as far as the answers tell (remaining connections; the rate is not known here). */
export function conceptDrain(n: NodeValues): { remaining: number; ratePerSec: number } | null {
  const draining = finite(n.values.draining);
  const remaining = finite(n.values.drainRemaining);
  return draining !== null && draining >= 1 && remaining !== null && remaining > 0 ? { remaining, ratePerSec: 0 } : null;
}

function finite(x: number | undefined): number | null {
  return x !== undefined && Number.isFinite(x) ? x : null;
}

const round = (x: number): number => Math.round(x * 100) / 100;
