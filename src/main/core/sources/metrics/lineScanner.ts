// Character-level cursor over an exposition string, shared by the 0.0.4 and
// OpenMetrics grammars. It scans with charCodeAt and never splits the body into
// lines, because it sits on the console's hot path (every node, every second).

const LF = 10;
const CR = 13;
const TAB = 9;
const SPACE = 32;
const QUOTE = 34;
const PLUS = 43;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const EQUALS = 61;
const UPPER_E = 69;
const BACKSLASH = 92;
const LOWER_E = 101;
const LOWER_N = 110;
const LBRACE = 123;
const RBRACE = 125;

const METRIC_START = 1;
const METRIC_CHAR = 2;
const LABEL_START = 4;
const LABEL_CHAR = 8;

/** ASCII class bits; anything >= 128 is in no class, so non-ASCII names are rejected. */
const CHAR_CLASS = buildCharClass();

function buildCharClass(): Uint8Array {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const ch = String.fromCharCode(c);
    const letter = /[A-Za-z_]/.test(ch);
    const digit = c >= ZERO && c <= NINE;
    if (letter || ch === ':') t[c] |= METRIC_START | METRIC_CHAR;
    if (digit) t[c] |= METRIC_CHAR | LABEL_CHAR;
    if (letter) t[c] |= LABEL_START | LABEL_CHAR;
  }
  return t;
}

/** Whether a UTF-16 code unit may continue a metric name. */
export function isMetricNameChar(c: number): boolean {
  return c < 128 && (CHAR_CLASS[c] & METRIC_CHAR) !== 0;
}

/** Exact powers of ten: a double holds 10^k exactly up to k = 22. */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** Up to 15 decimal digits always fit a double's 53-bit mantissa exactly. */
const MAX_FAST_DIGITS = 15;
/** Label names interned per family; bounded so hostile input cannot make lookups quadratic. */
const MAX_INTERNED = 32;
/** How much of an offending token an error message quotes. */
const MAX_QUOTED = 40;

/**
 * Thrown inside the parser only (never past `parseExposition`): a lightweight
 * non-Error object, so failing costs no stack capture.
 */
export class ScanFailure {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {}
}

/** Quotes a character or token for an error message, escaping control characters. */
export function quote(s: string): string {
  return JSON.stringify(s.length > MAX_QUOTED ? `${s.slice(0, MAX_QUOTED)}…` : s);
}

/** Cursor with line tracking; `pos` always stays within the current line or at its LF. */
export class LineScanner {
  pos = 0;
  /** 1-based number of the line `pos` is on. */
  line = 1;
  /** Offset of the first character of the current line. */
  lineStart = 0;
  /** Result of the last successful `parseNumber`/`parseInteger`. */
  num = 0;
  readonly len: number;
  /** Scratch list of the label names of the set being read (reused, never shared). */
  private readonly seen: string[] = [];

  constructor(readonly text: string) {
    this.len = text.length;
  }

  fail(reason: string, at: number = this.pos): never {
    throw new ScanFailure(reason, this.line, at - this.lineStart + 1);
  }

  /** True at the LF ending the current line or at the end of the text. */
  atLineEnd(): boolean {
    return this.pos >= this.len || this.text.charCodeAt(this.pos) === LF;
  }

  /** Moves past the LF the cursor stands on, onto the next line. */
  nextLine(): void {
    this.pos++;
    this.line++;
    this.lineStart = this.pos;
  }

  /** Skips spaces, tabs and CR (so CRLF files parse); returns how many were skipped. */
  skipBlanks(): number {
    const text = this.text;
    const start = this.pos;
    let i = start;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c !== SPACE && c !== TAB && c !== CR) break;
      i++;
    }
    this.pos = i;
    return i - start;
  }

  /** Moves to the LF that ends the current line (or the end of the text). */
  skipToLineEnd(): void {
    const lf = this.text.indexOf('\n', this.pos);
    this.pos = lf < 0 ? this.len : lf;
  }

  /** End offset of the run of non-blank characters starting at `pos` (same line). */
  tokenEnd(from: number = this.pos): number {
    const text = this.text;
    let i = from;
    for (;;) {
      const c = text.charCodeAt(i);
      // NaN past the end compares false everywhere, so `c > SPACE` also ends there.
      if (!(c > SPACE) || c === LF) break;
      i++;
    }
    return i;
  }

  /** End offset of `[a-zA-Z_:][a-zA-Z0-9_:]*` at `from`, or `from` when none starts there. */
  metricNameEnd(from: number): number {
    const text = this.text;
    let c = text.charCodeAt(from);
    if (!(c < 128 && CHAR_CLASS[c] & METRIC_START)) return from;
    let i = from + 1;
    c = text.charCodeAt(i);
    while (c < 128 && CHAR_CLASS[c] & METRIC_CHAR) c = text.charCodeAt(++i);
    return i;
  }

  /** Whether text[start, start + s.length) equals `s`. */
  regionEquals(s: string, start: number): boolean {
    const text = this.text;
    for (let k = s.length - 1; k >= 0; k--) {
      if (text.charCodeAt(start + k) !== s.charCodeAt(k)) return false;
    }
    return true;
  }

  /** The token at `start` (up to a blank or delimiter), quoted, for error messages. */
  quotedToken(start: number): string {
    const text = this.text;
    let i = start;
    while (i < this.len && i - start <= MAX_QUOTED) {
      const c = text.charCodeAt(i);
      if (c <= SPACE || c === LBRACE || c === RBRACE || c === COMMA || c === EQUALS || c === QUOTE) break;
      i++;
    }
    return quote(i === start ? text.charAt(start) : text.slice(start, i));
  }

  /**
   * Reads `{name="value",...}` with the cursor on `{`, into `into`. Blanks around
   * tokens and a trailing comma are accepted, as Prometheus' own parser does.
   * `names` interns label-name strings across samples of one family, so repeated
   * names cost a comparison instead of an allocation.
   */
  readLabels(into: Record<string, string>, names: string[], maxValueBytes: number, owner: string): void {
    const text = this.text;
    const seen = this.seen;
    let count = 0;
    this.pos++;
    for (;;) {
      this.skipBlanks();
      const start = this.pos;
      let c = text.charCodeAt(start);
      if (c === RBRACE) {
        this.pos++;
        return;
      }
      if (!(c < 128 && CHAR_CLASS[c] & LABEL_START)) {
        if (start >= this.len || c === LF) this.fail(`unterminated label set of ${owner}`);
        this.fail(`invalid label name ${this.quotedToken(start)} in ${owner}`);
      }
      let i = start + 1;
      c = text.charCodeAt(i);
      while (c < 128 && CHAR_CLASS[c] & LABEL_CHAR) c = text.charCodeAt(++i);
      const name = this.intern(names, start, i);
      this.pos = i;
      this.skipBlanks();
      if (text.charCodeAt(this.pos) !== EQUALS) {
        if (this.pos === i && !this.atLineEnd()) {
          this.fail(`invalid character ${quote(text.charAt(i))} in label name ${this.quotedToken(start)} of ${owner}`);
        }
        this.fail(`expected "=" after label name "${name}" in ${owner}`);
      }
      this.pos++;
      this.skipBlanks();
      if (text.charCodeAt(this.pos) !== QUOTE) this.fail(`expected a quoted value for label "${name}" in ${owner}`);
      const value = this.readQuoted(name, maxValueBytes, owner);
      // Checked against this set's own names, not `into[name]`, which would see
      // Object.prototype members such as "constructor".
      for (let k = 0; k < count; k++) {
        if (seen[k] === name) this.fail(`duplicate label "${name}" in ${owner}`, start);
      }
      seen[count++] = name;
      if (name === '__proto__') Object.defineProperty(into, name, { value, enumerable: true, writable: true, configurable: true });
      else into[name] = value;
      this.skipBlanks();
      c = text.charCodeAt(this.pos);
      if (c === COMMA) this.pos++;
      else if (c !== RBRACE) {
        if (this.atLineEnd()) this.fail(`unterminated label set of ${owner}`);
        this.fail(`unexpected character ${quote(text.charAt(this.pos))} after value of label "${name}" in ${owner}`);
      }
    }
  }

  private intern(names: string[], start: number, end: number): string {
    const n = end - start;
    for (let k = 0; k < names.length; k++) {
      const s = names[k];
      if (s.length === n && this.regionEquals(s, start)) return s;
    }
    const s = this.text.slice(start, end);
    if (names.length < MAX_INTERNED) names.push(s);
    return s;
  }

  /** Reads a `"…"` label value with the cursor on the opening quote; unescapes `\\`, `\"`, `\n`. */
  private readQuoted(label: string, maxBytes: number, owner: string): string {
    const text = this.text;
    const open = this.pos;
    let chunk = open + 1;
    let built: string | null = null;
    let i = chunk;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        const e = text.charCodeAt(i + 1);
        if (e === LF || i + 1 >= this.len) break;
        // Unknown escapes stay as written, as in Prometheus' own parser.
        const ch = e === LOWER_N ? '\n' : e === QUOTE || e === BACKSLASH ? text.charAt(i + 1) : text.slice(i, i + 2);
        built = (built ?? '') + text.slice(chunk, i) + ch;
        i += 2;
        chunk = i;
        continue;
      }
      if (c === LF || i >= this.len) break;
      i++;
    }
    if (i >= this.len || text.charCodeAt(i) !== QUOTE) this.fail(`unterminated value of label "${label}" in ${owner}`, open);
    const value = built === null ? text.slice(chunk, i) : built + text.slice(chunk, i);
    this.pos = i + 1;
    // A UTF-16 unit is at most 3 UTF-8 bytes, so short values skip the exact count.
    if (value.length * 3 > maxBytes && utf8Length(value) > maxBytes) {
      this.fail(`value of label "${label}" in ${owner} is longer than ${maxBytes} bytes`, open);
    }
    return value;
  }

  /**
   * Parses text[start, end) as a decimal float the way Go's strconv.ParseFloat
   * does (what Prometheus uses), including case-insensitive NaN/Inf/Infinity:
   * prom-client writes `Nan`. Sets `num`; false when it is not a number.
   * `shift` scales by 10^shift exactly (3 turns OpenMetrics seconds into ms).
   */
  parseNumber(start: number, end: number, shift: number): boolean {
    const text = this.text;
    let i = start;
    let c = text.charCodeAt(i);
    const neg = c === MINUS;
    if (neg || c === PLUS) c = text.charCodeAt(++i);
    if (i >= end) return false;
    if (!(c >= ZERO && c <= NINE) && c !== DOT) return this.parseSpecial(i, end, neg, start);
    let mantissa = 0;
    let digits = 0;
    let exp = shift;
    let sawDigit = false;
    while (c >= ZERO && c <= NINE && i < end) {
      sawDigit = true;
      if (mantissa !== 0 || c !== ZERO) {
        if (digits < MAX_FAST_DIGITS) mantissa = mantissa * 10 + (c - ZERO);
        else exp++;
        digits++;
      }
      c = text.charCodeAt(++i);
    }
    if (c === DOT && i < end) {
      c = text.charCodeAt(++i);
      while (c >= ZERO && c <= NINE && i < end) {
        sawDigit = true;
        if (mantissa !== 0 || c !== ZERO) {
          if (digits < MAX_FAST_DIGITS) {
            mantissa = mantissa * 10 + (c - ZERO);
            exp--;
          }
          digits++;
        } else exp--;
        c = text.charCodeAt(++i);
      }
    }
    if (!sawDigit) return false;
    if ((c === LOWER_E || c === UPPER_E) && i < end) {
      c = text.charCodeAt(++i);
      const eneg = c === MINUS;
      if (eneg || c === PLUS) c = text.charCodeAt(++i);
      if (!(c >= ZERO && c <= NINE) || i >= end) return false;
      let e = 0;
      while (c >= ZERO && c <= NINE && i < end) {
        if (e < 100000) e = e * 10 + (c - ZERO);
        c = text.charCodeAt(++i);
      }
      exp += eneg ? -e : e;
    }
    if (i !== end) return false;
    let v: number;
    if (digits <= MAX_FAST_DIGITS && exp >= -22 && exp <= 22) {
      // Both operands are exact doubles, so one IEEE operation rounds correctly (Clinger's fast path).
      v = exp < 0 ? mantissa / POW10[-exp] : mantissa * POW10[exp];
    } else {
      // Rare (over 15 significant digits or a large exponent): let the engine round.
      v = Number(text.slice(neg || text.charCodeAt(start) === PLUS ? start + 1 : start, end) + (shift !== 0 ? `e${shift}` : ''));
      if (Number.isNaN(v)) v = Number(text.slice(start, end)) * 10 ** shift;
    }
    this.num = neg ? -v : v;
    return true;
  }

  private parseSpecial(from: number, end: number, neg: boolean, start: number): boolean {
    const word = this.text.slice(from, end).toLowerCase();
    if (word === 'inf' || word === 'infinity') this.num = neg ? -Infinity : Infinity;
    else if (word === 'nan' && from === start) this.num = NaN;
    else return false;
    return true;
  }

  /** Parses text[start, end) as a signed decimal integer (0.0.4 timestamps). Sets `num`. */
  parseInteger(start: number, end: number): boolean {
    const text = this.text;
    let i = start;
    let c = text.charCodeAt(i);
    const neg = c === MINUS;
    if (neg || c === PLUS) c = text.charCodeAt(++i);
    if (i >= end) return false;
    let v = 0;
    for (; i < end; c = text.charCodeAt(++i)) {
      if (!(c >= ZERO && c <= NINE)) return false;
      v = v * 10 + (c - ZERO);
    }
    if (end - start > MAX_FAST_DIGITS) v = Math.abs(Number(text.slice(start, end)));
    this.num = neg ? -v : v;
    return true;
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
