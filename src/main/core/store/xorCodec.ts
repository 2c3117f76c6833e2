import type { BitCursor, BitRing } from './bitRing';

/**
 * Sample codec after Facebook's Gorilla (Pelkonen et al., VLDB 2015), the scheme
 * Prometheus' TSDB also uses: timestamps as delta-of-delta, values as the XOR with
 * the previous value. A chunk starts with one raw sample (64-bit timestamp, 64-bit
 * value); every later sample costs:
 *
 * timestamp (dod = this delta − previous delta, in integer ms):
 *   `0`                        dod = 0           1 bit (a perfectly regular scrape)
 *   `10`   + 4 bits            dod in [-7, 8]    6 bits (a few ms of jitter)
 *   `110`  + 7 bits            dod in [-63, 64]  10 bits
 *   `1110` + 12 bits           dod in [-2047, 2048] 16 bits
 *   `1111` + 64-bit float      anything else (gaps, fractional ms): the raw timestamp
 * value (x = bits XOR previous bits):
 *   `0`                        unchanged         1 bit
 *   `10`  + meaningful bits    x fits the previous leading/trailing-zero window
 *   `11`  + 5 bits leading zeros + 6 bits length (64 as 0) + meaningful bits
 *
 * Worst case a sample is 68 + 77 = 145 bits ({@link MAX_SAMPLE_BYTES} with slack).
 * Values round-trip bit-exactly (NaN included); timestamps exactly.
 */

/** Bytes one sample may take at most, plus the byte alignment of a chunk start and the zeroed next byte. */
export const MAX_SAMPLE_BYTES = 24;

/** Shared scratch for float <-> bits; single-threaded use only, never held across calls. */
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = LITTLE_ENDIAN ? 0 : 1;

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** Encoder state for the newest chunk of one series. */
export class XorEncoder {
  /** Timestamp (ms) and value of the last sample written; NaN before the first. */
  t = NaN;
  v = NaN;
  private delta = 0;
  private hi = 0;
  private lo = 0;
  /** Leading/trailing zeros of the current XOR window; lead < 0 means no window yet. */
  private lead = -1;
  private trail = 0;

  /** Writes the first sample of a chunk, raw. Resets the state so the chunk decodes on its own. */
  writeFirst(ring: BitRing, t: number, v: number): void {
    F64[0] = t;
    ring.writeBits(U32[HI], 32);
    ring.writeBits(U32[LO], 32);
    F64[0] = v;
    this.hi = U32[HI];
    this.lo = U32[LO];
    ring.writeBits(this.hi, 32);
    ring.writeBits(this.lo, 32);
    this.t = t;
    this.v = v;
    this.delta = 0;
    this.lead = -1;
  }

  /** Writes a later sample of the chunk. `t` must be greater than the previous timestamp. */
  writeNext(ring: BitRing, t: number, v: number): void {
    let delta = t - this.t;
    const dod = delta - this.delta;
    if (Number.isInteger(dod) && dod >= -2047 && dod <= 2048 && this.t + (this.delta + dod) === t) {
      if (dod === 0) ring.writeBit1(0);
      else if (dod >= -7 && dod <= 8) ring.writeBits((0b10 << 4) | (dod + 7), 6);
      else if (dod >= -63 && dod <= 64) ring.writeBits((0b110 << 7) | (dod + 63), 10);
      else ring.writeBits((0b1110 << 12) | (dod + 2047), 16);
      delta = this.delta + dod;
    } else {
      ring.writeBits(0b1111, 4);
      F64[0] = t;
      ring.writeBits(U32[HI], 32);
      ring.writeBits(U32[LO], 32);
    }
    this.delta = delta;
    this.t = t;

    F64[0] = v;
    const hi = U32[HI];
    const lo = U32[LO];
    const xh = (hi ^ this.hi) >>> 0;
    const xl = (lo ^ this.lo) >>> 0;
    this.hi = hi;
    this.lo = lo;
    this.v = v;
    if (xh === 0 && xl === 0) {
      ring.writeBit1(0);
      return;
    }
    let lead = xh !== 0 ? Math.clz32(xh) : 32 + Math.clz32(xl);
    const trail = xl !== 0 ? ctz32(xl) : 32 + ctz32(xh);
    if (lead > 31) lead = 31;
    if (this.lead >= 0 && lead >= this.lead && trail >= this.trail) {
      ring.writeBits(0b10, 2);
      writeShifted(ring, xh, xl, this.trail, 64 - this.lead - this.trail);
    } else {
      const m = 64 - lead - trail;
      ring.writeBits((0b11 << 11) | (lead << 6) | (m & 63), 13);
      writeShifted(ring, xh, xl, trail, m);
      this.lead = lead;
      this.trail = trail;
    }
  }
}

/** Writes bits [shift, shift + m) of the 64-bit (xh, xl), most significant first. */
function writeShifted(ring: BitRing, xh: number, xl: number, shift: number, m: number): void {
  let sh: number;
  let sl: number;
  if (shift === 0) {
    sh = xh;
    sl = xl;
  } else if (shift < 32) {
    sl = ((xl >>> shift) | (xh << (32 - shift))) >>> 0;
    sh = xh >>> shift;
  } else {
    sl = xh >>> (shift - 32);
    sh = 0;
  }
  if (m > 32) {
    ring.writeBits(sh, m - 32);
    ring.writeBits(sl, 32);
  } else {
    ring.writeBits(sl, m);
  }
}

/** Decoder for one chunk; `t` and `v` hold the sample just read. One per scan, owned by it. */
export class XorDecoder {
  t = NaN;
  v = NaN;
  private delta = 0;
  private hi = 0;
  private lo = 0;
  private lead = 0;
  private trail = 0;
  private readonly cursor: BitCursor = { phys: 0, bit: 0 };

  constructor(private readonly ring: BitRing) {}

  /** Positions at a chunk starting at logical byte `logical` and reads its first (raw) sample. */
  startChunk(logical: number): void {
    const ring = this.ring;
    const c = ring.cursorAt(logical, this.cursor);
    U32[HI] = ring.readBits(c, 32);
    U32[LO] = ring.readBits(c, 32);
    this.t = F64[0];
    this.hi = ring.readBits(c, 32);
    this.lo = ring.readBits(c, 32);
    U32[HI] = this.hi;
    U32[LO] = this.lo;
    this.v = F64[0];
    this.delta = 0;
  }

  /** Reads the next sample of the chunk (the caller knows how many there are). */
  next(): void {
    const ring = this.ring;
    const c = this.cursor;
    if (ring.readBit(c) === 0) {
      this.t += this.delta;
    } else if (ring.readBit(c) === 0) {
      this.delta += ring.readBits(c, 4) - 7;
      this.t += this.delta;
    } else if (ring.readBit(c) === 0) {
      this.delta += ring.readBits(c, 7) - 63;
      this.t += this.delta;
    } else if (ring.readBit(c) === 0) {
      this.delta += ring.readBits(c, 12) - 2047;
      this.t += this.delta;
    } else {
      U32[HI] = ring.readBits(c, 32);
      U32[LO] = ring.readBits(c, 32);
      const t = F64[0];
      this.delta = t - this.t;
      this.t = t;
    }

    if (ring.readBit(c) === 0) return;
    let m: number;
    if (ring.readBit(c) === 0) {
      m = 64 - this.lead - this.trail;
    } else {
      this.lead = ring.readBits(c, 5);
      m = ring.readBits(c, 6) || 64;
      this.trail = 64 - this.lead - m;
    }
    let h = 0;
    let l: number;
    if (m > 32) {
      h = ring.readBits(c, m - 32);
      l = ring.readBits(c, 32);
    } else {
      l = ring.readBits(c, m);
    }
    const s = this.trail;
    let xh: number;
    let xl: number;
    if (s === 0) {
      xh = h;
      xl = l;
    } else if (s < 32) {
      xh = ((h << s) | (l >>> (32 - s))) >>> 0;
      xl = (l << s) >>> 0;
    } else {
      xh = (l << (s - 32)) >>> 0;
      xl = 0;
    }
    this.hi = (this.hi ^ xh) >>> 0;
    this.lo = (this.lo ^ xl) >>> 0;
    U32[HI] = this.hi;
    U32[LO] = this.lo;
    this.v = F64[0];
  }
}
