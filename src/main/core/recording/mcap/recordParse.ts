import { Opcode } from '@mcap/core';
import { nsHalvesToMs } from './time';

/**
 * The few MCAP record layouts the reader parses itself: chunk headers (to find and check
 * chunks when a file has no usable summary), channel and header records met while
 * scanning, and the message records inside a decompressed chunk (the hot path of replay:
 * no BigInt, no copies). Offsets and lengths are plain numbers (files < 2^53 bytes).
 */

const TWO_32 = 2 ** 32;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Thrown for a record that does not parse; the message says what and where (offset within the buffer). */
export class RecordFormatError extends Error {}

export function u64(v: DataView, at: number): number {
  return v.getUint32(at + 4, true) * TWO_32 + v.getUint32(at, true);
}

function str(v: DataView, at: number, end: number): [string, number] {
  if (at + 4 > end) throw new RecordFormatError('string length past the record end');
  const n = v.getUint32(at, true);
  if (at + 4 + n > end) throw new RecordFormatError('string past the record end');
  return [UTF8.decode(new Uint8Array(v.buffer, v.byteOffset + at + 4, n)), at + 4 + n];
}

export interface ChunkHeader {
  startMs: number;
  endMs: number;
  uncompressedSize: number;
  crc: number;
  compression: string;
  /** Offset of the compressed records from the start of the chunk record. */
  recordsAt: number;
  recordsLength: number;
}

/** Parses a Chunk record's fields from its first bytes (`buf` starts at the opcode). */
export function parseChunkHeader(buf: Uint8Array, recordLength: number): ChunkHeader {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf[0] !== Opcode.CHUNK) throw new RecordFormatError('not a chunk record');
  const end = Math.min(buf.length, 9 + recordLength);
  if (9 + 8 * 3 + 4 + 4 > end) throw new RecordFormatError('chunk record too short');
  const startMs = nsHalvesToMs(v.getUint32(13, true), v.getUint32(9, true));
  const endMs = nsHalvesToMs(v.getUint32(21, true), v.getUint32(17, true));
  const uncompressedSize = u64(v, 25);
  const crc = v.getUint32(33, true);
  const [compression, at] = str(v, 37, end);
  if (at + 8 > end) throw new RecordFormatError('chunk record too short');
  const recordsLength = u64(v, at);
  if (at + 8 + recordsLength !== 9 + recordLength) throw new RecordFormatError('chunk sizes do not add up');
  return { startMs, endMs, uncompressedSize, crc, compression, recordsAt: at + 8, recordsLength };
}

/** Bytes of a chunk record to read to parse its header (the compression name is short). */
export const CHUNK_HEADER_PROBE = 9 + 8 * 3 + 4 + 4 + 32 + 8;

export interface ParsedChannel {
  id: number;
  topic: string;
  encoding: string;
  metadata: Map<string, string>;
}

/** Parses a Channel record (`buf` starts at the opcode and holds the whole record). */
export function parseChannel(buf: Uint8Array): ParsedChannel {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const end = 9 + u64(v, 1);
  if (end > buf.length) throw new RecordFormatError('channel record past its end');
  const id = v.getUint16(9, true);
  const [topic, afterTopic] = str(v, 13, end);
  const [encoding, afterEncoding] = str(v, afterTopic, end);
  let at = afterEncoding;
  const metadata = new Map<string, string>();
  const mapEnd = at + 4 + v.getUint32(at, true);
  at += 4;
  while (at < mapEnd) {
    let k: string;
    let val: string;
    [k, at] = str(v, at, mapEnd);
    [val, at] = str(v, at, mapEnd);
    metadata.set(k, val);
  }
  return { id, topic, encoding, metadata };
}

/** Parses a Header record's profile. */
export function parseHeaderProfile(buf: Uint8Array): string {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return str(v, 9, Math.min(buf.length, 9 + u64(v, 1)))[0];
}

/** Parses a Metadata record: its name and entries. */
export function parseMetadata(buf: Uint8Array): { name: string; entries: Map<string, string> } {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const end = 9 + u64(v, 1);
  const [name, afterName] = str(v, 9, end);
  let at = afterName;
  const mapEnd = at + 4 + v.getUint32(at, true);
  at += 4;
  const entries = new Map<string, string>();
  while (at < mapEnd) {
    let k: string;
    let val: string;
    [k, at] = str(v, at, mapEnd);
    [val, at] = str(v, at, mapEnd);
    entries.set(k, val);
  }
  return { name, entries };
}

/** Calls `fn` for each Message record in decompressed chunk records; other records are skipped. */
export function forEachMessage(records: Uint8Array, fn: (channelId: number, sequence: number, logMs: number, data: Uint8Array) => void): void {
  const v = new DataView(records.buffer, records.byteOffset, records.byteLength);
  let at = 0;
  while (at < records.length) {
    if (at + 9 > records.length) throw new RecordFormatError(`record header cut at byte ${at} of the chunk`);
    const opcode = records[at];
    const len = u64(v, at + 1);
    const end = at + 9 + len;
    if (end > records.length) throw new RecordFormatError(`record at byte ${at} of the chunk runs past its end`);
    if (opcode === Opcode.MESSAGE) {
      if (len < 22) throw new RecordFormatError(`message record at byte ${at} too short`);
      const channelId = v.getUint16(at + 9, true);
      const sequence = v.getUint32(at + 11, true);
      const logMs = nsHalvesToMs(v.getUint32(at + 19, true), v.getUint32(at + 15, true));
      fn(channelId, sequence, logMs, records.subarray(at + 31, end));
    }
    at = end;
  }
}
