/**
 * A bounded sample of latencies (ms) for one vitals interval: reservoir sampling into a
 * fixed Float64Array, so a burst of a million deliveries costs the same memory as ten.
 */
export class LatencyWindow {
  private readonly buf: Float64Array;
  private n = 0;

  constructor(capacity = 2048) {
    this.buf = new Float64Array(capacity);
  }

  add(ms: number): void {
    const cap = this.buf.length;
    if (this.n < cap) this.buf[this.n] = ms;
    else {
      const j = Math.floor(Math.random() * (this.n + 1));
      if (j < cap) this.buf[j] = ms;
    }
    this.n++;
  }

  /**
   * `n` observations of one value (a fan-out's deliveries). Added as up to 16 samples:
   * enough to weigh a big fan-out above a single delivery in the interval's quantiles,
   * at a bounded cost whatever the fan-out's size.
   */
  addMany(ms: number, n: number): void {
    for (let i = Math.min(n, 16); i > 0; i--) this.add(ms);
  }

  /** p50 and p99 of the interval (0 when empty), then starts a new interval. */
  takeQuantiles(): { p50: number; p99: number } {
    const k = Math.min(this.n, this.buf.length);
    this.n = 0;
    if (k === 0) return { p50: 0, p99: 0 };
    const sorted = this.buf.slice(0, k).sort();
    const at = (q: number) => sorted[Math.min(k - 1, Math.floor(q * k))];
    return { p50: round(at(0.5)), p99: round(at(0.99)) };
  }
}

const round = (x: number) => Math.round(x * 100) / 100;
