import type { TimelineEvent } from '../../../../shared/api';

/** At most this many timeline events are kept in the renderer (older ones stay queryable in the core). */
export const TIMELINE_CAP = 2000;

/** Newest first: by time, then by id (later events have larger ids). */
export const newestFirst = (a: TimelineEvent, b: TimelineEvent): number => b.ts - a.ts || b.id - a.id;

/**
 * Merges events into a newest-first list, keyed by id: an event seen again (a spike that
 * got its peak or end) replaces the old copy. Bounded to `cap`, dropping the oldest.
 * Returns `list` itself when there is nothing to merge.
 */
export function mergeEventList(list: readonly TimelineEvent[], incoming: readonly TimelineEvent[], cap = TIMELINE_CAP): readonly TimelineEvent[] {
  if (incoming.length === 0) return list;
  const byId = new Map<number, TimelineEvent>();
  for (const e of list) byId.set(e.id, e);
  for (const e of incoming) byId.set(e.id, e);
  const out = [...byId.values()].sort(newestFirst);
  return out.length > cap ? out.slice(0, cap) : out;
}
