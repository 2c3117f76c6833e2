import { describe, expect, it } from 'vitest';
import { PendingBytes } from '../../../../../src/main/core/sources/eventStream/pendingBytes';

const bytes = (s: string) => new TextEncoder().encode(s);

function after(...chunks: string[]): number {
  const p = new PendingBytes();
  for (const c of chunks) p.scan(bytes(c));
  return p.value;
}

describe('PendingBytes', () => {
  it('counts an unterminated line', () => {
    expect(after('data: abc')).toBe(9);
    expect(after('data: a', 'bc', 'def')).toBe(12);
  });

  it('drops to zero at a blank line (an event boundary) with LF, CR or CRLF line ends', () => {
    expect(after('data: 1\n\n')).toBe(0);
    expect(after('data: 1\r\r')).toBe(0);
    expect(after('data: 1\r\n\r\n')).toBe(0);
    expect(after(': hb\n\n')).toBe(0);
  });

  it('keeps counting across finished lines of an event not yet complete', () => {
    // 'data: 1' + LF counts 8; the second line 7 more.
    expect(after('data: 1\ndata: 2')).toBe(15);
    expect(after('data: 1\r\ndata: 2\r\n')).toBe(16);
  });

  it('counts from the boundary only what follows it', () => {
    expect(after('data: 1\n\nid: x')).toBe(5);
  });

  it('handles a CRLF split across chunks as one line end (not a blank line)', () => {
    expect(after('data: 1\r', '\ndata: 2')).toBe(15);
    expect(after('data: 1\r', '\n', '\r', '\n')).toBe(0);
  });

  it('counts bytes, not characters', () => {
    expect(after('data: é')).toBe(8);
    expect(after('data: 😀')).toBe(10);
  });

  it('starts over on reset()', () => {
    const p = new PendingBytes();
    p.scan(bytes('data: x'));
    p.reset();
    expect(p.value).toBe(0);
    p.scan(bytes('\n'));
    expect(p.value).toBe(0);
  });
});
