import type { NodeHealth, Severity } from '../../../shared/api';
import type { NodeModel } from '../ingest/nodeModel';
import { judgeHealth } from './nodeHealth';
import type { Timeline } from './timeline';

const SEVERITY: Record<NodeHealth, Severity> = {
  unknown: 'warning',
  up: 'info',
  stale: 'warning',
  down: 'critical',
  draining: 'info',
  drained: 'info',
  restarting: 'info',
};

/**
 * Runs the health state machine for a node and puts every transition on the timeline.
 * A node going down while it had users present also leaves a ghost-presence note:
 * their presence stays in the bus until its TTL runs out.
 */
export function updateHealth(m: NodeModel, timeline: Timeline, scrapeIntervalMs: number, now = Date.now()): boolean {
  const v = judgeHealth({
    now,
    reportedState: m.figures?.state ?? null,
    lastVitalsAt: m.lastVitalsAt,
    stream: m.streamState,
    streamError: m.streamError,
    scrapeOk: m.scrape.state === 'idle' ? null : m.scrape.state === 'ok',
    scrapeError: m.scrapeError,
    lastScrapeOkAt: m.scrape.lastOkAt,
    scrapeIntervalMs,
    restartingSince: m.restartingSince,
    streamRefusedSince: m.streamRefusedSince,
  });
  const changed = v.health !== m.health;
  const prev = m.health;
  m.reason = v.reason;
  if (!changed) return false;
  m.health = v.health;
  m.healthSince = now;
  // The first verdict of a node is not news; what follows is.
  if (prev === 'unknown' && v.health === 'up' && m.bootId !== null && m.reason === 'serving' && timeline.size === 0) return true;
  timeline.add({ ts: now, node: m.id, kind: v.health === 'down' ? 'node_down' : `health_${v.health}`, severity: SEVERITY[v.health], title: `${m.id} ${v.health}`, reason: `${v.reason} (was ${prev})`, data: { from: prev, to: v.health } });
  const present = (m.figures?.presence.online ?? 0) + (m.figures?.presence.away ?? 0);
  if (v.health === 'down' && present > 0) {
    timeline.add({ ts: now, node: m.id, kind: 'ghost_presence', severity: 'warning', title: `${present} users of ${m.id} may linger as present`, reason: `${m.id} went down with ${present} users present; the fleet keeps their presence until its TTL expires`, data: { users: present } });
  }
  return true;
}
