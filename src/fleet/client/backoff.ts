/**
 * Reconnect delay with FULL jitter (AWS architecture blog, "Exponential Backoff And
 * Jitter"): uniformly random in `[0, min(maxMs, baseMs·2^attempt))`. Full jitter spreads a
 * crowd of clients that lost the same node over the whole window instead of letting them
 * arrive together at the next one.
 *
 * @param attempt failed attempts so far, from 0
 * @param random a source of uniform numbers in [0, 1); injected by tests
 * @returns the delay in ms (an integer)
 */
export function backoffDelay(attempt: number, backoff: { baseMs: number; maxMs: number }, random: () => number = Math.random): number {
  // Cap the exponent: 2^31 already exceeds any sane maxMs, and 2^1024 would be Infinity.
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(Math.max(0, attempt), 31));
  return Math.floor(random() * ceiling);
}
