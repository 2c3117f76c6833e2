import type { NodeHealth, NodeSummary } from '../../../../shared/api';
import { HEALTH_LOOK, HEALTH_RANK } from '../../ui';

export type ColumnKey = 'node' | 'health' | 'connections' | 'ws' | 'sse' | 'longpoll' | 'delivered' | 'lag' | 'reconnects' | 'lastSeen';

export interface Column {
  key: ColumnKey;
  label: string;
  /** Longer name for screen readers and tooltips. */
  title: string;
  width: number;
  numeric: boolean;
  /** Sort value; null sorts last in either direction. */
  value(n: NodeSummary): number | string | null;
  /** The direction a first click sorts in (problems or big numbers first). */
  firstDir: SortDir;
}

export type SortDir = 'asc' | 'desc';

export const COLUMNS: readonly Column[] = [
  { key: 'node', label: 'Node', title: 'Node id and region', width: 136, numeric: false, value: (n) => n.id, firstDir: 'asc' },
  { key: 'health', label: 'Health', title: 'Health as the console judges it, and why', width: 214, numeric: false, value: (n) => HEALTH_RANK[n.health], firstDir: 'asc' },
  { key: 'connections', label: 'Connections', title: 'Open connections against the node’s limit', width: 138, numeric: true, value: (n) => n.connections.total, firstDir: 'desc' },
  { key: 'ws', label: 'WS', title: 'WebSocket connections', width: 54, numeric: true, value: (n) => n.connections.ws, firstDir: 'desc' },
  { key: 'sse', label: 'SSE', title: 'Server-Sent Events connections', width: 54, numeric: true, value: (n) => n.connections.sse, firstDir: 'desc' },
  { key: 'longpoll', label: 'Poll', title: 'Long-polling connections', width: 54, numeric: true, value: (n) => n.connections.longpoll, firstDir: 'desc' },
  { key: 'delivered', label: 'Msg/s', title: 'Messages delivered to clients per second', width: 70, numeric: true, value: (n) => n.deliveredPerSec, firstDir: 'desc' },
  { key: 'lag', label: 'Lag p99', title: 'Pub/sub lag, 99th percentile', width: 74, numeric: true, value: (n) => n.lagP99Ms, firstDir: 'desc' },
  { key: 'reconnects', label: 'Reconnects/s', title: 'Client reconnects per second, last minute', width: 126, numeric: true, value: (n) => n.reconnectsPerSec, firstDir: 'desc' },
  { key: 'lastSeen', label: 'Last seen', title: 'When the console last heard from the node', width: 88, numeric: true, value: (n) => n.lastSeenAt, firstDir: 'asc' },
];

export const COLUMN_BY_KEY: Readonly<Record<ColumnKey, Column>> = Object.fromEntries(COLUMNS.map((c) => [c.key, c])) as Record<ColumnKey, Column>;

export interface SortState {
  key: ColumnKey;
  dir: SortDir;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function compareValues(a: number | string | null, b: number | string | null): number {
  if (typeof a === 'string' && typeof b === 'string') return collator.compare(a, b);
  return (a as number) - (b as number);
}

/**
 * Sorts a copy of the nodes by a column; unknown values (null) go last either way,
 * ties fall back to the node id so rows never jump between frames.
 */
export function sortNodes(nodes: readonly NodeSummary[], sort: SortState): NodeSummary[] {
  const col = COLUMN_BY_KEY[sort.key];
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...nodes].sort((x, y) => {
    const a = col.value(x);
    const b = col.value(y);
    if (a === null || b === null) {
      if (a !== b) return a === null ? 1 : -1;
    } else {
      const c = compareValues(a, b);
      if (c !== 0) return sign * c;
    }
    return collator.compare(x.id, y.id);
  });
}

export type HealthFilter = 'all' | 'problems' | NodeHealth;

export interface NodeFilter {
  text: string;
  health: HealthFilter;
}

/** Problem = anything but serving normally (up, or draining/drained on purpose). */
export function isProblem(h: NodeHealth): boolean {
  return h === 'down' || h === 'stale' || h === 'unknown' || h === 'restarting';
}

/** Keeps the nodes matching the text (id, region, health, reason) and the health filter. */
export function filterNodes(nodes: readonly NodeSummary[], f: NodeFilter): readonly NodeSummary[] {
  const words = f.text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0 && f.health === 'all') return nodes;
  return nodes.filter((n) => {
    if (f.health === 'problems' ? !isProblem(n.health) : f.health !== 'all' && n.health !== f.health) return false;
    if (words.length === 0) return true;
    const hay = `${n.id} ${n.region ?? ''} ${HEALTH_LOOK[n.health].label} ${n.reason}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}
