import type { InventoryError, InventoryStatus } from '../inventory/inventorySource';
import type { Target } from '../inventory/target';

/** A target as recorded: everything but the tokens (a recording may be handed on). */
export interface RecordedTarget {
  id: string;
  opsUrl: string;
  labels: Record<string, string>;
  source: string;
  canAdmin: boolean;
}

/** An `/inventory` message: the inventory source's status, or the targets ingest was given. */
export type InventoryMessage =
  | { op: 'status'; source: string; loadedAt: number | null; lastError: InventoryError | null; warnings: string[]; targets: RecordedTarget[] }
  | { op: 'targets'; targets: RecordedTarget[] };

export function recordTarget(t: Target): RecordedTarget {
  return { id: t.id, opsUrl: t.opsUrl, labels: { ...t.labels }, source: t.source, canAdmin: t.adminToken !== null };
}

/** Back to a Target for a replay: no tokens, so a replay can neither read nor act on the nodes. */
export function replayTarget(r: RecordedTarget): Target {
  return { id: r.id, opsUrl: r.opsUrl, labels: { ...r.labels }, source: r.source, readToken: null, adminToken: null };
}

export function recordStatus(s: InventoryStatus): InventoryMessage {
  return { op: 'status', source: s.source, loadedAt: s.loadedAt, lastError: s.lastError, warnings: [...s.warnings], targets: s.targets.map(recordTarget) };
}

export function replayStatus(m: Extract<InventoryMessage, { op: 'status' }>): InventoryStatus {
  return { source: m.source, loadedAt: m.loadedAt, lastError: m.lastError, warnings: m.warnings, targets: m.targets.map(replayTarget) };
}
