import type { Severity, TimelineEvent } from '../../../../shared/api';

export interface EventFilter {
  /** `all`, `fleet` (events about no single node), or a node id. */
  node: string;
  /** The lowest severity shown. */
  minSeverity: Severity;
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

export function filterEvents(events: readonly TimelineEvent[], f: EventFilter): readonly TimelineEvent[] {
  if (f.node === 'all' && f.minSeverity === 'info') return events;
  return events.filter((e) => {
    if (RANK[e.severity] < RANK[f.minSeverity]) return false;
    if (f.node === 'all') return true;
    if (f.node === 'fleet') return e.node === null;
    return e.node === f.node || e.cause?.node === f.node;
  });
}
