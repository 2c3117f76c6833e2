import type { AppendResult, SamplePoint, SampleVisitor, Series } from './seriesReader';
import { SERIES_OBJECT_OVERHEAD_BYTES } from './seriesReader';

/** Options for {@link RingSeries}. */
export interface RingSeriesOptions {
  /**
   * Storage of values. `float64` (default) is exact for every value, including raw
   * counters beyond 2^24. `float32` halves value memory and keeps ~7 significant
   * digits (relative error <= 2^-24, about 6e-8): fine for derived rates, latencies
   * and other values that are only charted; NOT for raw counters (integers above
   * 2^24 = 16,777,216 would lose units, and rates computed from them would be wrong).
   */
  valueType?: 'float64' | 'float32';
}

/** Largest capacity accepted (16 bytes a sample: 10 M samples = 160 MB for one series). */
export const RING_SERIES_MAX_CAPACITY = 10_000_000;

/**
 * A fixed-capacity ring of (timestampMs, value) samples in typed arrays.
 *
 * Invariants:
 * - timestamps strictly increase from the oldest to the newest sample: an append
 *   whose timestamp equals the newest is rejected as `duplicate` (first write
 *   wins), an older one as `out-of-order`; nothing is overwritten except, once
 *   full, the oldest sample;
 * - `append` is O(1) and allocates nothing; the arrays are allocated once, in the
 *   constructor, and owned by this object (never handed out);
 * - logical index 0 is the oldest retained sample, `length - 1` the newest.
 */
export class RingSeries implements Series {
  /** Maximum number of samples kept. */
  readonly capacity: number;
  private readonly times: Float64Array;
  private readonly values: Float64Array | Float32Array;
  /** Physical index of the oldest sample. */
  private head = 0;
  private count = 0;
  private disposed = false;

  /**
   * @param capacity samples kept, e.g. retention / resolution = 3600 for 1 h at 1 s.
   * @throws RangeError when capacity is not an integer in [1, RING_SERIES_MAX_CAPACITY].
   */
  constructor(capacity: number, options: RingSeriesOptions = {}) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > RING_SERIES_MAX_CAPACITY) {
      throw new RangeError(`RingSeries capacity must be an integer in [1, ${RING_SERIES_MAX_CAPACITY}], got ${capacity}`);
    }
    this.capacity = capacity;
    this.times = new Float64Array(capacity);
    this.values = options.valueType === 'float32' ? new Float32Array(capacity) : new Float64Array(capacity);
  }

  /** Samples currently retained (at most `capacity`). */
  get length(): number {
    return this.count;
  }

  /** Appends a sample; once full, the oldest sample is overwritten. O(1), allocation-free. */
  append(tMs: number, value: number): AppendResult {
    if (!Number.isFinite(tMs) || this.disposed) return 'invalid';
    if (this.count > 0) {
      const last = this.times[this.physical(this.count - 1)];
      if (tMs === last) return 'duplicate';
      if (tMs < last) return 'out-of-order';
    }
    let slot: number;
    if (this.count < this.capacity) {
      slot = this.physical(this.count);
      this.count++;
    } else {
      slot = this.head;
      this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    }
    this.times[slot] = tMs;
    this.values[slot] = value;
    return 'ok';
  }

  /** Forgets every sample (keeps the arrays). */
  clear(): void {
    this.head = 0;
    this.count = 0;
  }

  /** Empties the series for good: readers still holding it see no samples, appends are `invalid`. */
  dispose(): void {
    this.clear();
    this.disposed = true;
  }

  /** Timestamp of the sample at logical index `i` (0 = oldest); NaN when out of range. */
  timestampAt(i: number): number {
    return i >= 0 && i < this.count ? this.times[this.physical(i)] : NaN;
  }

  /** Value of the sample at logical index `i` (0 = oldest); NaN when out of range. */
  valueAt(i: number): number {
    return i >= 0 && i < this.count ? this.values[this.physical(i)] : NaN;
  }

  firstTimestamp(): number {
    return this.timestampAt(0);
  }

  latestTimestamp(): number {
    return this.timestampAt(this.count - 1);
  }

  latestValue(): number {
    return this.valueAt(this.count - 1);
  }

  /** Logical index of the first sample with `tMs >= atMs` (`length` when none). Binary search. */
  lowerBound(atMs: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[this.physical(mid)] < atMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Logical index of the first sample with `tMs > atMs` (`length` when none). Binary search. */
  upperBound(atMs: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[this.physical(mid)] <= atMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  sampleAtOrBefore(atMs: number, out: SamplePoint): boolean {
    const i = this.upperBound(atMs) - 1;
    if (i < 0) return false;
    const p = this.physical(i);
    out.tMs = this.times[p];
    out.value = this.values[p];
    return true;
  }

  scan(fromMs: number, toMs: number, visit: SampleVisitor): number {
    if (!(fromMs <= toMs)) return 0;
    const start = this.lowerBound(fromMs);
    const end = this.upperBound(toMs);
    let p = this.physical(start);
    for (let i = start; i < end; i++) {
      visit(this.times[p], this.values[p]);
      p = p + 1 === this.capacity ? 0 : p + 1;
    }
    return end > start ? end - start : 0;
  }

  copyRange(fromMs: number, toMs: number, outT: Float64Array, outV: Float64Array): number {
    if (!(fromMs <= toMs)) return 0;
    const start = this.lowerBound(fromMs);
    const end = Math.min(this.upperBound(toMs), start + Math.min(outT.length, outV.length));
    let p = this.physical(start);
    let n = 0;
    for (let i = start; i < end; i++, n++) {
      outT[n] = this.times[p];
      outV[n] = this.values[p];
      p = p + 1 === this.capacity ? 0 : p + 1;
    }
    return n;
  }

  /** Typed-array bytes (capacity × (8 + 8 or 4)) plus a fixed object estimate. */
  approxBytes(): number {
    return this.times.byteLength + this.values.byteLength + SERIES_OBJECT_OVERHEAD_BYTES;
  }

  private physical(logical: number): number {
    const p = this.head + logical;
    return p >= this.capacity ? p - this.capacity : p;
  }
}
