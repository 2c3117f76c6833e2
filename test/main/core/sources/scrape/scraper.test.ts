import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Target } from '../../../../../src/main/core/inventory/target';
import type { ScrapeOutcome } from '../../../../../src/main/core/sources/scrape/fetchMetrics';
import { Scraper, TIMESTAMP_TOLERANCE_MS, alignedTimestamp, nextSlot } from '../../../../../src/main/core/sources/scrape/scraper';

describe('Scraper timing', () => {
  it('stamps a scrape that starts within the tolerance of its slot with the slot, and keeps exact starts otherwise', () => {
    expect(alignedTimestamp(10_000, 10_000)).toBe(10_000);
    expect(alignedTimestamp(10_000 + TIMESTAMP_TOLERANCE_MS, 10_000)).toBe(10_000);
    expect(alignedTimestamp(10_000 - TIMESTAMP_TOLERANCE_MS, 10_000)).toBe(10_000);
    expect(alignedTimestamp(10_001 + TIMESTAMP_TOLERANCE_MS, 10_000)).toBe(10_001 + TIMESTAMP_TOLERANCE_MS);
  });

  it('keeps slots on a fixed grid and skips the ones a long scrape overran', () => {
    expect(nextSlot(10_000, 10_003, 1000)).toBe(11_000);
    expect(nextSlot(10_000, 11_000, 1000)).toBe(11_000);
    expect(nextSlot(10_000, 11_001, 1000)).toBe(12_000);
    expect(nextSlot(10_000, 13_500, 1000)).toBe(14_000);
  });

  it('scrapes on its grid: stamps are slots one interval apart, or within the timer lateness of one', async () => {
    let n = 0;
    const server = createServer((_q, r) => {
      r.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      r.end(`up ${++n}\n`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const target: Target = { id: 't', opsUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, labels: {}, readToken: null, adminToken: null, source: 'test' };
    const outcomes: ScrapeOutcome[] = [];
    const scraper = new Scraper(target, { intervalMs: 50, timeoutMs: 1000, maxBodyBytes: 1 << 20 }, (_t, o) => outcomes.push(o));
    scraper.start();
    await new Promise((r) => setTimeout(r, 700));
    scraper.stop();
    server.closeAllConnections();
    server.close();
    expect(outcomes.length).toBeGreaterThanOrEqual(6);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    // Stamps are slots (one phase on a 50 ms grid) or, when the timer fired late, the real
    // start; with slots on a fixed grid, lateness does not add up from scrape to scrape.
    const phases = new Map<number, number>();
    for (const o of outcomes) phases.set(o.at % 50, (phases.get(o.at % 50) ?? 0) + 1);
    expect(Math.max(...phases.values())).toBeGreaterThanOrEqual(2);
  });
});
