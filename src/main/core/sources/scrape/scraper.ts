import type { SourceHealth } from '../../../../shared/api';
import type { Target } from '../../inventory/target';
import { ExpositionCache } from '../metrics/skeleton';
import { DEFAULT_SCRAPE, MetricsEndpoint } from './fetchMetrics';
import type { ScrapeOutcome } from './fetchMetrics';

export interface ScraperOptions {
  intervalMs: number;
  timeoutMs: number;
  maxBodyBytes: number;
}

export const DEFAULT_SCRAPER: ScraperOptions = { intervalMs: 5000, ...DEFAULT_SCRAPE };

/**
 * A scrape that starts at most this late for its slot is stamped with the slot's time, as
 * Prometheus does (`--scrape.adjust-timestamps`, 2 ms): a target's samples then come
 * exactly one interval apart, which the store codes in 1 bit a timestamp instead of the
 * 4 to 7 bits that timer jitter costs (measured: 46% of steps jittered by 1 to 8 ms).
 */
export const TIMESTAMP_TOLERANCE_MS = 2;

/** The time to stamp a scrape that started at `at` for its slot `slot`. */
export function alignedTimestamp(at: number, slot: number): number {
  return Math.abs(at - slot) <= TIMESTAMP_TOLERANCE_MS ? slot : at;
}

/** The slot after `slot` on its grid that is not in the past at `now` (slots a long scrape overran are skipped). */
export function nextSlot(slot: number, now: number, intervalMs: number): number {
  const next = slot + intervalMs;
  return next >= now ? next : next + Math.ceil((now - next) / intervalMs) * intervalMs;
}

/**
 * Scrapes one target's `/metrics` every interval (first scrape after a random offset
 * within the interval, so 200 targets do not fire together), never two at once. Scrapes
 * keep to a fixed grid of slots (timer lateness does not add up into drift), and a scrape
 * that starts within {@link TIMESTAMP_TOLERANCE_MS} of its slot is stamped with the slot.
 */
export class Scraper {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private running = false;
  /** When the next scrape is due (ms since the epoch). */
  private slot = 0;
  /** The target's `/metrics`, parsed once; `abort` ends a scrape in flight on stop. */
  private readonly endpoint: MetricsEndpoint;
  /** This target's scrape cache: its next exposition is read against its last one. */
  private readonly cache = new ExpositionCache();
  readonly health: SourceHealth = { state: 'idle', lastOkAt: null, lastError: null, durationMs: 0, samples: 0 };

  constructor(
    private readonly target: Target,
    private readonly o: ScraperOptions,
    private readonly onOutcome: (t: Target, outcome: ScrapeOutcome) => void,
  ) {
    this.endpoint = new MetricsEndpoint(`${target.opsUrl}/metrics`);
  }

  start(): void {
    const offset = Math.floor(Math.random() * Math.min(this.o.intervalMs, 1000));
    this.slot = Date.now() + offset;
    this.schedule(offset);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    const slot = this.slot;
    if (!this.running) {
      this.running = true;
      const outcome = await this.endpoint.fetch({ token: this.target.readToken, timeoutMs: Math.min(this.o.timeoutMs, this.o.intervalMs), maxBodyBytes: this.o.maxBodyBytes, cache: this.cache });
      this.running = false;
      if (this.stopped) return;
      outcome.at = alignedTimestamp(outcome.at, slot);
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
    const now = Date.now();
    this.slot = nextSlot(slot, now, this.o.intervalMs);
    this.schedule(this.slot - now);
  }

  stop(): void {
    this.stopped = true;
    this.endpoint.close();
    clearTimeout(this.timer);
  }
}
