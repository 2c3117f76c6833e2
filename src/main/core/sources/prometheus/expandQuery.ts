import { RATE_INTERVAL } from '../../profiles';

/**
 * The `rate()` window for a scrape interval (and, for range queries, a step), in whole
 * seconds: four scrapes, so a missed scrape never leaves `rate()` with fewer than two
 * samples, and at least one step plus one scrape, so consecutive points overlap
 * (Grafana's `$__rate_interval` rule).
 */
export function rateWindowSec(scrapeIntervalMs: number, stepMs = 0): number {
  return Math.ceil(Math.max(4 * scrapeIntervalMs, stepMs + scrapeIntervalMs) / 1000);
}

/** The query with `$__rate_interval` replaced by a window of `windowSec` seconds. */
export function expandQuery(query: string, windowSec: number): string {
  return query.split(RATE_INTERVAL).join(`${windowSec}s`);
}
