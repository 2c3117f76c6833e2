// Reading `{name="value",...}` cheaply. Consecutive samples of one sample name
// repeat the previous one's raw text except, usually, for one label value:
//   realtime_connections_closed_total{node_id="gw-1",transport="ws",reason="client"} 4
//   realtime_connections_closed_total{node_id="gw-1",transport="ws",reason="drain"} 0
// So each sample name remembers a template of its previous line: the raw text up
// to the value that varied (`prefix`) and from the end of that value to `}`
// (`suffix`). One slice-and-compare checks each (memcmp), far cheaper than a JS
// loop over the characters; equal raw text means equal tokens, so this is exact, not a guess.
// Where the template does not match, labels are read one by one, still reusing the
// previous names and values (a comparison instead of an allocation), and a repeated
// name sequence builds its object with a compiled literal of fixed hidden class.

import type { LineScanner } from './lineScanner';
import { quote } from './lineScanner';

const LF = 10;
const SPACE = 32;
const QUOTE = 34;
const COMMA = 44;
const EQUALS = 61;
const BACKSLASH = 92;
const LOWER_N = 110;
const RBRACE = 125;

/**
 * Builds a label object of one fixed name sequence from values in that order. A
 * constructor (called with `new`), not a function returning a literal: objects made by
 * a literal can end up allocated straight into V8's old generation (see sampleRecord.ts).
 */
type LabelFactory = new (values: readonly string[]) => Record<string, string>;

/** Label names interned per cache; bounded so hostile input cannot make lookups quadratic. */
const MAX_POOL = 32;
/** Compiled factories kept per process, keyed by name sequence (reused on every scrape). */
const MAX_FACTORIES = 2048;
/** Compilations allowed per parse, so an exposition of ever-new label sets costs little. */
const FACTORY_BUDGET_PER_PARSE = 256;
const factories = new Map<string, LabelFactory>();

/** Memory of the previous label set of one sample name. Owned by one parse. */
export class LabelCache {
  /** Distinct label names seen, reused as the strings of later samples. */
  readonly pool: string[] = [];
  /** The previous set's names and values by position. */
  readonly names: string[] = [];
  readonly values: string[] = [];
  /** Per position: the value's raw text was the value itself (no escapes). */
  readonly plain: boolean[] = [];
  /** Per position: the value changed on the previous line, so comparing raw text first is likely wasted. */
  readonly changed: boolean[] = [];
  count = 0;
  /** Factory for `names[0, count)`, once that sequence has repeated; null before. */
  factory: LabelFactory | null = null;
  /** Previous line from its sample name through the `="` opening value `vary`; '' if none. */
  prefix = '';
  vary = 0;
  /** Previous line from the `"` closing value `vary` through `}`; '' when `vary` is the last label. */
  suffix = '';
}

/** Reads label sets for one parse; holds that parse's scratch space and compile budget. */
export class LabelSetReader {
  private readonly values: string[] = [];
  /** Raw offsets of the current set's values: after the opening quote, at the closing quote. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private factoryBudget = FACTORY_BUDGET_PER_PARSE;

  constructor(private readonly maxValueBytes: number) {}

  /**
   * Reads a label set. With `resume` false the cursor is on `{`; with `resume`
   * true the caller has matched `cache.prefix` at `lineStart` and the cursor is on
   * the first character of value `cache.vary`. Leaves the cursor after `}`.
   * Blanks around tokens and a trailing comma are accepted, as in Prometheus.
   */
  read(sc: LineScanner, cache: LabelCache, owner: string, lineStart: number, resume: boolean): Record<string, string> {
    const text = sc.text;
    const names = cache.names;
    const prev = cache.values;
    const values = this.values;
    const previous = cache.count;
    let same = true;
    /** First and last positions whose value differs from the previous set's; -1 while none. */
    let diff = -1;
    let lastDiff = -1;
    let n = 0;
    let done = false;
    if (resume) {
      const v = cache.vary;
      for (let k = 0; k < v; k++) values[k] = prev[k];
      if (!this.value(sc, cache, v, sc.pos - 1, owner, false)) diff = lastDiff = v;
      n = v + 1;
      const suffix = cache.suffix;
      if (suffix === '' && text.charCodeAt(sc.pos) === RBRACE) {
        sc.pos++;
        done = true;
      } else if (suffix !== '' && sc.regionEquals(suffix, sc.pos - 1)) {
        for (let k = n; k < previous; k++) values[k] = prev[k];
        n = previous;
        sc.pos += suffix.length - 1;
        done = true;
      } else this.separator(sc, names[v], owner);
    } else sc.pos++;
    while (!done) {
      let start = sc.pos;
      let c = text.charCodeAt(start);
      if (c <= SPACE) {
        sc.skipBlanks();
        start = sc.pos;
        c = text.charCodeAt(start);
      }
      if (c === RBRACE) {
        sc.pos++;
        break;
      }
      let name = n < previous ? names[n] : '';
      let end = start + name.length;
      if (name === '' || !sc.regionEquals(name, start) || sc.labelCharAt(end)) {
        same = false;
        end = sc.labelNameEnd(start);
        if (end === start) {
          if (sc.atLineEnd()) sc.fail(`unterminated label set of ${owner}`);
          sc.fail(`invalid label name ${sc.quotedToken(start)} in ${owner}`);
        }
        name = this.intern(sc, cache.pool, start, end);
        names[n] = name;
      }
      // While the set repeats the previous one position by position it cannot repeat a name.
      if (!same) for (let k = 0; k < n; k++) if (names[k] === name) sc.fail(`duplicate label "${name}" in ${owner}`, start);
      sc.pos = end;
      if (text.charCodeAt(end) !== EQUALS) {
        sc.skipBlanks();
        if (text.charCodeAt(sc.pos) !== EQUALS) {
          if (sc.pos === end && !sc.atLineEnd()) {
            sc.fail(`invalid character ${quote(text.charAt(end))} in label name ${sc.quotedToken(start)} in ${owner}`);
          }
          sc.fail(`expected "=" after label name "${name}" in ${owner}`);
        }
      }
      sc.pos++;
      if (text.charCodeAt(sc.pos) !== QUOTE) {
        sc.skipBlanks();
        if (text.charCodeAt(sc.pos) !== QUOTE) sc.fail(`expected a quoted value for label "${name}" in ${owner}`);
      }
      if (!(this.value(sc, cache, n, sc.pos, owner, !(n < previous && cache.changed[n])) && same)) {
        if (diff < 0) diff = n;
        lastDiff = n;
      }
      n++;
      this.separator(sc, name, owner);
    }
    cache.count = n;
    if (n !== previous) same = false;
    if (!(resume && diff <= cache.vary && (done || cache.vary === n - 1))) this.template(sc, cache, lineStart, diff, lastDiff, n, resume);
    if (same) {
      if (cache.factory === null) cache.factory = this.factoryFor(names, n);
      if (cache.factory !== null) return new cache.factory(values);
    } else cache.factory = null;
    // `new Object()` rather than `{}`: no allocation site either.
    const labels: Record<string, string> = new Object() as Record<string, string>;
    for (let k = 0; k < n; k++) {
      // `__proto__` must become an own property, not the object's prototype.
      if (names[k] === '__proto__') Object.defineProperty(labels, '__proto__', { value: values[k], enumerable: true, writable: true, configurable: true });
      else labels[names[k]] = values[k];
    }
    return labels;
  }

  /**
   * Reads value `k` with its opening quote at `open`, leaving the cursor after the
   * closing quote; records it in the cache. True when it equals the previous value.
   * `tryHint` false skips comparing raw text first: for the value expected to vary.
   */
  private value(sc: LineScanner, cache: LabelCache, k: number, open: number, owner: string, tryHint: boolean): boolean {
    const text = sc.text;
    const hint = k < cache.count ? cache.values[k] : undefined;
    this.starts[k] = open + 1;
    if (tryHint && hint !== undefined && cache.plain[k] && text.charCodeAt(open + 1 + hint.length) === QUOTE && sc.regionEquals(hint, open + 1)) {
      this.values[k] = hint;
      sc.pos = open + 2 + hint.length;
      this.ends[k] = sc.pos - 1;
      cache.changed[k] = false;
      return true;
    }
    sc.pos = open;
    const value = this.readQuoted(sc, cache.names[k], owner);
    this.values[k] = value;
    this.ends[k] = sc.pos - 1;
    cache.values[k] = value;
    cache.plain[k] = sc.pos - open - 2 === value.length;
    cache.changed[k] = value !== hint;
    return value === hint;
  }

  /** After a value: `,` or `}` (left for the loop), blanks allowed. */
  private separator(sc: LineScanner, name: string, owner: string): void {
    const text = sc.text;
    let c = text.charCodeAt(sc.pos);
    if (c === COMMA) sc.pos++;
    else if (c !== RBRACE) {
      sc.skipBlanks();
      c = text.charCodeAt(sc.pos);
      if (c === COMMA) sc.pos++;
      else if (c !== RBRACE) {
        if (sc.atLineEnd()) sc.fail(`unterminated label set of ${owner}`);
        sc.fail(`unexpected character ${quote(text.charAt(sc.pos))} after value of label "${name}" in ${owner}`);
      }
    }
  }

  /**
   * Records this line as the template for the next: the value expected to vary is
   * the first that changed. A suffix is kept only when no later value changed too
   * (node_id and region varying together would make it fail every time).
   */
  private template(sc: LineScanner, cache: LabelCache, lineStart: number, diff: number, lastDiff: number, n: number, resumed: boolean): void {
    if (n === 0) {
      cache.prefix = '';
      return;
    }
    const v = diff >= 0 ? diff : n - 1;
    // A prefix that just matched, for the same varying position, is still this line's.
    if (!(resumed && v === cache.vary)) cache.prefix = sc.text.slice(lineStart, this.starts[v]);
    cache.vary = v;
    cache.suffix = v === n - 1 || lastDiff > v ? '' : sc.text.slice(this.ends[v], sc.pos);
  }

  /** The compiled literal for a name sequence seen twice in a row, or null when not worth it. */
  private factoryFor(names: readonly string[], n: number): LabelFactory | null {
    const seq = names.slice(0, n);
    const key = seq.join(',');
    const known = factories.get(key);
    if (known !== undefined) return known;
    if (this.factoryBudget <= 0 || seq.includes('__proto__')) return null;
    this.factoryBudget--;
    if (factories.size >= MAX_FACTORIES) factories.clear();
    // Safe to compile: label names match [a-zA-Z_][a-zA-Z0-9_]*, and are JSON-quoted anyway.
    const body = seq.map((name, k) => `this[${JSON.stringify(name)}] = v[${k}];`).join(' ');
    const factory = new Function('v', body) as unknown as LabelFactory;
    // Its objects inherit from Object.prototype, exactly like `{}`.
    factory.prototype = Object.prototype;
    factories.set(key, factory);
    return factory;
  }

  private intern(sc: LineScanner, pool: string[], start: number, end: number): string {
    const n = end - start;
    for (let k = 0; k < pool.length; k++) {
      const s = pool[k];
      if (s.length === n && sc.regionEquals(s, start)) return s;
    }
    const s = sc.text.slice(start, end);
    if (pool.length < MAX_POOL) pool.push(s);
    return s;
  }

  /** Reads a `"…"` value with the cursor on the opening quote; unescapes `\\`, `\"`, `\n`. */
  private readQuoted(sc: LineScanner, label: string, owner: string): string {
    const text = sc.text;
    const len = sc.len;
    const open = sc.pos;
    let chunk = open + 1;
    let built: string | null = null;
    let i = chunk;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        const e = text.charCodeAt(i + 1);
        if (e === LF || i + 1 >= len) break;
        // Unknown escapes stay as written, as in Prometheus' own parser.
        const ch = e === LOWER_N ? '\n' : e === QUOTE || e === BACKSLASH ? text.charAt(i + 1) : text.slice(i, i + 2);
        built = (built ?? '') + text.slice(chunk, i) + ch;
        i += 2;
        chunk = i;
        continue;
      }
      if (c === LF || i >= len) break;
      i++;
    }
    if (i >= len || text.charCodeAt(i) !== QUOTE) sc.fail(`unterminated value of label "${label}" in ${owner}`, open);
    const value = built === null ? text.slice(chunk, i) : built + text.slice(chunk, i);
    sc.pos = i + 1;
    // A UTF-16 unit is at most 3 UTF-8 bytes, so short values skip the exact count.
    if (value.length * 3 > this.maxValueBytes && utf8Length(value) > this.maxValueBytes) {
      sc.fail(`value of label "${label}" in ${owner} is longer than ${this.maxValueBytes} bytes`, open);
    }
    return value;
  }
}

/** UTF-8 length of a string, counting a surrogate pair as 4 bytes and a lone surrogate as 3. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && k + 1 < s.length && (s.charCodeAt(k + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      k++;
    } else n += 3;
  }
  return n;
}
