// The per-target scrape cache. A node's /metrics changes its values from one scrape
// to the next, rarely its lines: same families, same series, same order. So, as
// Prometheus keeps a cache per target from a series' raw text to its series, the
// console keeps per target the *skeleton* of the previous exposition: every line's
// text up to where its value starts, and the sample name and label object it gave.
// The next parse compares each line with the skeleton (one slice-and-compare, which
// V8 does with memcmp) and reads only the value; no label is scanned, unescaped or
// allocated, no family looked up. Equal raw text up to the value, after equal lines
// before it, is exactly what makes the full parser give the same name, labels and
// family, so the answer is the full parser's. At the first line that differs (a new
// series, an exemplar, a value the fast path does not take) it gives up, and the full
// parser runs and records a new skeleton.

import { LineScanner } from './lineScanner';
import { FamilyRecord, SampleRecord } from './sampleRecord';
import type { Exposition, ExpositionFormat, MetricFamily, MetricType, Sample } from './types';

const LF = 10;
const HASH = 35;

// The fast path's results live for a moment (until the scrape is ingested), so they must
// be born in V8's young generation: samples and families are made by constructors and
// arrays by `Array.of`, never by literals (see sampleRecord.ts; measured in the console,
// the literals' families and sample arrays of every scrape went to the old generation).

/** An exposition of the fast path. */
export class CachedExposition implements Exposition {
  constructor(
    readonly format: ExpositionFormat,
    readonly families: MetricFamily[],
  ) {}
}

/** The previous exposition of one target, as the fast path needs it. */
interface Skeleton {
  readonly om: boolean;
  readonly maxLabelValueBytes: number;
  readonly maxSamples: number;
  /** Every line of the text: a sample line up to where its value starts, any other line whole (no LF). */
  readonly lines: readonly string[];
  /** Per line: the index of its sample, or -1. */
  readonly sampleOf: Int32Array;
  /** Per sample, in line order: name, labels (shared by every exposition parsed from this skeleton), family index. */
  readonly names: readonly string[];
  readonly labels: readonly Record<string, string>[];
  readonly familyOf: Int32Array;
  readonly families: readonly { name: string; type: MetricType; help: string | undefined; unit: string | undefined }[];
}

/**
 * Memory of one target's previous exposition, passed to `parseExposition` with every
 * scrape of that target (one cache per target: sharing one between targets only makes
 * it miss). Label objects of samples parsed through a cache are shared between the
 * expositions it answers: treat them as read-only (every consumer does).
 */
export class ExpositionCache {
  /** @internal */
  skeleton: Skeleton | null = null;
  /** Parses answered from the skeleton / parsed in full. */
  hits = 0;
  misses = 0;
  /** After the fast path gave up, parses to run in full before trying it again (doubles up to 64). */
  private skip = 0;
  private backoff = 0;

  /** @internal Whether to try the fast path this time. */
  shouldTry(): boolean {
    if (this.skeleton === null) return false;
    if (this.skip > 0) {
      this.skip--;
      return false;
    }
    return true;
  }

  /** @internal The fast path answered. */
  answered(): void {
    this.hits++;
    this.backoff = 0;
  }

  /** @internal The fast path gave up (or was not tried): the full parser ran. */
  gaveUp(tried: boolean): void {
    this.misses++;
    if (!tried) return;
    this.backoff = this.backoff === 0 ? 1 : Math.min(64, this.backoff * 2);
    this.skip = this.backoff;
  }
}

/** Collects the line structure of one full parse (the parser calls it line by line). */
export class SkeletonRecorder {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly sampleOf: number[] = [];
  private readonly samples: Sample[] = [];
  private readonly familyOf: number[] = [];
  private usable = true;

  sampleLine(start: number, valueAt: number, sample: Sample, family: number): void {
    this.starts.push(start);
    this.ends.push(valueAt);
    this.sampleOf.push(this.samples.length);
    this.samples.push(sample);
    this.familyOf.push(family);
  }

  otherLine(start: number, end: number): void {
    this.starts.push(start);
    this.ends.push(end);
    this.sampleOf.push(-1);
  }

  /** The exposition has something the fast path never takes (exemplars): do not keep a skeleton. */
  unusable(): void {
    this.usable = false;
  }

  /** The skeleton of a successful parse of `text`, or null when it is not worth keeping. */
  finish(text: string, families: readonly MetricFamily[], om: boolean, maxLabelValueBytes: number, maxSamples: number): Skeleton | null {
    if (!this.usable) return null;
    const n = this.starts.length;
    const lines: string[] = new Array<string>(n);
    for (let k = 0; k < n; k++) lines[k] = text.slice(this.starts[k], this.ends[k]);
    return {
      om, maxLabelValueBytes, maxSamples, lines,
      sampleOf: Int32Array.from(this.sampleOf),
      names: this.samples.map((s) => s.name),
      labels: this.samples.map((s) => s.labels),
      familyOf: Int32Array.from(this.familyOf),
      families: families.map((f) => ({ name: f.name, type: f.type, help: f.help, unit: f.unit })),
    };
  }
}

/** Whether `sk` was recorded with these options (another format or limit needs the full parser). */
export function fits(sk: Skeleton, om: boolean, maxLabelValueBytes: number, maxSamples: number): boolean {
  return sk.om === om && sk.maxLabelValueBytes === maxLabelValueBytes && sk.maxSamples === maxSamples;
}

/** The fast path: one run over a text against a skeleton. */
export class SkeletonParser extends LineScanner {
  /**
   * The families of the text if every line matches the skeleton and every value and
   * timestamp reads as the full parser reads them; null at the first thing that does
   * not (the caller then runs the full parser, which also reports any error).
   */
  run(sk: Skeleton): MetricFamily[] | null {
    const text = this.text;
    const len = this.len;
    const om = sk.om;
    const lines = sk.lines;
    const sampleOf = sk.sampleOf;
    const names = sk.names;
    const labels = sk.labels;
    const familyOf = sk.familyOf;
    const families = Array.of<MetricFamily>();
    for (const d of sk.families) families.push(new FamilyRecord(d.name, d.type, d.help, d.unit, Array.of<Sample>()));
    const last = lines.length - 1;
    let pos = 0;
    for (let k = 0; k <= last; k++) {
      const line = lines[k];
      if (text.slice(pos, pos + line.length) !== line) return null;
      pos += line.length;
      const si = sampleOf[k];
      if (si >= 0) {
        // The value starts right here, as it did in the skeleton's text.
        const end = this.numberEnd(pos, 0);
        if (end < 0) return null;
        const value = this.num;
        if (end === len || text.charCodeAt(end) === LF) {
          families[familyOf[si]].samples.push(new SampleRecord(names[si], labels[si], value));
          pos = end;
        } else {
          // Blanks, then the line end or a timestamp (an exemplar: give up).
          this.pos = end;
          this.skipBlanks();
          if (this.atLineEnd()) families[familyOf[si]].samples.push(new SampleRecord(names[si], labels[si], value));
          else {
            if (om && text.charCodeAt(this.pos) === HASH) return null;
            const tsStart = this.pos;
            const tsEnd = om ? this.numberEnd(tsStart, 3) : this.integerEnd(tsStart);
            if (tsEnd < 0 || !Number.isFinite(this.num)) return null;
            const timestampMs = this.num;
            this.pos = tsEnd;
            this.skipBlanks();
            if (!this.atLineEnd()) return null;
            families[familyOf[si]].samples.push({ name: names[si], labels: labels[si], value, timestampMs });
          }
          pos = this.pos;
        }
      }
      if (pos === len) {
        if (k !== last) return null;
      } else if (text.charCodeAt(pos) === LF) pos++;
      else return null;
    }
    return pos === len ? families : null;
  }
}
