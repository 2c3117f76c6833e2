import { ByteReader, ByteWriter, NibbleReader, NibbleWriter } from './bytes';
import { ValueDecoder, ValueEncoder } from './valueCodec';

/**
 * Framing of the recording's binary messages (scrapes, events, checkpoints):
 *
 *   u8 kind │ varint n, n bytes: structure │ varint m, m bytes: value tags │ rest: value payload
 *
 * The structure stream holds what the decoder needs to know which values follow
 * (dictionaries, shapes, ids); the tag and payload streams hold the values (see
 * valueCodec). Keeping the three apart keeps alike bytes together for zstd.
 *
 * Kinds: KEY resets the channel's coding state first, so it decodes on its own; DELTA is
 * coded against the state the channel's previous message left (its MCAP sequence number
 * must follow the previous one's); SELF decodes on its own and leaves the state alone
 * (a failed scrape); JSON is a UTF-8 JSON fallback that also leaves the state alone.
 */
export const KIND = { KEY: 1, DELTA: 2, SELF: 3, JSON: 4 } as const;
export type MessageKind = (typeof KIND)[keyof typeof KIND];

/** Reusable builder of one message at a time. Owns its buffers; `finish()` returns a view valid until the next `begin()`. */
export class MessageWriter {
  readonly struct = new ByteWriter(256);
  private readonly tags = new NibbleWriter();
  private readonly payload = new ByteWriter(1024);
  private readonly out = new ByteWriter(2048);
  readonly values = new ValueEncoder(this.tags, this.payload);
  private kind: MessageKind = KIND.KEY;

  begin(kind: MessageKind): void {
    this.kind = kind;
    this.struct.reset();
    this.tags.reset();
    this.payload.reset();
  }

  finish(): Uint8Array {
    const out = this.out;
    out.reset();
    out.u8(this.kind);
    out.varint(this.struct.length);
    out.bytes(this.struct.view());
    const tags = this.tags.view();
    out.varint(tags.length);
    out.bytes(tags);
    out.bytes(this.payload.view());
    return out.view();
  }
}

/** A message taken apart into its three streams. */
export interface MessageReader {
  kind: number;
  struct: ByteReader;
  values: ValueDecoder;
}

export function readMessage(data: Uint8Array): MessageReader {
  return new MessageParser().parse(data);
}

/**
 * Takes messages apart into reusable readers (a decoder owns one and parses every message
 * of its channel with it): the returned reader is valid until the next `parse`.
 */
export class MessageParser {
  private readonly head = new ByteReader(new Uint8Array(0));
  private readonly tags = new NibbleReader(new Uint8Array(0), 0, 0);
  private readonly payload = new ByteReader(new Uint8Array(0));
  private readonly out: MessageReader = { kind: 0, struct: new ByteReader(new Uint8Array(0)), values: new ValueDecoder(this.tags, this.payload) };

  parse(data: Uint8Array): MessageReader {
    const head = this.head;
    head.reset(data);
    const kind = head.u8();
    const structLen = head.varint();
    const structStart = head.pos;
    head.bytes(structLen);
    const tagLen = head.varint();
    const tagStart = head.pos;
    head.bytes(tagLen);
    this.out.kind = kind;
    this.out.struct.reset(data, structStart, structStart + structLen);
    this.tags.reset(data, tagStart, tagStart + tagLen);
    this.payload.reset(data, head.pos);
    return this.out;
  }
}
