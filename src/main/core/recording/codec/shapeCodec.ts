import type { ByteReader, ByteWriter } from './bytes';
import { BadValueError, freshSlots } from './valueCodec';
import type { ValueDecoder, ValueEncoder, ValueSlot } from './valueCodec';

/**
 * JSON-like values (event payloads, node-model checkpoints) coded as a shape plus leaves.
 * The shape is the value with every leaf replaced by its type — `{"ts":n,"node":s,...}` —
 * and goes into the channel's shape dictionary once (later messages name it by number);
 * the leaves go through the value codec, each against the same leaf of the previous
 * value of that shape under the same state key (a node's vitals against its previous
 * vitals), so a field that did not change costs half a byte.
 *
 * Leaf types: `n` number, `s` string, `b` boolean, `z` null. Objects keep their key order;
 * like JSON.stringify, object members that are undefined or functions are left out and
 * such array items become null.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

type Leaf = number | string | boolean | null;

/** Most shapes a channel's dictionary holds before the channel starts over with a key message. */
export const MAX_SHAPES = 1024;
/** A value whose shape is longer than this is written as plain JSON instead. */
export const MAX_SHAPE_CHARS = 64 * 1024;

const quoted = new Map<string, string>();
function quote(key: string): string {
  let q = quoted.get(key);
  if (q === undefined) {
    q = JSON.stringify(key);
    if (quoted.size < 10_000) quoted.set(key, q);
  }
  return q;
}

/** Walks a value once: its shape descriptor and its leaves in order. */
export function describe(value: unknown, leaves: Leaf[]): string {
  switch (typeof value) {
    case 'number':
      leaves.push(value);
      return 'n';
    case 'string':
      leaves.push(value);
      return 's';
    case 'boolean':
      leaves.push(value);
      return 'b';
    case 'object': {
      if (value === null) {
        leaves.push(null);
        return 'z';
      }
      if (Array.isArray(value)) {
        let d = '[';
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          d += (i ? ',' : '') + (item === undefined || typeof item === 'function' || typeof item === 'symbol' ? describe(null, leaves) : describe(item, leaves));
        }
        return `${d}]`;
      }
      let d = '{';
      let first = true;
      for (const key of Object.keys(value)) {
        const item: unknown = (value as Record<string, unknown>)[key];
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
        d += `${first ? '' : ','}${quote(key)}:${describe(item, leaves)}`;
        first = false;
      }
      return `${d}}`;
    }
    default:
      // bigint and other non-JSON values: what JSON cannot carry is recorded as null.
      leaves.push(null);
      return 'z';
  }
}

/** A parsed shape: how to rebuild a value from its leaves. */
export type Template = { t: 'n' | 's' | 'b' | 'z' } | { t: 'o'; keys: string[]; items: Template[] } | { t: 'a'; items: Template[] };

/** Parses a shape descriptor; throws {@link BadValueError} on a malformed one. */
export function parseShape(desc: string): { template: Template; leaves: number } {
  let i = 0;
  let leaves = 0;
  const fail = (): never => {
    throw new BadValueError(`malformed shape at character ${i}`);
  };
  const node = (): Template => {
    const c = desc[i++];
    if (c === 'n' || c === 's' || c === 'b' || c === 'z') {
      leaves++;
      return { t: c };
    }
    if (c === '[') {
      const items: Template[] = [];
      if (desc[i] === ']') {
        i++;
        return { t: 'a', items };
      }
      for (;;) {
        items.push(node());
        const s = desc[i++];
        if (s === ']') return { t: 'a', items };
        if (s !== ',') fail();
      }
    }
    if (c === '{') {
      const keys: string[] = [];
      const items: Template[] = [];
      if (desc[i] === '}') {
        i++;
        return { t: 'o', keys, items };
      }
      for (;;) {
        if (desc[i] !== '"') fail();
        let j = i + 1;
        while (j < desc.length && desc[j] !== '"') j += desc[j] === '\\' ? 2 : 1;
        keys.push(JSON.parse(desc.slice(i, j + 1)) as string);
        i = j + 1;
        if (desc[i++] !== ':') fail();
        items.push(node());
        const s = desc[i++];
        if (s === '}') return { t: 'o', keys, items };
        if (s !== ',') fail();
      }
    }
    return fail();
  };
  const template = node();
  if (i !== desc.length) fail();
  return { template, leaves };
}

/** Shapes and per-state-key slots of one channel, encoder side. */
export class ShapeEncoder {
  private readonly dict = new Map<string, number>();
  private readonly slots = new Map<string, ValueSlot[][]>();
  private readonly leaves: Leaf[] = [];

  /** True when the dictionary is full: the channel's next message must be a key. */
  get full(): boolean {
    return this.dict.size >= MAX_SHAPES;
  }

  reset(): void {
    this.dict.clear();
    this.slots.clear();
  }

  /**
   * Writes `value` (shape reference into `struct`, leaves into `values`).
   * Returns false, having written nothing, when its shape is too long for the dictionary.
   */
  encode(value: unknown, stateKey: string, struct: ByteWriter, values: ValueEncoder): boolean {
    const leaves = this.leaves;
    leaves.length = 0;
    const desc = describe(value, leaves);
    let id = this.dict.get(desc);
    if (id === undefined) {
      if (desc.length > MAX_SHAPE_CHARS) return false;
      id = this.dict.size;
      this.dict.set(desc, id);
      struct.varint(id * 2 + 1);
      struct.string(desc);
    } else struct.varint(id * 2);
    const slots = slotsFor(this.slots, stateKey, id, leaves.length);
    for (let i = 0; i < leaves.length; i++) {
      const leaf = leaves[i];
      if (typeof leaf === 'number') values.number(slots[i], leaf);
      else if (typeof leaf === 'string') values.string(slots[i], leaf);
      else if (typeof leaf === 'boolean') values.bool(slots[i], leaf);
    }
    return true;
  }
}

/** Parsed shapes by descriptor: every node's events share a few shapes, repeated at every key message. */
const PARSED = new Map<string, { template: Template; leaves: number }>();
const MAX_PARSED = 4096;

function parsedShape(desc: string): { template: Template; leaves: number } {
  let p = PARSED.get(desc);
  if (!p) {
    p = parseShape(desc);
    if (PARSED.size >= MAX_PARSED) PARSED.delete(PARSED.keys().next().value as string);
    PARSED.set(desc, p);
  }
  return p;
}

/** Shapes and per-state-key slots of one channel, decoder side (mirrors {@link ShapeEncoder}). */
export class ShapeDecoder {
  private readonly dict: { template: Template; leaves: number }[] = [];
  private readonly slots = new Map<string, ValueSlot[][]>();
  /** Slot arrays of the previous key period, cleared and reused by the next. */
  private readonly stale = new Map<string, ValueSlot[][]>();

  reset(): void {
    this.dict.length = 0;
    for (const [k, v] of this.slots) this.stale.set(k, v);
    this.slots.clear();
  }

  /** Decodes one value; with `materialize` false only the coding state advances and null is returned. */
  decode(stateKey: string, struct: ByteReader, values: ValueDecoder, materialize = true): Json {
    const ref = struct.varint();
    const id = Math.floor(ref / 2);
    if (ref % 2 === 1) {
      if (id !== this.dict.length) throw new BadValueError(`shape ${id} defined out of order (dictionary has ${this.dict.length})`);
      this.dict.push(parsedShape(struct.string()));
    }
    const shape = this.dict[id];
    if (!shape) throw new BadValueError(`unknown shape ${id}`);
    const slots = slotsFor(this.slots, stateKey, id, shape.leaves, this.stale);
    if (!materialize) {
      skipLeaves(shape.template, slots, values, 0);
      return null;
    }
    let next = 0;
    const build = (t: Template): Json => {
      switch (t.t) {
        case 'n':
          return values.number(slots[next++]);
        case 's':
          return values.string(slots[next++]);
        case 'b':
          return values.bool(slots[next++]);
        case 'z':
          next++;
          return null;
        case 'a':
          return t.items.map(build);
        case 'o': {
          const o: { [key: string]: Json } = {};
          for (let i = 0; i < t.keys.length; i++) {
            const key = t.keys[i];
            const v = build(t.items[i]);
            // As JSON.parse does: "__proto__" is an own member, not the prototype.
            if (key === '__proto__') Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
            else o[key] = v;
          }
          return o;
        }
      }
    };
    return build(shape.template);
  }
}

/** Reads a value's leaves into the slots without building it; returns the next leaf index. */
function skipLeaves(t: Template, slots: ValueSlot[], values: ValueDecoder, next: number): number {
  switch (t.t) {
    case 'n':
      values.number(slots[next]);
      return next + 1;
    case 's':
      values.string(slots[next]);
      return next + 1;
    case 'b':
      values.bool(slots[next]);
      return next + 1;
    case 'z':
      return next + 1;
    default:
      for (const item of t.items) next = skipLeaves(item, slots, values, next);
      return next;
  }
}

function slotsFor(all: Map<string, ValueSlot[][]>, stateKey: string, id: number, n: number, stale?: Map<string, ValueSlot[][]>): ValueSlot[] {
  let byShape = all.get(stateKey);
  if (!byShape) all.set(stateKey, (byShape = []));
  let slots = byShape[id];
  if (!slots) {
    slots = freshSlots(stale?.get(stateKey)?.[id], n);
    byShape[id] = slots;
  }
  return slots;
}
