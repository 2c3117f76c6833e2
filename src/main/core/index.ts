/**
 * The console core: the door the shell, serve mode and the CLI use.
 */
import { ConsoleCore } from './consoleCore';
import type { ConsoleCoreOptions } from './consoleCore';
import { loadInventory } from './inventory';
import type { InventorySpec } from './inventory';
import { LiveSources } from './liveSources';
import { DEFAULT_SCRAPER } from './sources/scrape/scraper';
import type { ScraperOptions } from './sources/scrape/scraper';
import { tuneV8ForIngest } from './v8Tuning';

export { ConsoleCore } from './consoleCore';
export type { ConsoleCoreOptions } from './consoleCore';
export { LiveSources } from './liveSources';

export interface LiveConsoleOptions extends ConsoleCoreOptions {
  inventory: InventorySpec;
  scrape?: Partial<ScraperOptions>;
  streamIdleTimeoutMs?: number;
}

/** A console on a live fleet: the engine plus live sources from an inventory. */
export interface LiveConsole {
  core: ConsoleCore;
  sources: LiveSources;
  stop(): Promise<void>;
}

export async function startLiveConsole(o: LiveConsoleOptions): Promise<LiveConsole> {
  tuneV8ForIngest();
  const scrape = { ...DEFAULT_SCRAPER, ...o.scrape };
  const inventory = loadInventory(o.inventory);
  const core = new ConsoleCore({
    ...o,
    scrapeIntervalMs: scrape.intervalMs,
    source: o.source ?? { kind: 'live', name: inventory.status.source, capabilities: { seek: false, speed: false, actions: true } },
  });
  const sources = new LiveSources(inventory, core.ingest, { scrape, streamIdleTimeoutMs: o.streamIdleTimeoutMs ?? 15_000 }, (s) => core.setInventory(s));
  core.start();
  await sources.start();
  return {
    core,
    sources,
    stop: async () => {
      await sources.stop();
      core.stop();
    },
  };
}

export { DEFAULT_BACKFILL_MS, DEFAULT_PROMETHEUS_ROUND_MS, startPrometheusConsole } from './prometheusConsole';
export type { PrometheusConsole, PrometheusConsoleOptions } from './prometheusConsole';
