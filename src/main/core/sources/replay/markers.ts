import type { TimelineEvent } from '../../../../shared/api';
import type { SparseMessage } from '../../recording/reader/layout';

export type { Marker, MarkerCategory } from '../../../../shared/replay';
import type { Marker, MarkerCategory } from '../../../../shared/replay';

export function markerCategory(kind: string): MarkerCategory {
  if (kind === 'reconnect_spike') return 'spike';
  if (kind.startsWith('drain') || kind === 'drained' || kind === 'undrained') return 'drain';
  if (kind === 'restarted' || kind === 'restarting' || kind === 'started' || kind === 'shutdown') return 'restart';
  if (kind === 'node_down' || kind.startsWith('health_') || kind === 'ghost_presence') return 'health';
  if (kind.startsWith('action') || kind.startsWith('audit')) return 'action';
  if (kind === 'lag_breach' || kind === 'transport_shift' || kind === 'presence_inconsistent' || kind.startsWith('bus_')) return 'signal';
  return 'other';
}

/** Every recorded timeline event once (its last recorded state), by time: available before anything is replayed. */
export function buildMarkers(sparse: readonly SparseMessage[]): Marker[] {
  const byId = new Map<number, Marker>();
  for (const m of sparse) {
    if (m.kind !== 'timeline') continue;
    const e = m.value as unknown as TimelineEvent;
    if (typeof e?.id !== 'number' || typeof e.ts !== 'number') continue;
    byId.set(e.id, { id: e.id, ts: e.ts, endTs: e.endTs ?? null, node: e.node ?? null, kind: String(e.kind), severity: e.severity, title: String(e.title), category: markerCategory(String(e.kind)) });
  }
  return [...byId.values()].sort((a, b) => a.ts - b.ts || a.id - b.id);
}

/**
 * When each recorded timeline event was first recorded (the log time of its first message),
 * by event id. A replay shows an event from then on. Its `ts` is when it happened by the
 * console's account, which for some signals is earlier than when the console raised it (a
 * lag breach is dated from when the lag began, seconds before it qualified): a jump to an
 * event must land at its recorded time, or the timeline there does not hold it yet.
 */
export function recordedTimes(sparse: readonly SparseMessage[]): Map<number, number> {
  const at = new Map<number, number>();
  for (const m of sparse) {
    if (m.kind !== 'timeline') continue;
    const id = (m.value as unknown as TimelineEvent)?.id;
    if (typeof id === 'number' && !at.has(id)) at.set(id, m.logMs);
  }
  return at;
}
