import { COMPRESSED_SERIES_MAX_CAPACITY, CompressedSeries } from './compressedSeries';
import { PagePool } from './pagePool';
import { RING_SERIES_MAX_CAPACITY, RingSeries } from './ringSeries';
import { seriesKey } from './seriesKey';
import type { Labels } from './seriesKey';
import type { AppendResult, SeriesReader } from './seriesReader';

type StoredSeries = RingSeries | CompressedSeries;

/** A series found by the identity of its label object (see `appendSample`). */
interface LabeledSeries {
  readonly name: string;
  readonly series: StoredSeries;
}

/** Options for {@link SeriesStore}. */
export interface SeriesStoreOptions {
  /** How long a series is kept at the expected resolution, in ms; default 3,600,000 (1 h). */
  retentionMs?: number;
  /** Expected interval between samples of one series, in ms; default 1,000 (1 s). */
  resolutionMs?: number;
  /**
   * `compressed` (default): Gorilla-compressed chunks, about 1–3 bytes a sample for
   * real metrics; the only encoding that fits hundreds of nodes in the console's
   * memory budget. `plain`: {@link RingSeries}, 16 bytes a sample, O(1) random
   * access; for small stores and as the benchmark baseline.
   */
  encoding?: 'compressed' | 'plain';
  /**
   * Most series one target may create (default 2,000, about 20× the fleet contract's
   * series count): a node exposing runaway label values costs bounded memory.
   */
  maxSeriesPerTarget?: number;
}

/** Counters of what the store did with appended samples since it was created. */
export interface SeriesStoreStats {
  ok: number;
  duplicate: number;
  outOfOrder: number;
  invalid: number;
  seriesLimit: number;
}

/** Estimated bytes of a Map entry, per target and per series, besides its key string (V8; not measured per entry). */
export const MAP_ENTRY_OVERHEAD_BYTES = 80;

/**
 * The console's in-memory time series: per target (gateway node id), per series key
 * (`name{labels}` as built by seriesKey), the last `capacity` samples.
 *
 * Retention is counted in samples, not time: capacity = ceil(retentionMs /
 * resolutionMs). A series sampled more slowly than the expected resolution keeps a
 * longer time span in the same memory; one sampled faster keeps a shorter one. That
 * keeps memory bounded whatever the sources do: at most targets × maxSeriesPerTarget
 * × capacity samples.
 *
 * Series are created lazily by the first `append`. Readers get {@link SeriesReader}
 * views that stay valid (and keep filling) until their target is dropped.
 */
export class SeriesStore {
  readonly retentionMs: number;
  readonly resolutionMs: number;
  /** Samples kept per series. */
  readonly capacity: number;
  readonly encoding: 'compressed' | 'plain';
  readonly maxSeriesPerTarget: number;
  private readonly targetsById = new Map<string, Map<string, StoredSeries>>();
  /** Per target: label object → its series, for `appendSample` (a memo: never the only way to a series). */
  private readonly labeledById = new Map<string, Map<Labels, LabeledSeries>>();
  /** Pages of every compressed series of this store (and only of this store); none for `plain`. */
  private readonly pool: PagePool | undefined;
  private readonly counts: SeriesStoreStats = { ok: 0, duplicate: 0, outOfOrder: 0, invalid: 0, seriesLimit: 0 };

  /** @throws RangeError naming the option when an option is out of range. */
  constructor(options: SeriesStoreOptions = {}) {
    const retentionMs = options.retentionMs ?? 3_600_000;
    const resolutionMs = options.resolutionMs ?? 1_000;
    const maxSeries = options.maxSeriesPerTarget ?? 2_000;
    if (!Number.isFinite(retentionMs) || retentionMs <= 0) {
      throw new RangeError(`SeriesStore retentionMs must be a positive number of ms, got ${retentionMs}`);
    }
    if (!Number.isFinite(resolutionMs) || resolutionMs <= 0) {
      throw new RangeError(`SeriesStore resolutionMs must be a positive number of ms, got ${resolutionMs}`);
    }
    if (!Number.isInteger(maxSeries) || maxSeries < 1) {
      throw new RangeError(`SeriesStore maxSeriesPerTarget must be a positive integer, got ${maxSeries}`);
    }
    const encoding = options.encoding ?? 'compressed';
    if (encoding !== 'compressed' && encoding !== 'plain') {
      throw new RangeError(`SeriesStore encoding must be 'compressed' or 'plain', got ${String(encoding)}`);
    }
    const capacity = Math.ceil(retentionMs / resolutionMs);
    const maxCapacity = encoding === 'plain' ? RING_SERIES_MAX_CAPACITY : COMPRESSED_SERIES_MAX_CAPACITY;
    if (capacity > maxCapacity) {
      throw new RangeError(`SeriesStore retentionMs / resolutionMs = ${capacity} samples a series, more than the ${maxCapacity} allowed for '${encoding}'`);
    }
    this.retentionMs = retentionMs;
    this.resolutionMs = resolutionMs;
    this.capacity = Math.max(1, capacity);
    this.encoding = encoding;
    this.maxSeriesPerTarget = maxSeries;
    this.pool = encoding === 'compressed' ? new PagePool() : undefined;
  }

  /**
   * Appends one sample, creating the target and the series on first use.
   * Never throws: bad input is answered with an {@link AppendResult} and counted in `stats()`.
   */
  append(target: string, key: string, tMs: number, value: number): AppendResult {
    const result = this.appendTo(target, key, tMs, value);
    this.count(result);
    return result;
  }

  /**
   * Appends one sample of the series `name{labels}`: exactly `append(target,
   * seriesKey(name, labels), tMs, value)`, but faster for a label object seen before
   * with the same name. A parser with a scrape cache hands the same label objects
   * every scrape, so a steady target's samples find their series by the object's
   * identity: no key built, no key hashed. Label objects must not change afterwards.
   * @throws TypeError from seriesKey when `name` or a label name is not a valid Prometheus name.
   */
  appendSample(target: string, name: string, labels: Labels, tMs: number, value: number): AppendResult {
    const byLabels = this.labeledById.get(target);
    const known = byLabels?.get(labels);
    let result: AppendResult;
    if (known !== undefined && known.name === name) result = known.series.append(tMs, value);
    else {
      const key = seriesKey(name, labels);
      result = this.appendTo(target, key, tMs, value);
      const series = this.targetsById.get(target)?.get(key);
      if (series !== undefined) this.rememberLabels(target, byLabels, labels, name, series);
    }
    this.count(result);
    return result;
  }

  private rememberLabels(target: string, known: Map<Labels, LabeledSeries> | undefined, labels: Labels, name: string, series: StoredSeries): void {
    let byLabels = known;
    if (byLabels === undefined) {
      byLabels = new Map();
      this.labeledById.set(target, byLabels);
    }
    // Label objects of past scrapes (the series set changed, or no scrape cache) are
    // dropped wholesale once they clearly outnumber the target's series.
    if (byLabels.size >= 2 * (this.targetsById.get(target)?.size ?? 0) + 64) byLabels.clear();
    byLabels.set(labels, { name, series });
  }

  /** The series of `target` under `key`, or undefined. */
  get(target: string, key: string): SeriesReader | undefined {
    return this.targetsById.get(target)?.get(key);
  }

  /** Series keys of a target, in creation order (empty for an unknown target). */
  keys(target: string): string[] {
    const byKey = this.targetsById.get(target);
    return byKey === undefined ? [] : [...byKey.keys()];
  }

  /** Target ids, in creation order. */
  targets(): string[] {
    return [...this.targetsById.keys()];
  }

  /** The series under `key` of every target that has one (for fleet-wide aggregates). */
  seriesAcrossTargets(key: string): SeriesReader[] {
    const out: SeriesReader[] = [];
    for (const byKey of this.targetsById.values()) {
      const s = byKey.get(key);
      if (s !== undefined) out.push(s);
    }
    return out;
  }

  /**
   * Forgets a target and all its series (a node left the fleet); their memory is
   * reused by later series. Readers still holding one of its series see it empty.
   * @returns whether the target existed.
   */
  dropTarget(target: string): boolean {
    const byKey = this.targetsById.get(target);
    if (byKey === undefined) return false;
    for (const series of byKey.values()) series.dispose();
    this.labeledById.delete(target);
    return this.targetsById.delete(target);
  }

  /** Number of series over all targets. */
  seriesCount(): number {
    let n = 0;
    for (const byKey of this.targetsById.values()) n += byKey.size;
    return n;
  }

  /**
   * Approximate bytes held: every series' {@link SeriesReader.approxBytes}, the page
   * pool's idle bytes (pages handed out and given back, and its free list), and a fixed
   * estimate per map entry plus twice the key length (UTF-16). An estimate for
   * budgeting and for the UI, not a measurement; the benchmark compares it with RSS.
   */
  approxBytes(): number {
    const pool = this.pool;
    let bytes = pool === undefined ? 0 : pool.allocatedBytes() - pool.pagesInUse() * pool.pageBytes;
    for (const [target, byKey] of this.targetsById) {
      bytes += MAP_ENTRY_OVERHEAD_BYTES + 2 * target.length;
      for (const [key, series] of byKey) bytes += series.approxBytes() + MAP_ENTRY_OVERHEAD_BYTES + 2 * key.length;
    }
    return bytes;
  }

  /** Counts of append outcomes since creation (a copy). */
  stats(): SeriesStoreStats {
    return { ...this.counts };
  }

  private appendTo(target: string, key: string, tMs: number, value: number): AppendResult {
    if (target === '' || key === '' || !Number.isFinite(tMs)) return 'invalid';
    let byKey = this.targetsById.get(target);
    if (byKey === undefined) {
      byKey = new Map();
      this.targetsById.set(target, byKey);
    }
    let series = byKey.get(key);
    if (series === undefined) {
      if (byKey.size >= this.maxSeriesPerTarget) return 'series-limit';
      series = this.createSeries();
      byKey.set(key, series);
    }
    return series.append(tMs, value);
  }

  private createSeries(): StoredSeries {
    return this.pool === undefined ? new RingSeries(this.capacity) : new CompressedSeries(this.capacity, { pool: this.pool });
  }

  private count(result: AppendResult): void {
    switch (result) {
      case 'ok': this.counts.ok++; break;
      case 'duplicate': this.counts.duplicate++; break;
      case 'out-of-order': this.counts.outOfOrder++; break;
      case 'invalid': this.counts.invalid++; break;
      case 'series-limit': this.counts.seriesLimit++; break;
    }
  }
}
