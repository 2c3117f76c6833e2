/** Parsed JSON, or a problem that says where (line and column) and what, never quoting the text. */
export type JsonParse = { ok: true; value: unknown } | { ok: false; problem: string; line: number; column: number };

/**
 * Parses JSON text. On failure, the problem names the 1-based line and column and what was
 * expected there. V8's own messages are not used: some carry no position, and some quote
 * the surrounding text, which could be a secret in a credentials file.
 */
export function parseJsonText(text: string): JsonParse {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // editors on Windows add a BOM
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    const found = locateJsonError(body) ?? { offset: 0, reason: 'not valid JSON' };
    const { line, column } = lineColumn(body, found.offset);
    return { ok: false, problem: `not valid JSON at line ${line} column ${column} (${found.reason})`, line, column };
  }
}

/** 1-based line and column (UTF-16 units) of `offset`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WS = /[ \t\n\r]*/y;

/**
 * Offset and reason of the first syntax error in `text` (RFC 8259), or null if it is valid.
 * Iterative (an explicit stack), so deep nesting cannot overflow the call stack.
 */
export function locateJsonError(text: string): { offset: number; reason: string } | null {
  const stack: string[] = [];
  let i = 0;
  let state: 'value' | 'key' | 'after' = 'value';
  const skipWs = (): void => {
    WS.lastIndex = i;
    WS.test(text);
    i = WS.lastIndex;
  };
  const fail = (reason: string) => ({ offset: i, reason: i >= text.length ? `unexpected end of input, ${reason}` : reason });
  for (;;) {
    skipWs();
    const c = text[i];
    if (state === 'value') {
      if (c === '{' || c === '[') {
        stack.push(c);
        i++;
        skipWs();
        if (text[i] === (c === '{' ? '}' : ']')) {
          stack.pop();
          i++;
          state = 'after';
        } else state = c === '{' ? 'key' : 'value';
      } else if (c === '"') {
        const err = scanString();
        if (err) return err;
        state = 'after';
      } else if (c === 't' || c === 'f' || c === 'n') {
        const word = c === 't' ? 'true' : c === 'f' ? 'false' : 'null';
        if (!text.startsWith(word, i)) return fail('expected a value');
        i += word.length;
        state = 'after';
      } else {
        NUMBER.lastIndex = i;
        if (c === undefined || !NUMBER.test(text)) return fail(c === '-' || (c >= '0' && c <= '9') ? 'invalid number' : 'expected a value');
        i = NUMBER.lastIndex;
        state = 'after';
      }
    } else if (state === 'key') {
      if (c !== '"') return fail('expected a double-quoted property name');
      const err = scanString();
      if (err) return err;
      skipWs();
      if (text[i] !== ':') return fail("expected ':' after a property name");
      i++;
      state = 'value';
    } else {
      const top = stack[stack.length - 1];
      if (top === undefined) return i < text.length ? fail('unexpected text after the JSON value') : null;
      const close = top === '{' ? '}' : ']';
      if (c === ',') {
        i++;
        state = top === '{' ? 'key' : 'value';
      } else if (c === close) {
        stack.pop();
        i++;
      } else return fail(`expected ',' or '${close}' after ${top === '{' ? 'a property value' : 'an array element'}`);
    }
  }

  function scanString(): { offset: number; reason: string } | null {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) return fail('unterminated string');
      const code = text.charCodeAt(i);
      if (code === 0x22) {
        i++;
        return null;
      }
      if (code < 0x20) return fail('control character (such as a line break) inside a string');
      if (code === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail('invalid \\u escape in a string');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return fail('invalid escape in a string');
      } else i++;
    }
  }
}
