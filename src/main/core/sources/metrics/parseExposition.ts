// Prometheus text format 0.0.4 and OpenMetrics 1.0 parser: one pass, charCode
// scanning, no regex and no line array. Lenient where Prometheus' own parser is
// (blanks between tokens, trailing commas, CRLF, `Nan`), strict where being lenient
// would change what a number means (bad values, unterminated strings, missing # EOF).

import { FamilyIndex, type FamilySlot } from './familyIndex';
import { LineScanner, ScanFailure, isMetricNameChar, quote } from './lineScanner';
import type { Exemplar, ExpositionFormat, MetricFamily, ParseOptions, ParseResult, Sample } from './types';

const LF = 10;
const TAB = 9;
const CR = 13;
const SPACE = 32;
const HASH = 35;
const LBRACE = 123;

/** Default cap on one label value, in UTF-8 bytes. */
export const DEFAULT_MAX_LABEL_VALUE_BYTES = 8 * 1024;
/** Default cap on the samples of one exposition (a fleet node has a few thousand). */
export const DEFAULT_MAX_SAMPLES = 200_000;

/** Outcome of `contentTypeToFormat`. */
export type FormatResult = { ok: true; value: ExpositionFormat } | { ok: false; message: string };

/**
 * Maps a scrape response's Content-Type to the format to parse it as: OpenMetrics
 * for `application/openmetrics-text` (version 1.0.0, 0.0.1 or none), 0.0.4 for
 * `text/plain` (version 0.0.4 or none) and for a missing header; anything else
 * (an HTML error page, JSON) is an error value naming the content type.
 */
export function contentTypeToFormat(contentType: string | null): FormatResult {
  if (contentType === null || contentType.trim() === '') return { ok: true, value: 'prometheus-0.0.4' };
  const [mediaPart, ...params] = contentType.split(';');
  const media = mediaPart.trim().toLowerCase();
  let version: string | undefined;
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq > 0 && p.slice(0, eq).trim().toLowerCase() === 'version') version = p.slice(eq + 1).trim().replace(/^"|"$/g, '');
  }
  if (media === 'application/openmetrics-text' && (version === undefined || version === '1.0.0' || version === '0.0.1')) {
    return { ok: true, value: 'openmetrics-1.0' };
  }
  if (media === 'text/plain' && (version === undefined || version === '0.0.4')) return { ok: true, value: 'prometheus-0.0.4' };
  return {
    ok: false,
    message: `unsupported content type ${quote(contentType)} (expected text/plain; version=0.0.4 or application/openmetrics-text; version=1.0.0)`,
  };
}

/**
 * Parses an exposition. Never throws: bad input, limits exceeded and even
 * internal faults come back as `{ ok: false, error }` with a 1-based line and column.
 * Label values are slices of `text`; long ones may keep it alive while they live.
 */
export function parseExposition(text: string, opts: ParseOptions = {}): ParseResult {
  const format = opts.format ?? 'prometheus-0.0.4';
  if (typeof text !== 'string') return { ok: false, error: { message: 'line 1, column 1: input is not a string', line: 1, column: 1 } };
  const parser = new ExpositionParser(
    text,
    format === 'openmetrics-1.0',
    opts.maxLabelValueBytes ?? DEFAULT_MAX_LABEL_VALUE_BYTES,
    opts.maxSamples ?? DEFAULT_MAX_SAMPLES,
  );
  try {
    return { ok: true, value: { format, families: parser.run() } };
  } catch (err) {
    if (err instanceof ScanFailure) return failure(err.line, err.column, err.reason);
    // Not expected; still a value, so one bad scrape can never take the console down.
    const reason = `internal parser error: ${err instanceof Error ? err.message : String(err)}`;
    return failure(parser.line, parser.pos - parser.lineStart + 1, reason);
  }
}

function failure(line: number, column: number, reason: string): ParseResult {
  return { ok: false, error: { message: `line ${line}, column ${column}: ${reason}`, line, column } };
}

/** A family has at most 4 sample names (histogram); more means unrelated untyped names. */
const MAX_SAMPLE_NAMES = 8;
const KW_NONE = 0;
const KW_HELP = 1;
const KW_TYPE = 2;
const KW_UNIT = 3;
const KW_EOF = 4;
const KW_NAMES = ['', 'HELP', 'TYPE', 'UNIT', 'EOF'];

class ExpositionParser extends LineScanner {
  private readonly index: FamilyIndex;
  private sampleCount = 0;
  /** The previous sample's name and family: consecutive samples usually share both. */
  private lastName = '';
  private lastSlot: FamilySlot | null = null;
  private readonly exemplarLabelNames: string[] = [];

  constructor(
    text: string,
    private readonly om: boolean,
    private readonly maxLabelValueBytes: number,
    private readonly maxSamples: number,
  ) {
    super(text);
    this.index = new FamilyIndex(om);
  }

  run(): MetricFamily[] {
    const text = this.text;
    while (this.pos < this.len) {
      const c = text.charCodeAt(this.pos);
      if (c === LF) this.nextLine();
      else if (c === SPACE || c === TAB || c === CR) this.skipBlanks();
      else if (c === HASH) {
        if (this.comment()) return this.index.families();
      } else this.sample();
    }
    if (this.om) this.fail('missing "# EOF" at the end of the OpenMetrics exposition');
    return this.index.families();
  }

  /** Handles a `#` line; true when it was OpenMetrics' `# EOF` (and nothing follows it). */
  private comment(): boolean {
    const hashAt = this.pos;
    this.pos++;
    this.skipBlanks();
    const kwStart = this.pos;
    const kwEnd = this.tokenEnd();
    const kw = this.keyword(kwStart, kwEnd - kwStart);
    if (kw === KW_NONE) {
      if (this.om) this.fail('unexpected comment: OpenMetrics allows only # HELP, # TYPE, # UNIT and # EOF', hashAt);
      this.skipToLineEnd();
      return false;
    }
    this.pos = kwEnd;
    this.skipBlanks();
    if (kw === KW_EOF) {
      if (!this.atLineEnd()) this.fail(`unexpected ${this.quotedToken(this.pos)} after "# EOF"`);
      if (this.pos < this.len) this.nextLine();
      if (this.pos < this.len) this.fail('unexpected content after "# EOF"');
      return true;
    }
    const what = `# ${KW_NAMES[kw]}`;
    const nameStart = this.pos;
    if (this.atLineEnd()) this.fail(`missing metric name after ${what}`);
    const nameEnd = this.metricNameEnd(nameStart);
    if (nameEnd === nameStart) this.fail(`invalid metric name ${this.quotedToken(nameStart)} in ${what}`);
    const after = this.text.charCodeAt(nameEnd);
    // NaN (past the end) compares false, like a line end.
    if (after > SPACE) this.fail(`invalid character ${quote(String.fromCharCode(after))} in metric name ${this.quotedToken(nameStart)} in ${what}`, nameEnd);
    const name = this.text.slice(nameStart, nameEnd);
    const slot = this.index.declared(name);
    this.pos = nameEnd;
    this.skipBlanks();
    if (kw === KW_HELP) {
      if (slot.help !== undefined) this.fail(`duplicate HELP for family "${name}"`, nameStart);
      slot.help = this.readHelp();
      return false;
    }
    const wordStart = this.pos;
    const wordEnd = this.tokenEnd();
    if (wordEnd === wordStart) this.fail(`missing ${kw === KW_TYPE ? 'type' : 'unit'} in ${what} for "${name}"`);
    const word = this.text.slice(wordStart, wordEnd);
    if (kw === KW_TYPE) {
      if (!this.index.isType(word)) this.fail(`invalid metric type ${quote(word)} for family "${name}"`, wordStart);
      if (slot.typed) this.fail(`duplicate TYPE for family "${name}"`, nameStart);
      if (slot.samples.length > 0) this.fail(`TYPE for family "${name}" comes after its samples`, nameStart);
      slot.type = word;
      slot.typed = true;
    } else {
      if (slot.unit !== undefined) this.fail(`duplicate UNIT for family "${name}"`, nameStart);
      slot.unit = word;
    }
    this.pos = wordEnd;
    this.skipBlanks();
    if (!this.atLineEnd()) this.fail(`unexpected ${this.quotedToken(this.pos)} after ${what} ${name} ${word}`);
    return false;
  }

  private keyword(start: number, n: number): number {
    if (n === 4) {
      if (this.regionEquals('HELP', start)) return KW_HELP;
      if (this.regionEquals('TYPE', start)) return KW_TYPE;
      // In 0.0.4, UNIT and EOF lines are ordinary comments.
      if (this.om && this.regionEquals('UNIT', start)) return KW_UNIT;
    } else if (n === 3 && this.om && this.regionEquals('EOF', start)) return KW_EOF;
    return KW_NONE;
  }

  /** Rest of the line as HELP text: `\\` and `\n` unescaped (and `\"` in OpenMetrics). */
  private readHelp(): string {
    const t = this.text;
    const start = this.pos;
    this.skipToLineEnd();
    let end = this.pos;
    if (end > start && t.charCodeAt(end - 1) === CR) end--;
    let bs = t.indexOf('\\', start);
    if (bs < 0 || bs >= end) return t.slice(start, end);
    let out = '';
    let chunk = start;
    for (; bs >= 0 && bs < end - 1; bs = t.indexOf('\\', chunk)) {
      const e = t.charAt(bs + 1);
      const ch = e === 'n' ? '\n' : e === '\\' || (e === '"' && this.om) ? e : null;
      if (ch === null) {
        out += t.slice(chunk, bs + 2);
      } else out += t.slice(chunk, bs) + ch;
      chunk = bs + 2;
    }
    return out + t.slice(chunk, end);
  }

  /** A sample line, cursor on its first character; leaves the cursor at the line's end. */
  private sample(): void {
    const t = this.text;
    const start = this.pos;
    if (++this.sampleCount > this.maxSamples) this.fail(`too many samples: the limit is ${this.maxSamples}`);
    let name = this.lastName;
    let slot = this.lastSlot;
    let nameEnd = start + name.length;
    if (slot === null || !(this.regionEquals(name, start) && !isMetricNameChar(t.charCodeAt(nameEnd)))) {
      nameEnd = this.metricNameEnd(start);
      if (nameEnd === start) {
        const c = t.charCodeAt(start);
        if (c >= 48 && c <= 57) this.fail(`invalid metric name ${this.quotedToken(start)}`);
        this.fail(`unexpected character ${quote(t.charAt(start))} at the start of a sample`);
      }
      slot = this.resolve(start, nameEnd);
      name = this.lastName;
    }
    const after = t.charCodeAt(nameEnd);
    if (after !== SPACE && after !== TAB && after !== LBRACE) {
      if (after === LF || nameEnd >= this.len) this.fail(`missing value for sample ${name}`, nameEnd);
      this.fail(`invalid character ${quote(t.charAt(nameEnd))} in metric name ${this.quotedToken(start)}`, nameEnd);
    }
    this.pos = nameEnd;
    this.skipBlanks();
    const labels: Record<string, string> = {};
    if (t.charCodeAt(this.pos) === LBRACE) {
      this.readLabels(labels, slot.labelNames, this.maxLabelValueBytes, name);
      this.skipBlanks();
    }
    if (this.atLineEnd()) this.fail(`missing value for sample ${name}`);
    const valueStart = this.pos;
    const valueEnd = this.tokenEnd();
    if (!this.parseNumber(valueStart, valueEnd, 0)) {
      this.fail(`invalid value ${valueEnd > valueStart ? quote(t.slice(valueStart, valueEnd)) : quote(t.charAt(valueStart))} for sample ${name}`);
    }
    const value = this.num;
    this.pos = valueEnd;
    this.skipBlanks();
    const samples = slot.samples;
    if (this.atLineEnd()) {
      samples.push({ name, labels, value });
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
    if (this.om && t.charCodeAt(this.pos) === HASH) sample.exemplar = this.exemplar(name);
    else this.fail(`unexpected ${this.quotedToken(this.pos)} after the timestamp of sample ${name}`);
    samples.push(sample);
  }

  /**
   * Finds (or creates) the family of a sample whose name differs from the previous
   * one; leaves the interned name in `lastName` and the family in `lastSlot`.
   */
  private resolve(start: number, end: number): FamilySlot {
    const n = end - start;
    const last = this.lastSlot;
    if (last !== null) {
      for (const s of last.sampleNames) {
        if (s.length === n && this.regionEquals(s, start)) return this.remember(s, last);
      }
    }
    const name = this.text.slice(start, end);
    const slot = this.index.forSample(name);
    if (typeof slot === 'string') this.fail(slot, start);
    for (const s of slot.sampleNames) if (s === name) return this.remember(s, slot);
    if (slot.sampleNames.length < MAX_SAMPLE_NAMES) slot.sampleNames.push(name);
    return this.remember(name, slot);
  }

  private remember(name: string, slot: FamilySlot): FamilySlot {
    this.lastName = name;
    this.lastSlot = slot;
    return slot;
  }

  /** A sample timestamp: integer ms in 0.0.4, float seconds (converted to ms) in OpenMetrics. */
  private timestamp(owner: string): number {
    const start = this.pos;
    const end = this.tokenEnd();
    if (end === start) this.fail(`unexpected character ${quote(this.text.charAt(start))} after the value of sample ${owner}`);
    const ok = this.om ? this.parseNumber(start, end, 3) && Number.isFinite(this.num) : this.parseInteger(start, end);
    if (!ok) this.fail(`invalid timestamp ${quote(this.text.slice(start, end))} for sample ${owner}`);
    this.pos = end;
    this.skipBlanks();
    return this.num;
  }

  /** An OpenMetrics exemplar, cursor on its `#`: `# {labels} value [timestamp]`. */
  private exemplar(owner: string): Exemplar {
    this.pos++;
    this.skipBlanks();
    if (this.text.charCodeAt(this.pos) !== LBRACE) this.fail(`expected "{" to start the exemplar of sample ${owner}`);
    const labels: Record<string, string> = {};
    this.readLabels(labels, this.exemplarLabelNames, this.maxLabelValueBytes, `the exemplar of ${owner}`);
    this.skipBlanks();
    if (this.atLineEnd()) this.fail(`missing exemplar value for sample ${owner}`);
    const start = this.pos;
    const end = this.tokenEnd();
    if (!this.parseNumber(start, end, 0)) this.fail(`invalid exemplar value ${quote(this.text.slice(start, end))} for sample ${owner}`);
    const exemplar: Exemplar = { labels, value: this.num };
    this.pos = end;
    this.skipBlanks();
    if (this.atLineEnd()) return exemplar;
    exemplar.timestampMs = this.timestamp(`the exemplar of ${owner}`);
    if (!this.atLineEnd()) this.fail(`unexpected ${this.quotedToken(this.pos)} after the exemplar of sample ${owner}`);
    return exemplar;
  }
}

