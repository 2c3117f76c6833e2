import type { ByteReader, ByteWriter, NibbleReader, NibbleWriter } from './bytes';

/**
 * The value codec of the recording: each value of a series (a scrape sample, a leaf of an
 * event or a checkpoint) is coded against the previous value of the same {@link ValueSlot},
 * as a 4-bit tag (in the message's tag stream) plus 0–9 payload bytes (in its payload
 * stream). Byte-aligned on purpose: zstd, which compresses every chunk afterwards, finds
 * the repetition across nodes and scrapes that bit-packed codes would hide.
 *
 * Numbers that are decimals with at most {@link MAX_SCALE} fraction digits (integers:
 * counters, gauges, bucket counts; `12.345` CPU seconds) are kept as the integer
 * n = v · 10^k and coded by delta-of-delta (M3's TSZ does the same for integers): a
 * counter growing at a steady rate and a constant both cost one tag and no payload. Other
 * numbers (sums of observations, NaN, ±Inf, -0) are coded as the XOR of their IEEE bits
 * with the previous value's (Gorilla), with leading and trailing zero bytes dropped.
 *
 * Tags: 0 as predicted (int: n + last delta; float, string, boolean: unchanged) │
 * 1 int, zigzag varint delta-of-delta │ 2 int restart: u8 k + zigzag varint n │
 * 3 float XOR: u8 (leading zero bytes << 4 | trailing zero bytes) + the bytes between │
 * 4 float64 raw │ 5 string: varint length + UTF-8 │ 6 true │ 7 false.
 * Every value round-trips bit-exactly (NaN payloads aside: JavaScript may canonicalise them).
 */
export const TAG = { PRED: 0, DOD: 1, INT: 2, XOR: 3, RAW: 4, STR: 5, TRUE: 6, FALSE: 7 } as const;

/** Most fraction digits a decimal may have to be coded as an integer. */
export const MAX_SCALE = 12;
const POW10 = Array.from({ length: MAX_SCALE + 1 }, (_, k) => 10 ** k);
const MAX_DOD = 2 ** 52;

const MODE_NONE = 0;
const MODE_INT = 1;
const MODE_FLOAT = 2;

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = LITTLE_ENDIAN ? 0 : 1;

/** The coding state of one series: the encoder and the decoder each keep one per series, in step. */
export class ValueSlot {
  mode = MODE_NONE;
  /** Int mode: decimal scale k, current integer n, last delta d. */
  k = 0;
  n = 0;
  d = 0;
  /** Float mode: IEEE bits of the last value. */
  hi = 0;
  lo = 0;
  s: string | undefined = undefined;
  b: boolean | undefined = undefined;

  /** Back to the state of a new slot (reusing slots spares the garbage collector at every key message). */
  clear(): void {
    this.mode = MODE_NONE;
    this.k = 0;
    this.n = 0;
    this.d = 0;
    this.hi = 0;
    this.lo = 0;
    this.s = undefined;
    this.b = undefined;
  }
}

/** `n` cleared slots, reusing `old`'s when it has the same length. */
export function freshSlots(old: ValueSlot[] | undefined, n: number): ValueSlot[] {
  if (old && old.length === n) {
    for (const s of old) s.clear();
    return old;
  }
  return Array.from({ length: n }, () => new ValueSlot());
}

function isNegativeZero(v: number): boolean {
  return v === 0 && 1 / v < 0;
}

/** The smallest k such that v = n / 10^k for a safe integer n (exactly, as the decoder computes it), else -1. */
export function decimalScale(v: number): number {
  if (!Number.isFinite(v) || isNegativeZero(v)) return -1;
  if (Number.isInteger(v)) return Number.isSafeInteger(v) ? 0 : -1;
  for (let k = 1; k <= MAX_SCALE; k++) {
    const n = Math.round(v * POW10[k]);
    if (!Number.isSafeInteger(n)) return -1;
    if (n / POW10[k] === v) return k;
  }
  return -1;
}

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** Writes values into a message's tag and payload streams. */
export class ValueEncoder {
  constructor(
    readonly tags: NibbleWriter,
    readonly out: ByteWriter,
  ) {}

  number(slot: ValueSlot, v: number): void {
    if (slot.mode === MODE_INT && !isNegativeZero(v)) {
      const k = slot.k;
      const n = k === 0 ? v : Math.round(v * POW10[k]);
      if (Number.isSafeInteger(n) && (k === 0 || n / POW10[k] === v)) {
        const d = n - slot.n;
        const dod = d - slot.d;
        if (dod === 0) {
          this.tags.push(TAG.PRED);
          slot.n = n;
          return;
        }
        if (Number.isSafeInteger(d) && Math.abs(dod) < MAX_DOD) {
          this.tags.push(TAG.DOD);
          this.out.zigzag(dod);
          slot.n = n;
          slot.d = d;
          return;
        }
      }
    }
    const k = decimalScale(v);
    if (k >= 0) {
      const n = k === 0 ? v : Math.round(v * POW10[k]);
      if (Math.abs(n) < MAX_DOD) {
        this.tags.push(TAG.INT);
        this.out.u8(k);
        this.out.zigzag(n);
        slot.mode = MODE_INT;
        slot.k = k;
        slot.n = n;
        slot.d = 0;
        return;
      }
    }
    F64[0] = v;
    const hi = U32[HI];
    const lo = U32[LO];
    if (slot.mode === MODE_FLOAT) this.xor(slot, hi, lo);
    else {
      this.tags.push(TAG.RAW);
      this.out.f64(v);
    }
    slot.mode = MODE_FLOAT;
    slot.hi = hi;
    slot.lo = lo;
  }

  private xor(slot: ValueSlot, hi: number, lo: number): void {
    const xh = (hi ^ slot.hi) >>> 0;
    const xl = (lo ^ slot.lo) >>> 0;
    if (xh === 0 && xl === 0) {
      this.tags.push(TAG.PRED);
      return;
    }
    const lead = xh !== 0 ? Math.clz32(xh) >> 3 : 4 + (Math.clz32(xl) >> 3);
    const trail = xl !== 0 ? ctz32(xl) >> 3 : 4 + (ctz32(xh) >> 3);
    this.tags.push(TAG.XOR);
    this.out.u8((lead << 4) | trail);
    // Big-endian bytes [lead, 8 - trail) of (xh, xl).
    for (let i = lead; i < 8 - trail; i++) this.out.u8(i < 4 ? (xh >>> (8 * (3 - i))) & 0xff : (xl >>> (8 * (7 - i))) & 0xff);
  }

  string(slot: ValueSlot, s: string): void {
    if (slot.s === s) {
      this.tags.push(TAG.PRED);
      return;
    }
    this.tags.push(TAG.STR);
    this.out.string(s);
    slot.s = s;
  }

  bool(slot: ValueSlot, b: boolean): void {
    if (slot.b === b) this.tags.push(TAG.PRED);
    else this.tags.push(b ? TAG.TRUE : TAG.FALSE);
    slot.b = b;
  }
}

/** Thrown when a message's tags do not fit the value expected (a corrupt or mismatched message). */
export class BadValueError extends Error {}

/** Reads values written by {@link ValueEncoder}; slots must be in the same state the encoder's were. */
export class ValueDecoder {
  constructor(
    readonly tags: NibbleReader,
    readonly inp: ByteReader,
  ) {}

  number(slot: ValueSlot): number {
    const tag = this.tags.next();
    switch (tag) {
      case TAG.PRED:
        if (slot.mode === MODE_INT) {
          slot.n += slot.d;
          return slot.k === 0 ? slot.n : slot.n / POW10[slot.k];
        }
        if (slot.mode === MODE_FLOAT) return this.bits(slot.hi, slot.lo);
        throw new BadValueError('a predicted number before any value');
      case TAG.DOD: {
        if (slot.mode !== MODE_INT) throw new BadValueError('a delta on a series that is not integer-coded');
        slot.d += this.inp.zigzag();
        slot.n += slot.d;
        return slot.k === 0 ? slot.n : slot.n / POW10[slot.k];
      }
      case TAG.INT: {
        const k = this.inp.u8();
        if (k > MAX_SCALE) throw new BadValueError(`decimal scale ${k} out of range`);
        slot.mode = MODE_INT;
        slot.k = k;
        slot.n = this.inp.zigzag();
        slot.d = 0;
        return k === 0 ? slot.n : slot.n / POW10[k];
      }
      case TAG.XOR: {
        if (slot.mode !== MODE_FLOAT) throw new BadValueError('an XOR value on a series that is not float-coded');
        const h = this.inp.u8();
        const lead = h >> 4;
        const trail = h & 0x0f;
        if (lead + trail > 7) throw new BadValueError('bad XOR header');
        let xh = 0;
        let xl = 0;
        for (let i = lead; i < 8 - trail; i++) {
          const b = this.inp.u8();
          if (i < 4) xh |= b << (8 * (3 - i));
          else xl |= b << (8 * (7 - i));
        }
        slot.hi = (slot.hi ^ xh) >>> 0;
        slot.lo = (slot.lo ^ xl) >>> 0;
        return this.bits(slot.hi, slot.lo);
      }
      case TAG.RAW: {
        const v = this.inp.f64();
        F64[0] = v;
        slot.mode = MODE_FLOAT;
        slot.hi = U32[HI];
        slot.lo = U32[LO];
        return v;
      }
      default:
        throw new BadValueError(`tag ${tag} where a number was expected`);
    }
  }

  private bits(hi: number, lo: number): number {
    U32[HI] = hi;
    U32[LO] = lo;
    return F64[0];
  }

  string(slot: ValueSlot): string {
    const tag = this.tags.next();
    if (tag === TAG.PRED) {
      if (slot.s === undefined) throw new BadValueError('a predicted string before any value');
      return slot.s;
    }
    if (tag !== TAG.STR) throw new BadValueError(`tag ${tag} where a string was expected`);
    slot.s = this.inp.string();
    return slot.s;
  }

  bool(slot: ValueSlot): boolean {
    const tag = this.tags.next();
    if (tag === TAG.PRED) {
      if (slot.b === undefined) throw new BadValueError('a predicted boolean before any value');
      return slot.b;
    }
    if (tag !== TAG.TRUE && tag !== TAG.FALSE) throw new BadValueError(`tag ${tag} where a boolean was expected`);
    slot.b = tag === TAG.TRUE;
    return slot.b;
  }
}
