/**
 * A growable ring of bytes written and read bit by bit (most significant bit first),
 * the storage under {@link CompressedSeries}.
 *
 * Positions are *logical* byte offsets: they only ever increase (a number stays exact
 * up to 2^53, i.e. far beyond any process lifetime), and the physical index is
 * `logical % size`. Because callers keep logical offsets, growing the ring (which
 * changes `size`) never invalidates a position held elsewhere.
 *
 * Invariants:
 * - live data is the bytes [start, writeByte]; the byte at `writeByte` is partly
 *   written (`writeBit` bits used, the rest zero);
 * - every byte the writer moves into is zeroed first, so writing is a plain OR;
 * - the writer never runs into live data: callers reserve room with `ensureFree`
 *   before writing, and that is the only place that allocates.
 */
export class BitRing {
  private buf: Uint8Array;
  private size: number;
  /** Logical offset of the oldest live byte. */
  private start = 0;
  /** Logical offset and physical index of the byte being written, and bits used in it (0..7). */
  private writeByte = 0;
  private writePhys = 0;
  private writeBit = 0;

  /** @param initialBytes first allocation, grown on demand (by a quarter, at least what is needed). */
  constructor(initialBytes: number) {
    this.size = Math.max(16, Math.ceil(initialBytes));
    this.buf = new Uint8Array(this.size);
  }

  /** Bytes allocated (the memory cost). */
  get byteLength(): number {
    return this.size;
  }

  /** Bytes holding live data, counting the partly written byte. */
  usedBytes(): number {
    return this.writeByte - this.start + 1;
  }

  /** Grows the ring, if needed, so that `bytes` more bytes can be written. */
  ensureFree(bytes: number): void {
    const used = this.usedBytes();
    if (used + bytes <= this.size) return;
    const newSize = Math.max(this.size + (this.size >> 2), used + bytes + 64);
    const next = new Uint8Array(newSize);
    for (let l = this.start; l <= this.writeByte; l++) next[l % newSize] = this.buf[l % this.size];
    this.buf = next;
    this.size = newSize;
    this.writePhys = this.writeByte % newSize;
  }

  /** Moves the writer to the next byte boundary. @returns its logical byte offset. */
  alignToByte(): number {
    if (this.writeBit > 0) this.advance();
    return this.writeByte;
  }

  /** Declares every byte before logical offset `logical` dead (the oldest chunk was evicted). */
  release(logical: number): void {
    if (logical > this.start && logical <= this.writeByte) this.start = logical;
  }

  /** Writes the low `n` bits (1..32) of the unsigned integer `v`, most significant first. */
  writeBits(v: number, n: number): void {
    const buf = this.buf;
    while (n > 0) {
      const free = 8 - this.writeBit;
      const take = n < free ? n : free;
      n -= take;
      const bits = (v >>> n) & ((1 << take) - 1);
      buf[this.writePhys] |= bits << (free - take);
      this.writeBit += take;
      if (this.writeBit === 8) this.advance();
    }
  }

  /** Writes one bit (0 or 1). */
  writeBit1(bit: number): void {
    this.buf[this.writePhys] |= bit << (7 - this.writeBit);
    if (++this.writeBit === 8) this.advance();
  }

  /** A read cursor at logical byte offset `logical`, bit 0. */
  cursorAt(logical: number, out: BitCursor): BitCursor {
    out.phys = logical % this.size;
    out.bit = 0;
    return out;
  }

  /** Reads `n` (1..32) bits at the cursor as an unsigned integer and advances it. */
  readBits(c: BitCursor, n: number): number {
    const buf = this.buf;
    let result = 0;
    while (n > 0) {
      const avail = 8 - c.bit;
      const take = n < avail ? n : avail;
      const bits = (buf[c.phys] >>> (avail - take)) & ((1 << take) - 1);
      result = (result << take) | bits;
      n -= take;
      c.bit += take;
      if (c.bit === 8) {
        c.bit = 0;
        c.phys = c.phys + 1 === this.size ? 0 : c.phys + 1;
      }
    }
    return result >>> 0;
  }

  /** Reads one bit at the cursor and advances it. */
  readBit(c: BitCursor): number {
    const bit = (this.buf[c.phys] >>> (7 - c.bit)) & 1;
    if (++c.bit === 8) {
      c.bit = 0;
      c.phys = c.phys + 1 === this.size ? 0 : c.phys + 1;
    }
    return bit;
  }

  private advance(): void {
    this.writeBit = 0;
    this.writeByte++;
    this.writePhys = this.writePhys + 1 === this.size ? 0 : this.writePhys + 1;
    this.buf[this.writePhys] = 0;
  }
}

/** A reader's position in a {@link BitRing}: physical byte index and bit (0..7). Owned by the reader. */
export interface BitCursor {
  phys: number;
  bit: number;
}
