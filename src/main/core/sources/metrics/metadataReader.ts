// `#` lines: HELP, TYPE, UNIT and OpenMetrics' EOF; other comments are skipped in
// 0.0.4 and refused in OpenMetrics.

import type { FamilyIndex, FamilySlot } from './familyIndex';
import { type LineScanner, quote } from './lineScanner';

const CR = 13;
const SPACE = 32;
const BACKSLASH = 92;

const KW_NONE = 0;
const KW_HELP = 1;
const KW_TYPE = 2;
const KW_UNIT = 3;
const KW_EOF = 4;
const KW_NAMES = ['', 'HELP', 'TYPE', 'UNIT', 'EOF'];

/** Reads metadata lines into a parse's families. Owned by one parse. */
export class MetadataReader {
  /** The family of the last HELP/TYPE/UNIT line (a placeholder before any): the next sample's likely family. */
  lastDeclared: FamilySlot;

  constructor(
    private readonly index: FamilyIndex,
    private readonly om: boolean,
    placeholder: FamilySlot,
  ) {
    this.lastDeclared = placeholder;
  }

  /** Reads the `#` line under the cursor; true when it was OpenMetrics' `# EOF` (and nothing follows it). */
  read(sc: LineScanner): boolean {
    const hashAt = sc.pos;
    sc.pos++;
    sc.skipBlanks();
    const kwStart = sc.pos;
    const kwEnd = sc.tokenEnd();
    const kw = this.keyword(sc, kwStart, kwEnd - kwStart);
    if (kw === KW_NONE) {
      if (this.om) sc.fail('unexpected comment: OpenMetrics allows only # HELP, # TYPE, # UNIT and # EOF', hashAt);
      sc.skipToLineEnd();
      return false;
    }
    sc.pos = kwEnd;
    sc.skipBlanks();
    if (kw === KW_EOF) {
      if (!sc.atLineEnd()) sc.fail(`unexpected ${sc.quotedToken(sc.pos)} after "# EOF"`);
      if (sc.pos < sc.len) sc.nextLine();
      if (sc.pos < sc.len) sc.fail('unexpected content after "# EOF"');
      return true;
    }
    const what = `# ${KW_NAMES[kw]}`;
    const nameStart = sc.pos;
    // HELP, TYPE and UNIT of one family come together: compare before scanning and looking up.
    let slot = this.lastDeclared;
    let nameEnd = nameStart + slot.name.length;
    // NaN (past the end) compares false, like a line end.
    if (slot.name === '' || !sc.regionEquals(slot.name, nameStart) || sc.text.charCodeAt(nameEnd) > SPACE) {
      if (sc.atLineEnd()) sc.fail(`missing metric name after ${what}`);
      nameEnd = sc.metricNameEnd(nameStart);
      if (nameEnd === nameStart) sc.fail(`invalid metric name ${sc.quotedToken(nameStart)} in ${what}`);
      const after = sc.text.charCodeAt(nameEnd);
      if (after > SPACE) sc.fail(`invalid character ${quote(String.fromCharCode(after))} in metric name ${sc.quotedToken(nameStart)} in ${what}`, nameEnd);
      slot = this.index.declared(sc.text.slice(nameStart, nameEnd));
      this.lastDeclared = slot;
    }
    const name = slot.name;
    sc.pos = nameEnd;
    sc.skipBlanks();
    if (kw === KW_HELP) {
      if (slot.help !== undefined) sc.fail(`duplicate HELP for family "${name}"`, nameStart);
      slot.help = this.readHelp(sc);
      return false;
    }
    const wordStart = sc.pos;
    const wordEnd = sc.tokenEnd();
    if (wordEnd === wordStart) sc.fail(`missing ${kw === KW_TYPE ? 'type' : 'unit'} in ${what} for "${name}"`);
    const word = sc.text.slice(wordStart, wordEnd);
    if (kw === KW_TYPE) {
      if (!this.index.isType(word)) sc.fail(`invalid metric type ${quote(word)} for family "${name}"`, wordStart);
      if (slot.typed) sc.fail(`duplicate TYPE for family "${name}"`, nameStart);
      if (slot.samples.length > 0) sc.fail(`TYPE for family "${name}" comes after its samples`, nameStart);
      slot.type = word;
      slot.typed = true;
    } else {
      if (slot.unit !== undefined) sc.fail(`duplicate UNIT for family "${name}"`, nameStart);
      slot.unit = word;
    }
    sc.pos = wordEnd;
    sc.skipBlanks();
    if (!sc.atLineEnd()) sc.fail(`unexpected ${sc.quotedToken(sc.pos)} after ${what} ${name} ${word}`);
    return false;
  }

  private keyword(sc: LineScanner, start: number, n: number): number {
    // startsWith, not regionEquals: for 3-4 characters a slice would cost more than it saves.
    const t = sc.text;
    if (n === 4) {
      if (t.startsWith('HELP', start)) return KW_HELP;
      if (t.startsWith('TYPE', start)) return KW_TYPE;
      // In 0.0.4, UNIT and EOF lines are ordinary comments.
      if (this.om && t.startsWith('UNIT', start)) return KW_UNIT;
    } else if (n === 3 && this.om && t.startsWith('EOF', start)) return KW_EOF;
    return KW_NONE;
  }

  /** Rest of the line as HELP text: `\\` and `\n` unescaped (and `\"` in OpenMetrics). */
  private readHelp(sc: LineScanner): string {
    const t = sc.text;
    const start = sc.pos;
    sc.skipToLineEnd();
    let end = sc.pos;
    if (end > start && t.charCodeAt(end - 1) === CR) end--;
    if (sc.nextBackslash(start) >= end) return t.slice(start, end);
    let out = '';
    let chunk = start;
    for (let i = start; i < end - 1; i++) {
      if (t.charCodeAt(i) !== BACKSLASH) continue;
      const e = t.charAt(i + 1);
      if (e === 'n' || e === '\\' || (e === '"' && this.om)) {
        out += t.slice(chunk, i) + (e === 'n' ? '\n' : e);
        chunk = i + 2;
      }
      // Unknown escapes stay as written; skip the escaped character either way.
      i++;
    }
    return chunk === start ? t.slice(start, end) : out + t.slice(chunk, end);
  }
}
