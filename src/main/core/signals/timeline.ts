import type { Severity, TimelineEvent, TimelineQuery } from '../../../shared/api';

export type NewEvent = Omit<TimelineEvent, 'id' | 'endTs' | 'cause' | 'data'> & Partial<Pick<TimelineEvent, 'endTs' | 'cause' | 'data'>>;

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/**
 * Every signal and lifecycle event, in id order, bounded (oldest dropped first).
 * Events may be updated in place (a spike's peak and end), keeping their id.
 */
export class Timeline {
  private readonly events: TimelineEvent[] = [];
  private nextId = 1;
  private readonly listeners = new Set<(e: TimelineEvent) => void>();

  constructor(private readonly capacity = 20_000) {}

  add(e: NewEvent): TimelineEvent {
    const ev: TimelineEvent = { endTs: null, cause: null, data: {}, ...e, id: this.nextId++ };
    this.events.push(ev);
    if (this.events.length > this.capacity * 1.1) this.events.splice(0, this.events.length - this.capacity);
    for (const fn of this.listeners) fn(ev);
    return ev;
  }

  /** Re-announces an updated event (same id) to listeners. */
  touch(ev: TimelineEvent): void {
    for (const fn of this.listeners) fn(ev);
  }

  onEvent(fn: (e: TimelineEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  query(q: Required<Pick<TimelineQuery, 'limit'>> & TimelineQuery): TimelineEvent[] {
    const nodes = q.nodes ? new Set(q.nodes) : null;
    const sev = q.severities ? new Set(q.severities) : null;
    const out: TimelineEvent[] = [];
    // Newest first up to the limit, returned oldest first.
    for (let i = this.events.length - 1; i >= 0 && out.length < q.limit; i--) {
      const e = this.events[i];
      if (q.toMs !== undefined && e.ts > q.toMs) continue;
      if (q.fromMs !== undefined && (e.endTs ?? e.ts) < q.fromMs) continue;
      if (nodes && !(e.node !== null && nodes.has(e.node))) continue;
      if (sev && !sev.has(e.severity)) continue;
      out.push(e);
    }
    return out.reverse();
  }

  /** The most recent event of a node matching `kinds` at or after `sinceTs`. */
  lastOf(kinds: readonly string[], sinceTs: number, except?: string): TimelineEvent | null {
    for (let i = this.events.length - 1; i >= 0; i--) {
      const e = this.events[i];
      if (e.ts < sinceTs) break;
      if (kinds.includes(e.kind) && e.node !== except) return e;
    }
    return null;
  }

  get size(): number {
    return this.events.length;
  }
}

export function atLeast(s: Severity, min: Severity): boolean {
  return SEVERITY_RANK[s] >= SEVERITY_RANK[min];
}
