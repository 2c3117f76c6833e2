import type { NodeHealth } from '../../../shared/api';

/** What the sources say about a node, as of now (inputs of the health machine). */
export interface HealthInputs {
  now: number;
  /** The node's own state from its latest vitals/reset/status. */
  reportedState: 'serving' | 'draining' | 'drained' | null;
  /** When the latest vitals arrived (console clock). */
  lastVitalsAt: number | null;
  /** Events stream: open, or why not. */
  stream: 'open' | 'stale' | 'connecting' | 'failing' | 'idle';
  streamError: ErrorClass | null;
  /** Last scrape outcome. */
  scrapeOk: boolean | null;
  scrapeError: ErrorClass | null;
  lastScrapeOkAt: number | null;
  scrapeIntervalMs: number;
  /** A `restarting` or `shutdown` lifecycle event was seen and no new boot since. */
  restartingSince: number | null;
  /**
   * Since when reconnecting to the node's event stream is refused (nothing listens on its
   * ops port); null while it is not. Definitive unless a scrape succeeded since.
   */
  streamRefusedSince?: number | null;
}

/**
 * Why a read failed, judged from the error: the node is gone (`unreachable`), the console
 * cannot read it though it answers (`unreadable`: auth, bad content, parse errors), or
 * nobody can tell (`timeout`). Keeping these apart is what keeps "the fleet is down"
 * from looking like "the console cannot see the fleet".
 */
export type ErrorClass = 'unreachable' | 'unreadable' | 'timeout';

export interface HealthVerdict {
  health: NodeHealth;
  reason: string;
}

/** Vitals come every second: three missed ones make the view stale. */
const VITALS_FRESH_MS = 3000;
/** A node that said it restarts and has not come back within this is down. */
const RESTART_GRACE_MS = 60_000;

/**
 * The node health state machine, as a pure function of its inputs (so every transition
 * is testable and replay computes exactly what live did).
 */
export function judgeHealth(i: HealthInputs): HealthVerdict {
  const vitalsFresh = i.lastVitalsAt !== null && i.now - i.lastVitalsAt <= VITALS_FRESH_MS;
  const scrapeFresh = i.scrapeOk === true && i.lastScrapeOkAt !== null && i.now - i.lastScrapeOkAt <= 2.5 * i.scrapeIntervalMs;
  const refused = i.streamRefusedSince != null && (i.lastScrapeOkAt === null || i.lastScrapeOkAt < i.streamRefusedSince);
  const unreachable = refused || (i.streamError === 'unreachable' && (i.scrapeError === 'unreachable' || !scrapeFresh));
  // No event stream is read (Prometheus mode, node not in focus): the scrape alone tells.
  const scrapeUnreachable = i.stream === 'idle' && i.scrapeError === 'unreachable';

  if (i.restartingSince !== null) {
    if (i.now - i.restartingSince > RESTART_GRACE_MS) return { health: 'down', reason: `said it was restarting ${Math.round((i.now - i.restartingSince) / 1000)} s ago and has not come back` };
    if (!vitalsFresh) return { health: 'restarting', reason: 'restarting: waiting for a fresh process' };
  }
  if (unreachable) return { health: 'down', reason: 'not reachable: connection refused or reset' };
  if (scrapeUnreachable) return { health: 'down', reason: 'not reachable: its scrapes fail (nothing answers on its metrics port)' };
  if (vitalsFresh || scrapeFresh) {
    if (i.reportedState === 'draining') return { health: 'draining', reason: 'draining: moving its clients to other nodes' };
    if (i.reportedState === 'drained') return { health: 'drained', reason: 'drained: no longer accepts clients' };
    if (!vitalsFresh) {
      const events = i.stream === 'open' ? 'waiting for live events' : i.stream === 'stale' ? 'live events stale' : 'live events unavailable';
      return { health: 'up', reason: `metrics fresh; ${events}` };
    }
    return { health: 'up', reason: 'serving' };
  }
  const unreadable = i.streamError === 'unreadable' || i.scrapeError === 'unreadable';
  if (unreadable) return { health: 'unknown', reason: 'the console cannot read this node (see blind spots)' };
  if (i.lastVitalsAt === null && i.lastScrapeOkAt === null) return { health: 'unknown', reason: 'no data yet' };
  if (i.stream === 'stale' || i.streamError === 'timeout' || i.scrapeError === 'timeout') return { health: 'stale', reason: 'no fresh data: the node does not answer in time' };
  return { health: 'stale', reason: 'no fresh data' };
}

/** Classifies a fetch/read error message (from the scraper or the event stream reader). */
export function classifyError(message: string | null): ErrorClass | null {
  if (message === null) return null;
  if (/ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|socket hang up|other side closed|terminated|fetch failed/i.test(message)) return 'unreachable';
  if (/timed? ?out|timeout|idle|silent|Abort|no (complete|usable) (answer|response) within/i.test(message)) return 'timeout';
  return 'unreadable';
}
