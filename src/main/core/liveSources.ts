import type { Ingest } from './ingest/ingest';
import type { InventorySource, InventoryStatus } from './inventory/inventorySource';
import type { Target } from './inventory/target';
import { EventStreamReader } from './sources/eventStream';
import { Scraper } from './sources/scrape/scraper';
import type { ScraperOptions } from './sources/scrape/scraper';

export interface LiveSourceOptions {
  scrape: ScraperOptions;
  /** Nothing at all (not even a heartbeat) for this long marks a stream stale: 3 heartbeat periods. */
  streamIdleTimeoutMs: number;
}

/**
 * The live inputs of the console: for every target of the inventory, one `/events`
 * reader and one `/metrics` scraper, both feeding the one Ingest. Follows inventory
 * changes (new targets start, removed ones stop, changed URLs or tokens restart).
 */
export class LiveSources {
  private readonly readers = new Map<string, EventStreamReader>();
  private readonly scrapers = new Map<string, Scraper>();
  private readonly fingerprints = new Map<string, string>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly inventory: InventorySource,
    private readonly ingest: Ingest,
    private readonly o: LiveSourceOptions,
    private readonly onInventory: (s: InventoryStatus) => void = () => {},
  ) {}

  async start(): Promise<void> {
    this.unsubscribe = this.inventory.onChange((s) => this.apply(s));
    await this.inventory.start();
    this.apply(this.inventory.status);
  }

  private apply(s: InventoryStatus): void {
    this.onInventory(s);
    const { removed } = this.ingest.setTargets(s.targets);
    for (const id of removed) this.stopTarget(id);
    for (const t of s.targets) {
      const fp = `${t.opsUrl}|${t.readToken ?? ''}`;
      if (this.fingerprints.get(t.id) === fp) continue;
      this.stopTarget(t.id);
      this.fingerprints.set(t.id, fp);
      this.startTarget(t);
    }
  }

  private startTarget(t: Target): void {
    const reader = new EventStreamReader({
      url: `${t.opsUrl}/events`,
      token: t.readToken,
      idleTimeoutMs: this.o.streamIdleTimeoutMs,
      onEvent: (e) => this.ingest.streamEvent(t.id, e),
      onStatus: (st) => this.ingest.streamStatus(t.id, st),
    });
    const scraper = new Scraper(t, this.o.scrape, (target, outcome) => this.ingest.scrape(target.id, outcome));
    this.readers.set(t.id, reader);
    this.scrapers.set(t.id, scraper);
    reader.start();
    scraper.start();
  }

  private stopTarget(id: string): void {
    void this.readers.get(id)?.stop();
    this.scrapers.get(id)?.stop();
    this.readers.delete(id);
    this.scrapers.delete(id);
    this.fingerprints.delete(id);
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.inventory.stop();
    const readers = [...this.readers.values()];
    for (const id of [...this.readers.keys()]) this.stopTarget(id);
    await Promise.all(readers.map((r) => r.stop()));
  }
}
