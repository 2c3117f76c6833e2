/**
 * Byte streams for the recording's binary message encodings: LEB128 varints (unsigned up
 * to 2^53, zigzag for signed), UTF-8 strings with a varint length, little-endian float64,
 * and a nibble stream for the value codec's 4-bit tags. Plain arithmetic past 2^31 so
 * every safe integer round-trips.
 */

const TWO_32 = 2 ** 32;
const TEXT = new TextEncoder();
const UTF8 = new TextDecoder('utf-8', { fatal: true });
/** Shared scratch for float64 <-> bytes; single-threaded use only, never held across calls. */
const F64 = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64.buffer);

/** Thrown by {@link ByteReader} when a message is shorter than its content says. */
export class TruncatedMessageError extends Error {
  constructor(what: string) {
    super(`message ends inside ${what}`);
  }
}

/** A growable byte buffer written front to back. Owns its buffer; `bytes()` returns a view. */
export class ByteWriter {
  private buf: Uint8Array;
  length = 0;

  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  reset(): void {
    this.length = 0;
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.length++] = v;
  }

  /** Unsigned integer in [0, 2^53). */
  varint(v: number): void {
    this.room(8);
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  /** Signed integer with |v| < 2^52, zigzag-mapped so small magnitudes are short. */
  zigzag(v: number): void {
    this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  f64(v: number): void {
    this.room(8);
    F64[0] = v;
    this.buf.set(F64_BYTES, this.length);
    this.length += 8;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  string(s: string): void {
    // Worst case 3 bytes per UTF-16 unit.
    this.room(s.length * 3 + 8);
    const start = this.length;
    // Reserve a one-byte length for short strings; move the text if the length needs more.
    const { written } = TEXT.encodeInto(s, this.buf.subarray(start + 1));
    if (written < 0x80) {
      this.buf[start] = written;
      this.length = start + 1 + written;
      return;
    }
    const text = this.buf.slice(start + 1, start + 1 + written);
    this.length = start;
    this.varint(written);
    this.bytes(text);
  }

  /** The bytes written so far (a view: valid until the next write or reset). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** Reads what {@link ByteWriter} wrote; throws {@link TruncatedMessageError} past the end. */
export class ByteReader {
  pos: number;
  private buf: Uint8Array;
  private end: number;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  /** Points the reader at other bytes (readers are reused per message: no garbage per message). */
  reset(buf: Uint8Array, start = 0, end = buf.length): void {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** The unread bytes (a view; the position does not move). */
  rest(): Uint8Array {
    return this.buf.subarray(this.pos, this.end);
  }

  u8(): number {
    if (this.pos >= this.end) throw new TruncatedMessageError('a byte');
    return this.buf[this.pos++];
  }

  varint(): number {
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.end) throw new TruncatedMessageError('a varint');
      const b = this.buf[this.pos++];
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 0x80;
    }
    throw new TruncatedMessageError('an over-long varint');
  }

  zigzag(): number {
    const z = this.varint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  f64(): number {
    if (this.pos + 8 > this.end) throw new TruncatedMessageError('a float64');
    F64_BYTES.set(this.buf.subarray(this.pos, this.pos + 8));
    this.pos += 8;
    return F64[0];
  }

  bytes(n: number): Uint8Array {
    if (this.pos + n > this.end) throw new TruncatedMessageError(`${n} bytes`);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  string(): string {
    const n = this.varint();
    return UTF8.decode(this.bytes(n));
  }
}

/** 4-bit tags, two to a byte (low nibble first). */
export class NibbleWriter {
  private readonly out = new ByteWriter(64);
  private half = -1;
  count = 0;

  reset(): void {
    this.out.reset();
    this.half = -1;
    this.count = 0;
  }

  push(tag: number): void {
    this.count++;
    if (this.half < 0) this.half = tag;
    else {
      this.out.u8(this.half | (tag << 4));
      this.half = -1;
    }
  }

  /** Flushes a pending half byte and returns the tag bytes (a view, valid until reset). */
  view(): Uint8Array {
    if (this.half >= 0) {
      this.out.u8(this.half);
      this.half = -1;
    }
    return this.out.view();
  }
}

export class NibbleReader {
  private i = 0;

  constructor(
    private buf: Uint8Array,
    private start: number,
    private end: number,
  ) {}

  reset(buf: Uint8Array, start: number, end: number): void {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.i = 0;
  }

  next(): number {
    const byte = this.start + (this.i >> 1);
    if (byte >= this.end) throw new TruncatedMessageError('the value tags');
    const b = this.buf[byte];
    return this.i++ & 1 ? b >> 4 : b & 0x0f;
  }
}

/** Splits a non-negative integer below 2^64 into 32-bit halves (high, low). */
export function split64(v: number): [number, number] {
  const hi = Math.floor(v / TWO_32);
  return [hi, v - hi * TWO_32];
}
