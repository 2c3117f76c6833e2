import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, NibbleReader, NibbleWriter } from '../../../../src/main/core/recording/codec/bytes';
import { MessageWriter, readMessage } from '../../../../src/main/core/recording/codec/codedMessage';
import { RecordDecoder, RecordEncoder } from '../../../../src/main/core/recording/codec/recordCodec';
import { ScrapeDecoder, ScrapeEncoder } from '../../../../src/main/core/recording/codec/scrapeCodec';
import { MAX_SHAPE_CHARS, parseShape } from '../../../../src/main/core/recording/codec/shapeCodec';
import { ValueDecoder, ValueEncoder, ValueSlot, decimalScale } from '../../../../src/main/core/recording/codec/valueCodec';
import type { ScrapeOutcome } from '../../../../src/main/core/sources/scrape/fetchMetrics';

/** Encodes a series through one slot and decodes it back; returns the decoded values and the payload bytes used. */
function roundTrip(values: number[]): { back: number[]; payload: number; tags: number } {
  const tags = new NibbleWriter();
  const out = new ByteWriter();
  const enc = new ValueEncoder(tags, out);
  const slot = new ValueSlot();
  for (const v of values) enc.number(slot, v);
  const t = tags.view().slice();
  const p = out.view().slice();
  const dec = new ValueDecoder(new NibbleReader(t, 0, t.length), new ByteReader(p));
  const ds = new ValueSlot();
  return { back: values.map(() => dec.number(ds)), payload: p.length, tags: t.length };
}

describe('value codec', () => {
  it('round-trips every kind of number bit-exactly (integers, decimals, floats, NaN, ±Inf, -0, huge)', () => {
    const values = [0, 1, 2, 3, 1e6, -5, 12.345, 12.355, 0.1 + 0.2, Math.PI, NaN, Infinity, -Infinity, -0, 0, 2 ** 53 + 2, 1e300, 5e-324, -12.5, 7, 7, 7];
    const { back } = roundTrip(values);
    for (let i = 0; i < values.length; i++) expect(Object.is(back[i], values[i]), `value ${i}: ${values[i]} came back as ${back[i]}`).toBe(true);
  });

  it('codes a constant and a steady counter in half a byte each, with no payload after the first value', () => {
    const constant = roundTrip(Array.from({ length: 1000 }, () => 42));
    expect(constant.payload).toBeLessThanOrEqual(2);
    expect(constant.tags).toBe(500);
    const counter = roundTrip(Array.from({ length: 1000 }, (_, i) => 1_000_000 + 37 * i));
    expect(counter.payload).toBeLessThanOrEqual(6);
    expect(counter.back.at(-1)).toBe(1_000_000 + 37 * 999);
  });

  it('codes decimals (CPU seconds with 3 digits) as integers: about one byte a sample', () => {
    const cpu = Array.from({ length: 1000 }, (_, i) => Number((i * 0.0153).toFixed(3)));
    const r = roundTrip(cpu);
    expect(r.back).toEqual(cpu);
    expect(r.payload).toBeLessThan(1100);
    expect(decimalScale(12.345)).toBe(3);
    expect(decimalScale(0.1 + 0.2)).toBe(-1);
    expect(decimalScale(-0)).toBe(-1);
  });

  it('round-trips strings and booleans with "unchanged" costing no payload', () => {
    const tags = new NibbleWriter();
    const out = new ByteWriter();
    const enc = new ValueEncoder(tags, out);
    const s = new ValueSlot();
    const b = new ValueSlot();
    const input = ['a', 'a', 'é€😀', '', ''];
    for (const x of input) enc.string(s, x);
    for (const x of [true, true, false]) enc.bool(b, x);
    const t = tags.view().slice();
    const dec = new ValueDecoder(new NibbleReader(t, 0, t.length), new ByteReader(out.view().slice()));
    const ds = new ValueSlot();
    const db = new ValueSlot();
    expect(input.map(() => dec.string(ds))).toEqual(input);
    expect([0, 1, 2].map(() => dec.bool(db))).toEqual([true, true, false]);
  });

  it('throws a clear error instead of inventing values from a truncated message', () => {
    const tags = new NibbleWriter();
    const out = new ByteWriter();
    new ValueEncoder(tags, out).number(new ValueSlot(), 123456789);
    const t = tags.view().slice();
    const dec = new ValueDecoder(new NibbleReader(t, 0, t.length), new ByteReader(out.view().slice(0, 2)));
    expect(() => dec.number(new ValueSlot())).toThrow(/message ends inside/);
  });
});

describe('shape codec (events, checkpoints)', () => {
  it('round-trips JSON values with key order, nesting, nulls and "__proto__" as a plain member', () => {
    const w = new MessageWriter();
    const enc = new RecordEncoder();
    const dec = new RecordDecoder();
    const values: unknown[] = [
      { ts: 1, node: 'gw-1', rates: { a: 1.5, b: 2 }, list: [1, 'x', null, true, { z: [] }], e: {} },
      { ts: 2, node: 'gw-1', rates: { a: 1.75, b: 2 }, list: [1, 'y', null, false, { z: [1] }], e: {} },
      JSON.parse('{"__proto__":{"polluted":1},"b":2}'),
    ];
    for (const v of values) {
      const back = dec.decode(enc.encode(w, [['k', v]]).slice());
      expect(back).toEqual([['k', v]]);
      expect(JSON.stringify(back[0][1])).toBe(JSON.stringify(v));
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('codes an unchanged event in a few bytes once its shape is known', () => {
    const w = new MessageWriter();
    const enc = new RecordEncoder();
    const v = { type: 'vitals', data: { ts: 1000, connections: { ws: 700, sse: 200, longpoll: 100 }, state: 'serving', busConnected: true }, bootId: 'abc' };
    const first = enc.encode(w, [['', v]]).length;
    const second = enc.encode(w, [['', { ...v, data: { ...v.data, ts: 2000 } }]]).length;
    const third = enc.encode(w, [['', { ...v, data: { ...v.data, ts: 3000 } }]]).length;
    expect(first).toBeGreaterThan(60);
    expect(second).toBeLessThan(14);
    expect(third).toBeLessThanOrEqual(10);
  });

  it('falls back to JSON for a value with an oversized shape, and the channel starts over with a key', () => {
    const w = new MessageWriter();
    const enc = new RecordEncoder();
    const dec = new RecordDecoder();
    const huge: Record<string, number> = {};
    for (let i = 0; i < MAX_SHAPE_CHARS / 8; i++) huge[`key_${i}`] = i;
    const a = enc.encode(w, [['', { a: 1 }]]).slice();
    const b = enc.encode(w, [['', huge]]).slice();
    const c = enc.encode(w, [['', { a: 2 }]]).slice();
    expect(readMessage(b).kind).toBe(4);
    expect(readMessage(c).kind).toBe(1);
    expect(dec.decode(a)[0][1]).toEqual({ a: 1 });
    expect(dec.decode(b)[0][1]).toEqual(huge);
    expect(dec.decode(c)[0][1]).toEqual({ a: 2 });
  });

  it('rejects a malformed shape with the position', () => {
    expect(() => parseShape('{"a":n,}')).toThrow(/malformed shape at character/);
    expect(() => parseShape('[n')).toThrow(/malformed shape/);
  });

  it('refuses a delta whose key message it never saw', () => {
    const w = new MessageWriter();
    const enc = new RecordEncoder();
    enc.encode(w, [['', { a: 1 }]]);
    const delta = enc.encode(w, [['', { a: 2 }]]).slice();
    expect(() => new RecordDecoder().decode(delta)).toThrow(/without its key message/);
  });
});

describe('scrape codec', () => {
  const outcome = (at: number, v: number, extra = false): ScrapeOutcome => ({
    ok: true, at, durationMs: 3, bytes: 1234, samples: extra ? 3 : 2,
    exposition: {
      format: 'openmetrics-1.0',
      families: [
        { name: 'requests', type: 'counter', help: 'Requests.', samples: [{ name: 'requests_total', labels: { code: '200', path: '/a"b' }, value: v }, ...(extra ? [{ name: 'requests_total', labels: { code: '500', path: '/' }, value: 1 }] : [])] },
        { name: 'temp', type: 'gauge', unit: 'celsius', samples: [{ name: 'temp_celsius', labels: {}, value: 21.5, timestampMs: at - 10 }] },
      ],
    },
  });

  it('round-trips ok and failed scrapes; a changed series set is a key message, an unchanged one a delta', () => {
    const w = new MessageWriter();
    const enc = new ScrapeEncoder();
    const dec = new ScrapeDecoder();
    const inputs: ScrapeOutcome[] = [outcome(1000, 5), outcome(2000, 9), { ok: false, error: 'timed out after 1000 ms', at: 3000, durationMs: 1000 }, outcome(4000, 12), outcome(5000, 14, true)];
    const kinds: number[] = [];
    for (const o of inputs) {
      const msg = enc.encode(w, o.at + 7, o).slice();
      kinds.push(readMessage(msg).kind);
      expect(dec.decode(o.at + 7, msg)).toEqual(o);
    }
    expect(kinds).toEqual([1, 2, 3, 2, 1]);
  });

  it('a delta scrape of unchanged values costs a few bytes', () => {
    const w = new MessageWriter();
    const enc = new ScrapeEncoder();
    const key = enc.encode(w, 1007, outcome(1000, 5)).length;
    const delta = enc.encode(w, 2007, outcome(2000, 5)).length;
    expect(key).toBeGreaterThan(60);
    expect(delta).toBeLessThanOrEqual(10);
  });
});
