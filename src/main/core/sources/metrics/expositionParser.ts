// The line-level grammar of Prometheus text format 0.0.4 and OpenMetrics 1.0: the
// line loop, sample lines and exemplars (`#` lines are in metadataReader.ts). One
// pass with charCode scanning, no regex and no array of lines. Lenient where
// Prometheus' own parser is (blanks between tokens, trailing commas, CRLF, `Nan`),
// strict where leniency would change what a number means (bad values,
// unterminated strings, a missing # EOF).

import { FamilyIndex, type FamilySlot, newSlot } from './familyIndex';
import { LabelCache, LabelSetReader } from './labelSet';
import { LineScanner, quote } from './lineScanner';
import { MetadataReader } from './metadataReader';
import { SampleRecord } from './sampleRecord';
import type { SkeletonRecorder } from './skeleton';
import type { Exemplar, MetricFamily, Sample } from './types';

const LF = 10;
const TAB = 9;
const CR = 13;
const SPACE = 32;
const HASH = 35;
const LBRACE = 123;
const ZERO = 48;
const NINE = 57;

/**
 * One parse of one exposition. Throws `ScanFailure` (from `fail`) on bad input;
 * `parseExposition` turns that into a value. Not reusable: `run` once.
 */
export class ExpositionParser extends LineScanner {
  private readonly index: FamilyIndex;
  private sampleCount = 0;
  /** The previous sample's name and family: consecutive samples usually share both. */
  private lastName = '';
  /** A placeholder (no names, empty template) until the first sample. */
  private lastSlot: FamilySlot = newSlot('', 'untyped');
  private lastLabels: LabelCache = new LabelCache();
  private readonly exemplarLabels = new LabelCache();
  private readonly labelReader: LabelSetReader;
  private readonly metadata: MetadataReader;
  /** Where the last sample's value started (for the skeleton recorder). */
  private valueAt = 0;
  /** Whether any sample carried an exemplar. */
  private exemplars = false;

  constructor(
    text: string,
    private readonly om: boolean,
    maxLabelValueBytes: number,
    private readonly maxSamples: number,
    private readonly recorder: SkeletonRecorder | null = null,
  ) {
    super(text);
    this.index = new FamilyIndex(om);
    this.labelReader = new LabelSetReader(maxLabelValueBytes);
    this.metadata = new MetadataReader(this.index, om, this.lastSlot);
  }

  run(): MetricFamily[] {
    const eof = this.recorder === null ? this.lines() : this.recordedLines(this.recorder);
    if (!eof && this.om) this.fail('missing "# EOF" at the end of the OpenMetrics exposition');
    if (this.exemplars) this.recorder?.unusable();
    return this.index.families();
  }

  /**
   * The line loop; true when it stopped at OpenMetrics' `# EOF`. Kept apart from
   * `run` so that code compiled on-stack while looping returns straight away
   * instead of reaching code it has no type feedback for (a deopt on every parse).
   */
  private lines(): boolean {
    const text = this.text;
    while (this.pos < this.len) {
      const c = text.charCodeAt(this.pos);
      if (c === LF) this.nextLine();
      else if (c === SPACE || c === TAB || c === CR) this.skipBlanks();
      else if (c === HASH) {
        if (this.metadata.read(this)) return true;
      } else this.sample();
    }
    return false;
  }

  /**
   * `lines` that also tells `rec` where every line starts and ends (a sample line ends
   * where its value starts) and which sample it holds, for the next parse of this
   * target to compare against (see skeleton.ts). Kept apart so `lines` stays lean.
   */
  private recordedLines(rec: SkeletonRecorder): boolean {
    const text = this.text;
    /** The current line's sample and family; null while it has none. */
    let sample: Sample | null = null;
    let family: FamilySlot | null = null;
    let valueAt = 0;
    while (this.pos < this.len) {
      const c = text.charCodeAt(this.pos);
      if (c === LF) {
        if (sample !== null && family !== null) rec.sampleLine(this.lineStart, valueAt, sample, family.index);
        else rec.otherLine(this.lineStart, this.pos);
        sample = null;
        family = null;
        this.nextLine();
      } else if (c === SPACE || c === TAB || c === CR) this.skipBlanks();
      else if (c === HASH) {
        const start = this.lineStart;
        if (this.metadata.read(this)) {
          const lf = text.indexOf('\n', start);
          rec.otherLine(start, lf < 0 ? this.len : lf);
          return true;
        }
      } else {
        this.sample();
        family = this.lastSlot;
        sample = family.samples[family.samples.length - 1];
        valueAt = this.valueAt;
      }
    }
    if (this.lineStart < this.len) {
      if (sample !== null && family !== null) rec.sampleLine(this.lineStart, valueAt, sample, family.index);
      else rec.otherLine(this.lineStart, this.len);
    }
    return false;
  }

  /** A sample line, cursor on its first character; leaves the cursor at the line's end. */
  private sample(): void {
    const t = this.text;
    const start = this.pos;
    if (++this.sampleCount > this.maxSamples) this.fail(`too many samples: the limit is ${this.maxSamples}`);
    let labels: Record<string, string>;
    // Fast path: the line repeats the previous sample's template (see labelSet.ts).
    const previous = this.lastLabels;
    const prefix = previous.prefix;
    if (prefix !== '' && this.regionEquals(prefix, start)) {
      this.pos = start + prefix.length;
      labels = this.labelReader.read(this, previous, this.lastName, start, true);
    } else {
      const nameEnd = this.sampleName(start);
      const cache = this.lastLabels;
      // Another sample name has its own template; the same one just failed.
      if (cache !== previous && cache.prefix !== '' && this.regionEquals(cache.prefix, start)) {
        this.pos = start + cache.prefix.length;
        labels = this.labelReader.read(this, cache, this.lastName, start, true);
      } else {
        this.pos = nameEnd;
        this.skipBlanks();
        labels = t.charCodeAt(this.pos) === LBRACE ? this.labelReader.read(this, cache, this.lastName, start, false) : {};
      }
    }
    const name = this.lastName;
    const slot = this.lastSlot;
    // The usual tail, ` 123\n`: one space, a plain number, the line end.
    if (t.charCodeAt(this.pos) === SPACE) {
      const end = this.numberEnd(this.pos + 1, 0);
      if (end > 0 && t.charCodeAt(end) === LF) {
        this.valueAt = this.pos + 1;
        slot.samples.push(new SampleRecord(name, labels, this.num));
        this.pos = end;
        return;
      }
    }
    this.skipBlanks();
    if (this.atLineEnd()) this.fail(`missing value for sample ${name}`);
    const valueStart = this.pos;
    this.valueAt = valueStart;
    const valueEnd = this.numberEnd(valueStart, 0);
    if (valueEnd < 0) this.fail(`invalid value ${quote(t.slice(valueStart, this.tokenEnd()))} for sample ${name}`);
    const value = this.num;
    this.pos = valueEnd;
    this.skipBlanks();
    const samples = slot.samples;
    if (this.atLineEnd()) {
      samples.push(new SampleRecord(name, labels, value));
      return;
    }
    let sample: Sample;
    if (this.om && t.charCodeAt(this.pos) === HASH) sample = { name, labels, value };
    else {
      sample = { name, labels, value, timestampMs: this.timestamp(name) };
      if (this.atLineEnd()) {
        samples.push(sample);
        return;
      }
    }
    if (this.om && t.charCodeAt(this.pos) === HASH) {
      sample.exemplar = this.exemplar(name);
      this.exemplars = true;
    } else this.fail(`unexpected ${this.quotedToken(this.pos)} after the timestamp of sample ${name}`);
    samples.push(sample);
  }

  /**
   * Reads the sample name at `start` and returns its end; leaves the interned name
   * in `lastName`, its family in `lastSlot` and its label cache in `lastLabels`.
   */
  private sampleName(start: number): number {
    const t = this.text;
    // Most often the name is the family's current or next one (`_bucket` → `_sum` → `_count`).
    const last = this.lastSlot;
    const names = last.sampleNames;
    for (let k = 0; k < names.length; k++) {
      const end = start + names[k].length;
      const d = t.charCodeAt(end);
      if ((d === LBRACE || d === SPACE || d === TAB) && this.regionEquals(names[k], start)) {
        this.remember(last, k);
        return end;
      }
    }
    // The first sample after a family's HELP/TYPE usually carries the family's own name.
    const declared = this.metadata.lastDeclared;
    const declaredEnd = start + declared.name.length;
    const d = t.charCodeAt(declaredEnd);
    if (declared !== last && declared.samples.length === 0 && (d === LBRACE || d === SPACE || d === TAB) && this.regionEquals(declared.name, start) && this.index.allows(declared, '')) {
      declared.sampleNames.push(declared.name);
      declared.labelCaches.push(new LabelCache());
      this.remember(declared, declared.sampleNames.length - 1);
      return declaredEnd;
    }
    const end = this.metricNameEnd(start);
    if (end === start) {
      const c = t.charCodeAt(start);
      if (c >= ZERO && c <= NINE) this.fail(`invalid metric name ${this.quotedToken(start)}`);
      this.fail(`unexpected character ${quote(t.charAt(start))} at the start of a sample`);
    }
    const after = t.charCodeAt(end);
    if (after !== SPACE && after !== TAB && after !== LBRACE) {
      if (after === LF || end >= this.len) this.fail(`missing value for sample ${t.slice(start, end)}`, end);
      this.fail(`invalid character ${quote(t.charAt(end))} in metric name ${this.quotedToken(start)}`, end);
    }
    const name = t.slice(start, end);
    const slot = this.index.forSample(name);
    if (typeof slot === 'string') this.fail(slot, start);
    const k = slot.sampleNames.indexOf(name);
    if (k >= 0) this.remember(slot, k);
    else {
      slot.sampleNames.push(name);
      slot.labelCaches.push(new LabelCache());
      this.remember(slot, slot.sampleNames.length - 1);
    }
    return end;
  }

  private remember(slot: FamilySlot, k: number): void {
    this.lastName = slot.sampleNames[k];
    this.lastSlot = slot;
    this.lastLabels = slot.labelCaches[k];
  }

  /** A sample timestamp: integer ms in 0.0.4, float seconds (converted to ms) in OpenMetrics. */
  private timestamp(owner: string): number {
    const start = this.pos;
    const end = this.om ? this.numberEnd(start, 3) : this.integerEnd(start);
    if (end < 0 || !Number.isFinite(this.num)) this.fail(`invalid timestamp ${quote(this.text.slice(start, this.tokenEnd()))} for sample ${owner}`);
    this.pos = end;
    this.skipBlanks();
    return this.num;
  }

  /** An OpenMetrics exemplar, cursor on its `#`: `# {labels} value [timestamp]`. */
  private exemplar(owner: string): Exemplar {
    this.pos++;
    this.skipBlanks();
    if (this.text.charCodeAt(this.pos) !== LBRACE) this.fail(`expected "{" to start the exemplar of sample ${owner}`);
    const labels = this.labelReader.read(this, this.exemplarLabels, `the exemplar of ${owner}`, this.pos, false);
    this.skipBlanks();
    if (this.atLineEnd()) this.fail(`missing exemplar value for sample ${owner}`);
    const start = this.pos;
    const end = this.numberEnd(start, 0);
    if (end < 0) this.fail(`invalid exemplar value ${quote(this.text.slice(start, this.tokenEnd()))} for sample ${owner}`);
    const exemplar: Exemplar = { labels, value: this.num };
    this.pos = end;
    this.skipBlanks();
    if (this.atLineEnd()) return exemplar;
    exemplar.timestampMs = this.timestamp(`the exemplar of ${owner}`);
    if (!this.atLineEnd()) this.fail(`unexpected ${this.quotedToken(this.pos)} after the exemplar of sample ${owner}`);
    return exemplar;
  }
}

