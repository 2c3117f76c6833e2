import type { PagePool } from './pagePool';

/**
 * A stream of bits written at its end and dropped from its start (most significant
 * bit first), stored in fixed-size pages of a {@link PagePool}: the storage under one
 * {@link CompressedSeries}.
 *
 * Positions are *logical* byte offsets that only ever increase (exact up to 2^53,
 * far beyond any process lifetime). Logical byte L lives in the stream's page number
 * floor(L / pageBytes), at L % pageBytes; this object keeps the ring of page ids for
 * the page numbers still live.
 *
 * Invariants:
 * - live data is the bytes [start, writeByte]; the byte at `writeByte` is partly
 *   written (`writeBit` bits used), the rest of its page is zero (pages come zeroed
 *   from the pool), so writing is a plain OR;
 * - pages wholly before `start` are back in the pool; the writer's page is always held;
 * - allocation happens only when the page-id ring must grow (or the pool needs a slab).
 */
export class BitRing {
  private readonly pool: PagePool;
  private readonly pageBytes: number;
  /**
   * Ring of page ids: `ids[(head + i) % ids.length]` holds stream page `firstPage + i`. A
   * plain array of small integers: a typed array this small (a few dozen ids) costs its
   * buffer, a backing store and their bookkeeping outside the V8 heap, several times its
   * bytes, once per series.
   */
  private ids: number[] = [0, 0, 0, 0];
  private head = 0;
  private pageCount = 0;
  private firstPage = 0;
  /** Logical offset of the oldest live byte. */
  private start = 0;
  /** Logical offset of the byte being written, bits used in it (0..7), and where it is. */
  private writeByte = 0;
  private writeBit = 0;
  private wBuf: Uint8Array;
  private wOff = 0;
  private wEnd = 0;
  private disposed = false;

  constructor(pool: PagePool) {
    this.pool = pool;
    this.pageBytes = pool.pageBytes;
    this.wBuf = this.pushPage();
  }

  /** Bytes held: whole pages, plus the page-id ring. */
  get byteLength(): number {
    return this.pageCount * this.pageBytes + this.ids.length * 8;
  }

  /** Bytes holding live data, counting the partly written byte. */
  usedBytes(): number {
    return this.writeByte - this.start + 1;
  }

  /** Moves the writer to the next byte boundary. @returns its logical byte offset. */
  alignToByte(): number {
    if (this.writeBit > 0) this.advance();
    return this.writeByte;
  }

  /** Declares every byte before logical offset `logical` dead; whole dead pages go back to the pool. */
  release(logical: number): void {
    if (!(logical > this.start && logical <= this.writeByte)) return;
    this.start = logical;
    const keepFrom = Math.floor(logical / this.pageBytes);
    while (this.firstPage < keepFrom) {
      this.pool.release(this.ids[this.head]);
      this.head = this.head + 1 === this.ids.length ? 0 : this.head + 1;
      this.firstPage++;
      this.pageCount--;
    }
  }

  /** Returns every page to the pool; the ring must not be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (let i = 0; i < this.pageCount; i++) this.pool.release(this.ids[(this.head + i) % this.ids.length]);
    this.pageCount = 0;
  }

  /** Writes the low `n` bits (1..32) of the unsigned integer `v`, most significant first. */
  writeBits(v: number, n: number): void {
    while (n > 0) {
      const free = 8 - this.writeBit;
      const take = n < free ? n : free;
      n -= take;
      this.wBuf[this.wOff] |= ((v >>> n) & ((1 << take) - 1)) << (free - take);
      this.writeBit += take;
      if (this.writeBit === 8) this.advance();
    }
  }

  /** Writes one bit (0 or 1). */
  writeBit1(bit: number): void {
    this.wBuf[this.wOff] |= bit << (7 - this.writeBit);
    if (++this.writeBit === 8) this.advance();
  }

  /** Positions `out` at logical byte offset `logical` (which must be live), bit 0. */
  cursorAt(logical: number, out: BitCursor): BitCursor {
    const page = Math.floor(logical / this.pageBytes);
    this.placeCursor(out, page);
    out.off += logical - page * this.pageBytes;
    out.bit = 0;
    return out;
  }

  /** Reads `n` (1..32) bits at the cursor as an unsigned integer and advances it. */
  readBits(c: BitCursor, n: number): number {
    let result = 0;
    while (n > 0) {
      const avail = 8 - c.bit;
      const take = n < avail ? n : avail;
      result = (result << take) | ((c.buf[c.off] >>> (avail - take)) & ((1 << take) - 1));
      n -= take;
      c.bit += take;
      if (c.bit === 8) {
        c.bit = 0;
        if (++c.off === c.end) this.placeCursor(c, c.page + 1);
      }
    }
    return result >>> 0;
  }

  /** Reads one bit at the cursor and advances it. */
  readBit(c: BitCursor): number {
    const bit = (c.buf[c.off] >>> (7 - c.bit)) & 1;
    if (++c.bit === 8) {
      c.bit = 0;
      if (++c.off === c.end) this.placeCursor(c, c.page + 1);
    }
    return bit;
  }

  /** Points the cursor at the first byte of stream page `page` (past the end: stays put, reads zeros). */
  private placeCursor(c: BitCursor, page: number): void {
    const i = page - this.firstPage;
    c.page = page;
    if (i < 0 || i >= this.pageCount) {
      c.buf = EMPTY_PAGE;
      c.off = 0;
      c.end = -1;
      return;
    }
    const id = this.ids[(this.head + i) % this.ids.length];
    c.buf = this.pool.slabOf(id);
    c.off = this.pool.offsetOf(id);
    c.end = c.off + this.pageBytes;
  }

  private advance(): void {
    this.writeBit = 0;
    this.writeByte++;
    if (++this.wOff === this.wEnd) this.wBuf = this.pushPage();
  }

  /** Takes a page from the pool for the next stream page and moves the writer onto it. */
  private pushPage(): Uint8Array {
    if (this.pageCount === this.ids.length) {
      const grown = new Array<number>(this.ids.length * 2).fill(0);
      for (let i = 0; i < this.pageCount; i++) grown[i] = this.ids[(this.head + i) % this.ids.length];
      this.ids = grown;
      this.head = 0;
    }
    const id = this.pool.acquire();
    this.ids[(this.head + this.pageCount) % this.ids.length] = id;
    this.pageCount++;
    this.wOff = this.pool.offsetOf(id);
    this.wEnd = this.wOff + this.pageBytes;
    return this.pool.slabOf(id);
  }
}

/** A reader's position in a {@link BitRing}. Owned by the reader; valid while the bytes it points at are live. */
export interface BitCursor {
  /** Slab holding the current page, offset of the current byte in it, end of the page. */
  buf: Uint8Array;
  off: number;
  end: number;
  /** Stream page number of the current page. */
  page: number;
  bit: number;
}

const EMPTY_PAGE = new Uint8Array(1);

/** A fresh cursor (to be positioned with {@link BitRing.cursorAt}). */
export function newCursor(): BitCursor {
  return { buf: EMPTY_PAGE, off: 0, end: -1, page: 0, bit: 0 };
}
