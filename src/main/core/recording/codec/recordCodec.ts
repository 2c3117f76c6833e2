import { KIND, MessageParser } from './codedMessage';
import type { MessageWriter } from './codedMessage';
import { ShapeDecoder, ShapeEncoder } from './shapeCodec';
import type { Json } from './shapeCodec';
import { BadValueError } from './valueCodec';

/**
 * Messages made of keyed JSON-like records (`switchboard.records.v1`): node events (one
 * record) and checkpoints (one record per node). Structure stream: record count, then per
 * record its state key and shape reference; values: every record's leaves. Each record is
 * coded against the previous record with the same state key and shape (see shapeCodec).
 * A message that cannot be shape-coded (a shape longer than the limit) is written as JSON
 * and the channel's next message is a KEY.
 */
export type KeyedRecord = readonly [key: string, value: unknown];

export class RecordEncoder {
  private readonly shapes = new ShapeEncoder();
  private started = false;

  /** Forgets the state: the next message is a KEY. */
  reset(): void {
    this.started = false;
  }

  encode(w: MessageWriter, records: readonly KeyedRecord[]): Uint8Array {
    const key = !this.started || this.shapes.full;
    if (key) this.shapes.reset();
    w.begin(key ? KIND.KEY : KIND.DELTA);
    w.struct.varint(records.length);
    for (const [k, v] of records) {
      w.struct.string(k);
      if (!this.shapes.encode(v, k, w.struct, w.values)) {
        // The dictionaries on both sides must stay equal: start over after a JSON message.
        this.shapes.reset();
        this.started = false;
        w.begin(KIND.JSON);
        w.struct.string(JSON.stringify(records));
        return w.finish();
      }
    }
    this.started = true;
    return w.finish();
  }
}

export class RecordDecoder {
  private readonly parser = new MessageParser();
  private readonly shapes = new ShapeDecoder();
  private started = false;

  reset(): void {
    this.started = false;
  }

  get ready(): boolean {
    return this.started;
  }

  /** Decodes a message's records; with `materialize` false only the state advances (values come back null). */
  decode(data: Uint8Array, materialize = true): [string, Json][] {
    const m = this.parser.parse(data);
    if (m.kind === KIND.JSON) {
      const parsed: unknown = JSON.parse(m.struct.string());
      if (!Array.isArray(parsed)) throw new BadValueError('a JSON records message that is not an array');
      return parsed as [string, Json][];
    }
    if (m.kind === KIND.KEY) {
      this.shapes.reset();
      this.started = true;
    } else if (m.kind !== KIND.DELTA) throw new BadValueError(`records message of unknown kind ${m.kind}`);
    if (!this.started) throw new BadValueError('a records delta without its key message');
    const n = m.struct.varint();
    const out: [string, Json][] = [];
    try {
      for (let i = 0; i < n; i++) {
        const k = m.struct.string();
        out.push([k, this.shapes.decode(k, m.struct, m.values, materialize)]);
      }
    } catch (err) {
      // Half-applied state is no state: wait for the next key.
      this.started = false;
      throw err;
    }
    return out;
  }
}
