import { describe, expect, it } from 'vitest';
import { lineColumn, locateJsonError, parseJsonText } from '../../../../src/main/core/inventory/parseJsonText';

describe('parseJsonText', () => {
  it('parses valid JSON, a leading BOM included', () => {
    expect(parseJsonText('{"a": [1, 2.5e3, true, null, "x\\u00e9"]}')).toEqual({ ok: true, value: { a: [1, 2500, true, null, 'xé'] } });
    expect(parseJsonText('\uFEFF[1]')).toEqual({ ok: true, value: [1] });
  });

  const cases: Array<[string, number, number, string]> = [
    ['', 1, 1, 'unexpected end of input, expected a value'],
    ['{"a": 1,}', 1, 9, 'expected a double-quoted property name'],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, "expected ',' or '}' after a property value"],
    ['[1, 2', 1, 6, "unexpected end of input, expected ',' or ']' after an array element"],
    ['{"a" 1}', 1, 6, "expected ':' after a property name"],
    ['[tru]', 1, 2, 'expected a value'],
    ['[01]', 1, 3, "expected ',' or ']' after an array element"],
    ['[-]', 1, 2, 'invalid number'],
    ['"abc', 1, 5, 'unexpected end of input, unterminated string'],
    ['["a\nb"]', 1, 4, 'control character (such as a line break) inside a string'],
    ['["\\x"]', 1, 3, 'invalid escape in a string'],
    ['["\\u12g4"]', 1, 3, 'invalid \\u escape in a string'],
    ['{} {}', 1, 4, 'unexpected text after the JSON value'],
    ["{'a': 1}", 1, 2, 'expected a double-quoted property name'],
  ];
  it.each(cases)('locates the error in %j at line %i column %i', (text, line, column, reason) => {
    expect(parseJsonText(text)).toEqual({ ok: false, line, column, problem: `not valid JSON at line ${line} column ${column} (${reason})` });
  });

  it('agrees with V8 wherever V8 gives a position', () => {
    const broken = ['{"a": 1,}', '{"a" 1}', '[1 2]', '{} x', '{"a":1', '[1,]', '{"a":}', '[1,\n  2,\n  ]', '{\n"k": [true, fals]\n}'];
    let compared = 0;
    for (const text of broken) {
      let v8: number | null = null;
      try {
        JSON.parse(text);
      } catch (err) {
        const m = /at position (\d+)/.exec((err as Error).message);
        v8 = m ? Number(m[1]) : null;
      }
      const ours = locateJsonError(text);
      expect(ours, text).not.toBeNull();
      if (v8 === null) continue;
      compared++;
      expect(ours?.offset, text).toBe(v8);
    }
    expect(compared).toBeGreaterThanOrEqual(4);
  });

  it('finds no error in valid JSON', () => {
    for (const text of ['0', '-1.5E-3', '"\\"\\\\\\/\\b\\f\\n\\r\\t"', ' { "a" : [ { } , [ ] ] } ', '[[[]]]', 'null']) {
      expect(JSON.parse(text)).toBeDefined();
      expect(locateJsonError(text), text).toBeNull();
    }
  });

  it('never quotes the text (it may be a credentials file)', () => {
    const r = parseJsonText('{"readToken": s3cr3t-value}');
    expect(r).toMatchObject({ ok: false, line: 1, column: 15 });
    expect(JSON.stringify(r)).not.toContain('s3cr3t');
  });

  it('survives deep nesting', () => {
    expect(parseJsonText('['.repeat(200_000))).toMatchObject({ ok: false, line: 1, column: 200_001 });
  });

  it('counts lines and columns from 1', () => {
    expect(lineColumn('ab\ncd\n', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('ab\ncd\n', 6)).toEqual({ line: 3, column: 1 });
  });
});
