import { describe, expect, it } from 'vitest';
import { BitRing, newCursor } from '../../../../src/main/core/store/bitRing';
import { PagePool } from '../../../../src/main/core/store/pagePool';

describe('BitRing', () => {
  it('reads back what was written, most significant bit first, across pages', () => {
    const pool = new PagePool({ pageBytes: 3, pagesPerSlab: 5 });
    const ring = new BitRing(pool);
    const fields: Array<[number, number]> = [[1, 1], [0b101, 3], [0xdeadbeef, 32], [0, 7], [0x7f, 7], [0xffffffff, 32], [0x12345, 17]];
    for (const [v, n] of fields) ring.writeBits(v, n);
    ring.writeBit1(1);
    const c = ring.cursorAt(0, newCursor());
    for (const [v, n] of fields) expect(ring.readBits(c, n)).toBe(v >>> 0);
    expect(ring.readBit(c)).toBe(1);
    // 1 + 3 + 32 + 7 + 7 + 32 + 17 + 1 = 100 bits: bytes 0..12, the last one partly written.
    expect(ring.usedBytes()).toBe(13);
  });

  it('aligns to the next byte and reads from a logical byte offset', () => {
    const ring = new BitRing(new PagePool({ pageBytes: 4 }));
    ring.writeBits(0b11, 2);
    expect(ring.alignToByte()).toBe(1);
    expect(ring.alignToByte()).toBe(1);
    ring.writeBits(0xab, 8);
    const c = ring.cursorAt(1, newCursor());
    expect(ring.readBits(c, 8)).toBe(0xab);
  });

  it('gives whole dead pages back to the pool on release, and all of them on dispose', () => {
    const pool = new PagePool({ pageBytes: 4 });
    const ring = new BitRing(pool);
    for (let i = 0; i < 40; i++) ring.writeBits(i, 8); // 40 bytes: pages 0..9, writer on page 10
    expect(pool.pagesInUse()).toBe(11);
    ring.release(9); // bytes 0..8 dead: pages 0 and 1 go back, page 2 (bytes 8..11) stays
    expect(pool.pagesInUse()).toBe(9);
    expect(ring.usedBytes()).toBe(32);
    const c = ring.cursorAt(9, newCursor());
    expect(ring.readBits(c, 8)).toBe(9);
    expect(ring.byteLength).toBe(9 * 4 + 16 * 8); // 9 pages + a 16-entry page-id ring (8 bytes an entry)
    ring.dispose();
    expect(pool.pagesInUse()).toBe(0);
  });
});
