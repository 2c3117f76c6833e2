import type { InventoryError, InventoryLoad, InventorySource, InventoryStatus } from './inventorySource';
import type { Target } from './target';

/** What makes a {@link ReloadingSource} load again: a file watch, a poll timer. */
export interface ReloadTrigger {
  /** Begins calling `reload` whenever the inventory may have changed. */
  start(reload: () => void): void;
  /** Hears, after every load, the files that load read or looked for. */
  loaded?(watch: readonly string[]): void;
  stop(): void;
}

/**
 * Runs a loader under a trigger and keeps the status: the last good targets stay in force
 * when a load fails, loads never overlap (a trigger during a load runs one more load after
 * it), and listeners hear only real changes.
 */
export class ReloadingSource implements InventorySource {
  private current: InventoryStatus;
  private readonly listeners = new Set<(s: InventoryStatus) => void>();
  private running: Promise<void> | null = null;
  private again = false;
  private started = false;

  constructor(
    source: string,
    private readonly load: () => Promise<InventoryLoad>,
    private readonly trigger: ReloadTrigger,
    private readonly now: () => number = Date.now,
  ) {
    this.current = { targets: [], warnings: [], lastError: null, loadedAt: null, source };
  }

  get status(): InventoryStatus {
    return this.current;
  }

  onChange(fn: (s: InventoryStatus) => void): () => void {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    // Trigger first: a change made while the first load runs is then not lost.
    this.trigger.start(() => void this.reload());
    await this.reload();
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.trigger.stop();
    await this.running;
  }

  /** Loads now (or once more after the load in progress) and applies the outcome. */
  reload(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      const outcome = await this.safeLoad();
      if (!this.started) return;
      this.trigger.loaded?.(outcome.watch);
      this.apply(outcome);
    } while (this.again && this.started);
  }

  private async safeLoad(): Promise<InventoryLoad> {
    try {
      return await this.load();
    } catch (err) {
      // Loaders return errors as values; this is a bug, but it must not kill the watch.
      const source = this.current.source;
      const message = `${source}: unexpected error while loading: ${(err as Error).message}`;
      return { ok: false, error: { source, entry: null, field: null, message }, watch: [] };
    }
  }

  private apply(outcome: InventoryLoad): void {
    const prev = this.current;
    let changed: boolean;
    if (outcome.ok) {
      changed = prev.lastError !== null || !sameJson(prev.targets, outcome.targets) || !sameJson(prev.warnings, outcome.warnings);
      this.current = { ...prev, targets: outcome.targets, warnings: outcome.warnings, lastError: null, loadedAt: this.now() };
    } else {
      changed = !sameError(prev.lastError, outcome.error);
      this.current = { ...prev, lastError: outcome.error };
    }
    if (!changed) return;
    const snapshot = this.current;
    for (const fn of [...this.listeners]) {
      try {
        fn(snapshot);
      } catch (err) {
        // One broken listener must not stop the others or the reload loop.
        process.emitWarning(`inventory onChange listener threw: ${(err as Error).message}`);
      }
    }
  }
}

function sameJson(a: readonly Target[] | readonly string[], b: readonly Target[] | readonly string[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sameError(a: InventoryError | null, b: InventoryError): boolean {
  return a !== null && a.message === b.message && a.source === b.source && a.entry === b.entry && a.field === b.field;
}

/** A trigger that reloads every `intervalMs` (timers do not keep the process alive). */
export class IntervalTrigger implements ReloadTrigger {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly intervalMs: number) {}

  start(reload: () => void): void {
    if (this.timer) return;
    this.timer = setInterval(reload, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
