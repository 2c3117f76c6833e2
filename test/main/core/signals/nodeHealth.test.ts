import { describe, expect, it } from 'vitest';
import { classifyError, judgeHealth } from '../../../../src/main/core/signals/nodeHealth';
import type { HealthInputs } from '../../../../src/main/core/signals/nodeHealth';

const now = 1_000_000;
const base: HealthInputs = {
  now, reportedState: 'serving', lastVitalsAt: now - 500, stream: 'open', streamError: null,
  scrapeOk: true, scrapeError: null, lastScrapeOkAt: now - 1000, scrapeIntervalMs: 5000, restartingSince: null,
};

describe('judgeHealth', () => {
  it.each<[string, Partial<HealthInputs>, string, RegExp]>([
    ['fresh vitals, serving', {}, 'up', /^serving$/],
    ['draining', { reportedState: 'draining' }, 'draining', /draining/],
    ['drained', { reportedState: 'drained' }, 'drained', /drained/],
    ['no data at all', { lastVitalsAt: null, lastScrapeOkAt: null, scrapeOk: null, stream: 'connecting' }, 'unknown', /no data yet/],
    ['refused on both', { lastVitalsAt: now - 10_000, stream: 'failing', streamError: 'unreachable', scrapeOk: false, scrapeError: 'unreachable' }, 'down', /not reachable/],
    ['stream refused, scrape never ran yet', { lastVitalsAt: now - 10_000, stream: 'failing', streamError: 'unreachable', scrapeOk: null, lastScrapeOkAt: null }, 'down', /not reachable/],
    ['stream refused since after the last good scrape', { lastVitalsAt: now - 2000, stream: 'failing', streamError: 'unreachable', streamRefusedSince: now - 500, lastScrapeOkAt: now - 1500 }, 'down', /not reachable/],
    ['stream refused, but a scrape succeeded since', { lastVitalsAt: now - 4000, stream: 'failing', streamError: 'unreachable', streamRefusedSince: now - 3000, lastScrapeOkAt: now - 1000 }, 'up', /metrics fresh/],
    ['no event stream read (Prometheus mode), its scrapes unreachable', { lastVitalsAt: null, stream: 'idle', scrapeOk: false, scrapeError: 'unreachable', lastScrapeOkAt: now - 6000 }, 'down', /not reachable: its scrapes fail/],
    ['no event stream read, scrapes unreadable: not down', { lastVitalsAt: null, stream: 'idle', scrapeOk: false, scrapeError: 'unreadable', lastScrapeOkAt: null }, 'unknown', /cannot read/],
    ['stream silent, scrape fresh', { lastVitalsAt: now - 10_000, stream: 'stale' }, 'up', /metrics fresh; live events stale/],
    ['just connected: scrape fresh, stream open, no vitals yet', { lastVitalsAt: null, stream: 'open' }, 'up', /metrics fresh; waiting for live events/],
    ['both silent (timeouts)', { lastVitalsAt: now - 10_000, lastScrapeOkAt: now - 60_000, stream: 'stale', scrapeOk: false, scrapeError: 'timeout' }, 'stale', /does not answer in time/],
    ['wrong token everywhere', { lastVitalsAt: null, lastScrapeOkAt: null, stream: 'failing', streamError: 'unreadable', scrapeOk: false, scrapeError: 'unreadable' }, 'unknown', /cannot read/],
    ['restarting, no fresh vitals', { lastVitalsAt: now - 5000, restartingSince: now - 2000, stream: 'failing', streamError: 'unreachable' }, 'restarting', /restarting/],
    ['restarting for too long', { lastVitalsAt: now - 90_000, restartingSince: now - 61_000, stream: 'failing', streamError: 'unreachable' }, 'down', /has not come back/],
  ])('%s → %s', (_name, patch, health, reason) => {
    const v = judgeHealth({ ...base, ...patch });
    expect(v.health).toBe(health);
    expect(v.reason).toMatch(reason);
  });

  it('never says down when the console only cannot read the node', () => {
    for (const scrapeError of ['unreadable', 'timeout', null] as const) {
      const v = judgeHealth({ ...base, lastVitalsAt: null, lastScrapeOkAt: null, stream: 'failing', streamError: 'unreadable', scrapeOk: false, scrapeError });
      expect(v.health).not.toBe('down');
    }
  });
});

describe('classifyError', () => {
  it.each([
    ['fetch failed (ECONNREFUSED)', 'unreachable'],
    ['terminated', 'unreachable'],
    ['timed out after 400 ms', 'timeout'],
    ['no complete answer within 400 ms', 'timeout'],
    ['no usable response within connectTimeoutMs (10000 ms)', 'timeout'],
    ['cannot fetch: connect ECONNREFUSED 127.0.0.1:9464', 'unreachable'],
    ['HTTP 401: {"error":"missing or wrong read token"}', 'unreadable'],
    ['parse error at line 3, column 9: invalid value', 'unreadable'],
    [null, null],
  ])('%s → %s', (msg, cls) => expect(classifyError(msg)).toBe(cls));
});
