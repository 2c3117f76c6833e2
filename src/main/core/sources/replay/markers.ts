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

/**
 * Every recorded timeline event once (its last recorded state), by time: available before
 * anything is replayed. Each marker's `shownAt` is the log time of the event's first
 * recorded message (not before its `ts`): from then on the replay's timeline holds it.
 */
export function buildMarkers(sparse: readonly SparseMessage[]): Marker[] {
  const byId = new Map<number, Marker>();
  for (const m of sparse) {
    if (m.kind !== 'timeline') continue;
    const e = m.value as unknown as TimelineEvent;
    if (typeof e?.id !== 'number' || typeof e.ts !== 'number') continue;
    const firstAt = byId.get(e.id)?.shownAt ?? Math.max(e.ts, m.logMs);
    byId.set(e.id, { id: e.id, ts: e.ts, shownAt: firstAt, endTs: e.endTs ?? null, node: e.node ?? null, kind: String(e.kind), severity: e.severity, title: String(e.title), category: markerCategory(String(e.kind)) });
  }
  return [...byId.values()].sort((a, b) => a.ts - b.ts || a.id - b.id);
}
