import type { SourceHealth } from '../../../../shared/api';
import type { Target } from '../../inventory/target';
import { DEFAULT_SCRAPE, fetchMetrics } from './fetchMetrics';
import type { ScrapeOutcome } from './fetchMetrics';

export interface ScraperOptions {
  intervalMs: number;
  timeoutMs: number;
  maxBodyBytes: number;
}

export const DEFAULT_SCRAPER: ScraperOptions = { intervalMs: 5000, ...DEFAULT_SCRAPE };

/**
 * Scrapes one target's `/metrics` every interval (first scrape after a random offset
 * within the interval, so 200 targets do not fire together), never two at once.
 */
export class Scraper {
  private timer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  private running = false;
  readonly health: SourceHealth = { state: 'idle', lastOkAt: null, lastError: null, durationMs: 0, samples: 0 };

  constructor(
    private readonly target: Target,
    private readonly o: ScraperOptions,
    private readonly onOutcome: (t: Target, outcome: ScrapeOutcome) => void,
  ) {}

  start(): void {
    this.schedule(Math.random() * Math.min(this.o.intervalMs, 1000));
  }

  private schedule(delay: number): void {
    if (this.abort.signal.aborted) return;
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    const started = Date.now();
    if (!this.running) {
      this.running = true;
      const outcome = await fetchMetrics(`${this.target.opsUrl}/metrics`, { token: this.target.readToken, timeoutMs: Math.min(this.o.timeoutMs, this.o.intervalMs), maxBodyBytes: this.o.maxBodyBytes, signal: this.abort.signal });
      this.running = false;
      if (this.abort.signal.aborted) return;
      this.health.durationMs = outcome.durationMs;
      if (outcome.ok) {
        Object.assign(this.health, { state: 'ok', lastOkAt: outcome.at, lastError: null, samples: outcome.samples });
      } else {
        Object.assign(this.health, { state: 'failing', lastError: outcome.error, samples: 0 });
      }
      try {
        this.onOutcome(this.target, outcome);
      } catch (err) {
        this.health.lastError = `ingest failed: ${(err as Error).message}`;
      }
    }
    this.schedule(Math.max(0, this.o.intervalMs - (Date.now() - started)));
  }

  stop(): void {
    this.abort.abort();
    clearTimeout(this.timer);
  }
}
