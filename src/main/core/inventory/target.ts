/**
 * One node the console watches: where its ops port is and how to authenticate.
 * Tokens live only in the main process (this object never crosses to the renderer;
 * the renderer gets {@link TargetInfo}).
 */
export interface Target {
  /** Stable id: the node's `node_id` label when known, else `host:port` of its ops port. */
  id: string;
  /** Ops port base URL, e.g. `http://127.0.0.1:9464` (no trailing slash). */
  opsUrl: string;
  /** Labels from the inventory source (file_sd labels, static config, Prometheus target labels). */
  labels: Record<string, string>;
  /** Bearer token for /metrics and /events, or null for none. */
  readToken: string | null;
  /** Bearer token for /admin/*, or null when this console may not act on the node. */
  adminToken: string | null;
  /** Where the inventory entry came from, for error messages (`fleet.json entry 2`). */
  source: string;
}

/** What the renderer may know of a target: everything but the tokens. */
export interface TargetInfo {
  id: string;
  opsUrl: string;
  labels: Record<string, string>;
  source: string;
  canAdmin: boolean;
}

export function targetInfo(t: Target): TargetInfo {
  return { id: t.id, opsUrl: t.opsUrl, labels: t.labels, source: t.source, canAdmin: t.adminToken !== null };
}
