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
const LOWER_E = 101;
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

/** Exact powers of ten: a double holds 10^k exactly up to k = 22. */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** Up to 15 decimal digits always fit a double's 53-bit mantissa exactly. */
const MAX_FAST_DIGITS = 15;
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

/**
 * Cursor with line tracking; `pos` always stays within the current line or at its LF.
 * Hot helpers are methods rather than module functions: under tsx (how the CLI and
 * console run) a cross-module function call goes through an export getter.
 */
export class LineScanner {
  pos = 0;
  /** 1-based number of the line `pos` is on. */
  line = 1;
  /** Offset of the first character of the current line. */
  lineStart = 0;
  /** Result of the last successful `numberEnd`/`integerEnd`. */
  num = 0;
  /** Cache of `nextBackslash`; -1 before the first search. */
  private backslashAt = -1;
  readonly len: number;

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

  /**
   * Offset of the first backslash at or after `from` (or the text's length). The
   * answer is cached: callers only move forward, so the native searches together
   * cover the text once, however many lines ask.
   */
  nextBackslash(from: number): number {
    if (this.backslashAt < from) {
      const i = this.text.indexOf('\\', from);
      this.backslashAt = i < 0 ? this.len : i;
    }
    return this.backslashAt;
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

  /** Whether the character at `at` may continue a metric name (false past the end). */
  metricCharAt(at: number): boolean {
    const c = this.text.charCodeAt(at);
    return c < 128 && (CHAR_CLASS[c] & METRIC_CHAR) !== 0;
  }

  /** End offset of `[a-zA-Z_][a-zA-Z0-9_]*` at `from`, or `from` when none starts there. */
  labelNameEnd(from: number): number {
    const text = this.text;
    let c = text.charCodeAt(from);
    if (!(c < 128 && CHAR_CLASS[c] & LABEL_START)) return from;
    let i = from + 1;
    c = text.charCodeAt(i);
    while (c < 128 && CHAR_CLASS[c] & LABEL_CHAR) c = text.charCodeAt(++i);
    return i;
  }

  /** Whether the character at `at` may continue a label name (false past the end). */
  labelCharAt(at: number): boolean {
    const c = this.text.charCodeAt(at);
    return c < 128 && (CHAR_CLASS[c] & LABEL_CHAR) !== 0;
  }

  /**
   * Whether text[start, start + s.length) equals `s`. Slice-and-compare for longer
   * strings on purpose: V8 compares flat strings with memcmp and a slice of 13 or more
   * characters is a cheap view, while a charCodeAt loop (or startsWith, which is one)
   * costs 2-3 ns per character. Below that a slice is a copy, and a short loop is both
   * quicker and allocation-free (label values, names: ~5% of a parse, measured).
   */
  regionEquals(s: string, start: number): boolean {
    const n = s.length;
    if (n < 12) {
      const t = this.text;
      for (let k = 0; k < n; k++) if (t.charCodeAt(start + k) !== s.charCodeAt(k)) return false;
      return true;
    }
    return this.text.slice(start, start + n) === s;
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
   * Parses the number token at `start` the way Go's strconv.ParseFloat does (what
   * Prometheus uses), including case-insensitive NaN/Inf/Infinity: prom-client
   * writes `Nan`. One pass: the token must end at a blank, a line end or the end
   * of the text. Returns the token's end and sets `num`, or returns -1.
   * `shift` scales by 10^shift exactly (3 turns OpenMetrics seconds into ms).
   */
  numberEnd(start: number, shift: number): number {
    const text = this.text;
    let i = start;
    let c = text.charCodeAt(i);
    const neg = c === MINUS;
    if (neg || c === PLUS) c = text.charCodeAt(++i);
    if (!(c >= ZERO && c <= NINE) && c !== DOT) return this.specialEnd(start, i, neg);
    // Accumulate every digit; exact while there are at most 15 digit characters.
    let mantissa = 0;
    const intStart = i;
    while (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      c = text.charCodeAt(++i);
    }
    let digits = i - intStart;
    let exp = shift;
    if (c === DOT) {
      const fracStart = ++i;
      c = text.charCodeAt(i);
      while (c >= ZERO && c <= NINE) {
        mantissa = mantissa * 10 + (c - ZERO);
        c = text.charCodeAt(++i);
      }
      digits += i - fracStart;
      exp -= i - fracStart;
    }
    if (digits === 0) return -1;
    if (c === LOWER_E || c === UPPER_E) {
      c = text.charCodeAt(++i);
      const eneg = c === MINUS;
      if (eneg || c === PLUS) c = text.charCodeAt(++i);
      if (!(c >= ZERO && c <= NINE)) return -1;
      let e = 0;
      while (c >= ZERO && c <= NINE) {
        if (e < 100000) e = e * 10 + (c - ZERO);
        c = text.charCodeAt(++i);
      }
      exp += eneg ? -e : e;
    }
    // NaN (past the end) compares false, so `c > SPACE` is false there too.
    if (c > SPACE) return -1;
    let v: number;
    if (digits <= MAX_FAST_DIGITS && exp >= -22 && exp <= 22) {
      // Both operands are exact doubles, so one IEEE operation rounds correctly (Clinger's fast path).
      v = exp < 0 ? mantissa / POW10[-exp] : mantissa * POW10[exp];
    } else {
      // Rare (over 15 digits or a large exponent): let the engine round.
      const digitsStart = neg || text.charCodeAt(start) === PLUS ? start + 1 : start;
      v = Number(text.slice(digitsStart, i) + (shift !== 0 ? `e${shift}` : ''));
      if (Number.isNaN(v)) v = Number(text.slice(digitsStart, i)) * 10 ** shift;
    }
    this.num = neg ? -v : v;
    return i;
  }

  /** NaN, Inf or Infinity in any case, Inf signed; `from` is past the sign. */
  private specialEnd(start: number, from: number, neg: boolean): number {
    const end = this.tokenEnd(from);
    if (end - from > 8) return -1;
    const word = this.text.slice(from, end).toLowerCase();
    if (word === 'inf' || word === 'infinity') this.num = neg ? -Infinity : Infinity;
    else if (word === 'nan' && from === start) this.num = NaN;
    else return -1;
    return end;
  }

  /** Like `numberEnd` for a signed decimal integer (0.0.4 timestamps, in ms). */
  integerEnd(start: number): number {
    const text = this.text;
    let i = start;
    let c = text.charCodeAt(i);
    const neg = c === MINUS;
    if (neg || c === PLUS) c = text.charCodeAt(++i);
    const digitsStart = i;
    let v = 0;
    while (c >= ZERO && c <= NINE) {
      v = v * 10 + (c - ZERO);
      c = text.charCodeAt(++i);
    }
    if (i === digitsStart || c > SPACE) return -1;
    if (i - digitsStart > MAX_FAST_DIGITS) v = Number(text.slice(digitsStart, i));
    this.num = neg ? -v : v;
    return i;
  }
}
