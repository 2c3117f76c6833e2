/**
 * MCAP log times are u64 nanoseconds; the console's clock is ms (possibly fractional on a
 * replay clock). These convert exactly: ms → ns through BigInt, and ns (as two 32-bit
 * halves) → ms with integer arithmetic that stays below 2^53.
 */
export function msToNs(ms: number): bigint {
  const whole = Math.floor(ms);
  return BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6));
}

/** ns = hi · 2^32 + lo, as ms (exact to the ns for times before the year 2262). */
export function nsHalvesToMs(hi: number, lo: number): number {
  // 2^32 = 4294 · 10^6 + 967296
  const q = hi * 967_296 + lo;
  const rest = q % 1_000_000;
  return hi * 4294 + (q - rest) / 1_000_000 + rest / 1e6;
}

export function nsToMs(ns: bigint): number {
  return nsHalvesToMs(Number(ns >> 32n), Number(ns & 0xffffffffn));
}
