import type { BitCursor, BitRing } from './bitRing';
import { newCursor } from './bitRing';

/**
 * Sample codec after Facebook's Gorilla (Pelkonen et al., VLDB 2015; Prometheus'
 * TSDB uses it too), with two changes measured on fleet-contract data: timestamps
 * code their deviation from a nominal step (scrape jitter is cheap), and integer
 * values (counters, bucket counts, connection gauges) code the delta-of-delta of the
 * integer (as M3's TSZ does). A chunk starts with one raw sample (64-bit timestamp,
 * 64-bit value); every later sample costs:
 *
 * timestamp: e = this delta − D, integer ms; D is the chunk's nominal step (its first
 * delta, reset when a delta differs from it by more than 8 ms).
 *   `0` e = 0: 1 bit │ `10`+2 bits e in {-2,-1,1,2}: 4 │ `110`+4 bits e in [-8,7]: 7
 *   `1110`+16 bits e in [-32768,32767], D := this delta: 20
 *   `1111`+64-bit float: anything else (gaps, fractional ms), D := this delta if D was 0
 * value, XOR mode (chunks whose first value is not an integer): x = bits XOR previous bits
 *   `0` unchanged: 1 │ `10`+meaningful bits: x fits the previous leading/trailing-zero
 *   window │ `11`+5 bits leading zeros+6 bits length (64 as 0)+meaningful bits
 * value, integer mode (chunks whose first value is an integer): d = (v − prev) − (prev − prevprev)
 *   `0` d = 0: 1 │ `10`+4 bits [-8,7]: 6 │ `110`+8 bits [-128,127]: 11
 *   `1110`+13 bits [-4096,4095]: 17 │ `11110`+24 bits [-2^23,2^23): 29
 *   `11111`+an XOR-mode value: when shorter, or v is not an integer
 *
 * Worst case a sample is 68 + 82 = 150 bits. Values round-trip bit-exactly (NaN and
 * -0 included; a value is only integer-coded when the decoder's arithmetic gives it
 * back exactly); timestamps exactly.
 */

/** Shared scratch for float <-> bits; single-threaded use only, never held across calls. */
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = LITTLE_ENDIAN ? 0 : 1;
/** Bits of each integer-mode code and the half-range of its payload, by prefix length. */
const INT_PAYLOAD = [0, 4, 8, 13, 24];
const INT_HALF = [0, 8, 128, 4096, 1 << 23];

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** Shared by encoder and decoder: identical state transitions on both sides. */
class CodecState {
  t = NaN;
  v = NaN;
  /** Nominal step D between timestamps, ms (0 until the chunk's second sample). */
  protected step = 0;
  /** Integer mode: the last integer delta (0 after an XOR-coded value from a non-integer). */
  protected vStep = 0;
  protected intMode = false;
  protected hi = 0;
  protected lo = 0;
  /** Leading/trailing zeros of the current XOR window; lead < 0 means no window yet. */
  protected lead = -1;
  protected trail = 0;

  protected startState(t: number, v: number): void {
    this.t = t;
    this.v = v;
    this.step = 0;
    this.vStep = 0;
    this.intMode = Number.isInteger(v);
    this.lead = -1;
    this.trail = 0;
    F64[0] = v;
    this.hi = U32[HI];
    this.lo = U32[LO];
  }

  /** After a value came through the XOR path in integer mode. */
  protected afterXorInIntMode(v: number): void {
    this.vStep = Number.isSafeInteger(v) && Number.isSafeInteger(this.v) ? v - this.v : 0;
  }
}

/** Encoder state for the newest chunk of one series. */
export class XorEncoder extends CodecState {
  /** Writes the first sample of a chunk, raw. Resets the state so the chunk decodes on its own. */
  writeFirst(ring: BitRing, t: number, v: number): void {
    F64[0] = t;
    ring.writeBits(U32[HI], 32);
    ring.writeBits(U32[LO], 32);
    this.startState(t, v);
    ring.writeBits(this.hi, 32);
    ring.writeBits(this.lo, 32);
  }

  /** Writes a later sample of the chunk. `t` must be greater than the previous timestamp. */
  writeNext(ring: BitRing, t: number, v: number): void {
    const e = t - this.t - this.step;
    if (Number.isInteger(e) && e >= -32768 && e <= 32767 && this.t + (this.step + e) === t) {
      if (e === 0) ring.writeBit1(0);
      else if (e >= -2 && e <= 2) ring.writeBits((0b10 << 2) | (e < 0 ? e + 2 : e + 1), 4);
      else if (e >= -8 && e <= 7) ring.writeBits((0b110 << 4) | (e + 8), 7);
      else {
        ring.writeBits(0b1110, 4);
        ring.writeBits(e + 32768, 16);
        this.step += e;
      }
    } else {
      ring.writeBits(0b1111, 4);
      F64[0] = t;
      ring.writeBits(U32[HI], 32);
      ring.writeBits(U32[LO], 32);
      if (this.step === 0) this.step = t - this.t;
    }
    this.t = t;

    F64[0] = v;
    const hi = U32[HI];
    const lo = U32[LO];
    const xh = (hi ^ this.hi) >>> 0;
    const xl = (lo ^ this.lo) >>> 0;
    if (this.intMode) {
      const d = v - this.v - this.vStep;
      let k = -1;
      if (Number.isSafeInteger(v) && Number.isInteger(d) && Object.is(this.v + (this.vStep + d), v)) {
        k = 0;
        if (d !== 0) for (k = 1; k < 5 && !(d >= -INT_HALF[k] && d < INT_HALF[k]); k++);
      }
      if (k >= 0 && k < 5 && k + 1 + INT_PAYLOAD[k] <= 5 + this.xorCost(xh, xl)) {
        ring.writeBits(k === 0 ? 0 : ((1 << (k + 1)) - 2), k + 1);
        if (k > 0) ring.writeBits(d + INT_HALF[k], INT_PAYLOAD[k]);
        this.vStep += d;
      } else {
        ring.writeBits(0b11111, 5);
        this.writeXor(ring, xh, xl);
        this.afterXorInIntMode(v);
      }
    } else {
      this.writeXor(ring, xh, xl);
    }
    this.v = v;
    this.hi = hi;
    this.lo = lo;
  }

  /** Bits the XOR path would take for (xh, xl) in the current window. */
  private xorCost(xh: number, xl: number): number {
    if (xh === 0 && xl === 0) return 1;
    const lead = Math.min(31, xh !== 0 ? Math.clz32(xh) : 32 + Math.clz32(xl));
    const trail = xl !== 0 ? ctz32(xl) : 32 + ctz32(xh);
    if (this.lead >= 0 && lead >= this.lead && trail >= this.trail) return 2 + 64 - this.lead - this.trail;
    return 13 + 64 - lead - trail;
  }

  private writeXor(ring: BitRing, xh: number, xl: number): void {
    if (xh === 0 && xl === 0) {
      ring.writeBit1(0);
      return;
    }
    const lead = Math.min(31, xh !== 0 ? Math.clz32(xh) : 32 + Math.clz32(xl));
    const trail = xl !== 0 ? ctz32(xl) : 32 + ctz32(xh);
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
  let sh = xh;
  let sl = xl;
  if (shift >= 32) {
    sl = xh >>> (shift - 32);
    sh = 0;
  } else if (shift > 0) {
    sl = ((xl >>> shift) | (xh << (32 - shift))) >>> 0;
    sh = xh >>> shift;
  }
  if (m > 32) {
    ring.writeBits(sh, m - 32);
    ring.writeBits(sl, 32);
  } else {
    ring.writeBits(sl, m);
  }
}

/** Decoder for one chunk; `t` and `v` hold the sample just read. One per scan, owned by it. */
export class XorDecoder extends CodecState {
  private readonly cursor: BitCursor = newCursor();

  constructor(private readonly ring: BitRing) {
    super();
  }

  /** Positions at a chunk starting at logical byte `logical` and reads its first (raw) sample. */
  startChunk(logical: number): void {
    const ring = this.ring;
    const c = ring.cursorAt(logical, this.cursor);
    U32[HI] = ring.readBits(c, 32);
    U32[LO] = ring.readBits(c, 32);
    const t = F64[0];
    U32[HI] = ring.readBits(c, 32);
    U32[LO] = ring.readBits(c, 32);
    this.startState(t, F64[0]);
  }

  /** Reads the next sample of the chunk (the caller knows how many there are). */
  next(): void {
    const ring = this.ring;
    const c = this.cursor;
    let ones = 0;
    while (ones < 4 && ring.readBit(c) === 1) ones++;
    if (ones === 0) {
      this.t += this.step;
    } else if (ones === 1) {
      const i = ring.readBits(c, 2);
      this.t += this.step + (i < 2 ? i - 2 : i - 1);
    } else if (ones === 2) {
      this.t += this.step + (ring.readBits(c, 4) - 8);
    } else if (ones === 3) {
      this.step += ring.readBits(c, 16) - 32768;
      this.t += this.step;
    } else {
      U32[HI] = ring.readBits(c, 32);
      U32[LO] = ring.readBits(c, 32);
      const t = F64[0];
      if (this.step === 0) this.step = t - this.t;
      this.t = t;
    }

    if (!this.intMode) {
      this.readXor();
      return;
    }
    let k = 0;
    while (k < 5 && ring.readBit(c) === 1) k++;
    if (k === 5) {
      const prev = this.v;
      this.readXor();
      const v = this.v;
      this.v = prev;
      this.afterXorInIntMode(v);
      this.v = v;
      return;
    }
    const d = k === 0 ? 0 : ring.readBits(c, INT_PAYLOAD[k]) - INT_HALF[k];
    const v = this.v + (this.vStep + d);
    this.vStep += d;
    this.v = v;
    F64[0] = v;
    this.hi = U32[HI];
    this.lo = U32[LO];
  }

  private readXor(): void {
    const ring = this.ring;
    const c = this.cursor;
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
    let xh = h;
    let xl = l;
    if (s >= 32) {
      xh = (l << (s - 32)) >>> 0;
      xl = 0;
    } else if (s > 0) {
      xh = ((h << s) | (l >>> (32 - s))) >>> 0;
      xl = (l << s) >>> 0;
    }
    this.hi = (this.hi ^ xh) >>> 0;
    this.lo = (this.lo ^ xl) >>> 0;
    U32[HI] = this.hi;
    U32[LO] = this.lo;
    this.v = F64[0];
  }
}
