import type { NodeModel } from '../ingest/nodeModel';

/**
 * A node model as a checkpoint holds it: every own field but `target` (the inventory
 * entry, with its tokens, is recorded separately and without them). NodeModel's fields
 * are plain data (numbers, strings, null, plain objects), which is what lets a replay
 * restore one without replaying what led to it; keep them so (a test round-trips them).
 */
export function snapshotNode(m: NodeModel): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const fields = m as unknown as Record<string, unknown>;
  for (const k of Object.keys(m)) if (k !== 'target') out[k] = fields[k];
  return out;
}

/** Puts a snapshot's fields back on a model; fields the model does not have are ignored. */
export function restoreNode(m: NodeModel, snap: Readonly<Record<string, unknown>>): void {
  const fields = m as unknown as Record<string, unknown>;
  for (const k of Object.keys(snap)) if (k !== 'target' && Object.hasOwn(m, k)) fields[k] = snap[k];
}
