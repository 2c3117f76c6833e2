/** Exponential backoff bounds, in milliseconds. */
export interface BackoffOptions {
  /** Ceiling of the first delay (attempt 0). Default 500. */
  baseMs?: number;
  /** Largest ceiling, however many attempts failed. Default 30 000. */
  maxMs?: number;
}

/** The defaults of {@link BackoffOptions}. */
export const DEFAULT_BACKOFF: Required<BackoffOptions> = { baseMs: 500, maxMs: 30_000 };

/**
 * Delay before reconnect attempt number `attempt` (0 for the first after a success),
 * in whole milliseconds: exponential backoff with full jitter,
 * `random() * min(maxMs, baseMs * 2^attempt)`, but never below `floorMs` (the
 * server-advised `retry:`). Full jitter spreads a fleet of readers that all lost
 * their node at the same moment over the whole window instead of in waves.
 *
 * `random` should return a value in [0, 1) like `Math.random`; anything outside is
 * clamped, and NaN counts as 1 (the cautious end).
 */
export function backoffDelay(
  attempt: number,
  floorMs: number,
  random: () => number,
  backoff: Required<BackoffOptions> = DEFAULT_BACKOFF,
): number {
  const n = Math.max(0, Math.floor(attempt));
  // 2 ** n overflows to Infinity for large n, which min() then caps at maxMs.
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** n);
  const r = random();
  const jitter = Number.isNaN(r) ? 1 : Math.min(1, Math.max(0, r));
  return Math.max(Math.max(0, floorMs), Math.floor(jitter * ceiling));
}
