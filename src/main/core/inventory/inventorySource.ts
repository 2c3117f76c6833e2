import type { Target } from './target';

/**
 * Where an inventory went wrong. `message` is one sentence that names the file (or URL),
 * the entry and the field, e.g. `/etc/sb/fleet.json, entry 1, field opsUrl: must include a port`;
 * it never quotes a token.
 */
export interface InventoryError {
  /** File path or URL at fault (a token or credentials file when that is what failed). */
  source: string;
  /** 0-based index of the entry at fault (a static target, a file_sd group), when one is. */
  entry: number | null;
  /** Field at fault, relative to the entry when there is one: `opsUrl`, `targets[1]`, `labels.node_id`. */
  field: string | null;
  message: string;
}

/** One load of an inventory: every target, or the first thing wrong. */
export type InventoryResult = { ok: true; targets: Target[] } | { ok: false; error: InventoryError };

/**
 * What a loader hands to the source that runs it: the result, warnings about what was
 * ignored or dropped (good loads only), and the files it read or looked for, to watch.
 */
export type InventoryLoad =
  | { ok: true; targets: Target[]; warnings: string[]; watch: string[] }
  | { ok: false; error: InventoryError; watch: string[] };

/** A source's state. Replaced, never mutated: keep a reference as a snapshot. */
export interface InventoryStatus {
  /** The last GOOD inventory; it stays in force after a bad reload. Empty before the first good load. */
  targets: Target[];
  /** Warnings of the load that produced `targets` (dropped credential-like labels, missing credentials file…). */
  warnings: string[];
  /** Error of the latest load, or null when the latest load was good. */
  lastError: InventoryError | null;
  /** When `targets` were last loaded successfully (ms since the Unix epoch), or null if never. */
  loadedAt: number | null;
  /** The file path or URL this source reads. */
  source: string;
}

/**
 * A fleet inventory that keeps itself current (file watch or poll). Loading never throws:
 * failures land in `status.lastError` and the last good targets stay in force.
 */
export interface InventorySource {
  /** Loads once (resolves when that load is done, good or bad), then starts watching or polling. */
  start(): Promise<void>;
  /** Stops watching or polling and waits for a load in progress; no `onChange` call follows. */
  stop(): Promise<void>;
  readonly status: InventoryStatus;
  /**
   * Called with the new status whenever targets, warnings or the error change (not on a
   * reload that finds everything the same). Returns the function that unsubscribes.
   */
  onChange(fn: (s: InventoryStatus) => void): () => void;
}
