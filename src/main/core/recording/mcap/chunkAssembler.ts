import { McapChunkBuilder, McapRecordBuilder } from '@mcap/core';
import { compressZstd, crc32 } from './compression';
import { msToNs } from './time';

/** A message the reader will want without reading every chunk (timeline and inventory), kept beside its chunk. */
export interface SparseRecord {
  logMs: number;
  kind: 'timeline' | 'inventory-status' | 'inventory-targets';
  /** The message's JSON text, as written in the chunk. */
  json: string;
}

/**
 * One finished chunk: its complete MCAP Chunk record (compressed), ready to append to a
 * file or keep in the flight ring, plus what the file's summary needs about it.
 * Immutable once built; the record bytes are owned by the blob.
 */
export interface ChunkBlob {
  record: Uint8Array;
  startMs: number;
  endMs: number;
  startNs: bigint;
  endNs: bigint;
  /** A key chunk: every channel's coding state starts over in it, so reading can start here. */
  key: boolean;
  compression: string;
  compressedSize: number;
  uncompressedSize: number;
  /** Messages per channel id. */
  counts: Map<number, number>;
  sparse: SparseRecord[];
}

/**
 * Collects the messages of the chunk being written (no per-channel message indexes: see
 * FORMAT.md) and compresses them into a {@link ChunkBlob} when asked.
 */
export class ChunkAssembler {
  private readonly builder = new McapChunkBuilder({ useMessageIndex: false });
  private readonly record = new McapRecordBuilder();
  private counts = new Map<number, number>();
  private sparse: SparseRecord[] = [];
  private startMs = Infinity;
  private endMs = -Infinity;
  key = false;

  constructor(private readonly level: number) {}

  get messageCount(): number {
    return this.builder.numMessages;
  }

  /** Uncompressed bytes so far. */
  get byteLength(): number {
    return this.builder.byteLength;
  }

  add(channelId: number, sequence: number, logMs: number, data: Uint8Array): void {
    const ns = msToNs(logMs);
    this.builder.addMessage({ channelId, sequence, logTime: ns, publishTime: ns, data });
    this.counts.set(channelId, (this.counts.get(channelId) ?? 0) + 1);
    if (logMs < this.startMs) this.startMs = logMs;
    if (logMs > this.endMs) this.endMs = logMs;
  }

  addSparse(r: SparseRecord): void {
    this.sparse.push(r);
  }

  /** Compresses what was added into a blob and starts a new, empty chunk; null when empty. */
  finish(): ChunkBlob | null {
    if (this.builder.numMessages === 0) return null;
    const raw = this.builder.buffer;
    const compressed = compressZstd(raw, this.level);
    // Not worth it (tiny chunks): keep them uncompressed.
    const useRaw = compressed.length >= raw.length;
    const records = useRaw ? raw : compressed;
    this.record.reset();
    this.record.writeChunk({
      messageStartTime: this.builder.messageStartTime,
      messageEndTime: this.builder.messageEndTime,
      uncompressedSize: BigInt(raw.length),
      uncompressedCrc: crc32(raw),
      compression: useRaw ? '' : 'zstd',
      records,
    });
    const blob: ChunkBlob = {
      record: this.record.buffer.slice(),
      startMs: this.startMs,
      endMs: this.endMs,
      startNs: this.builder.messageStartTime,
      endNs: this.builder.messageEndTime,
      key: this.key,
      compression: useRaw ? '' : 'zstd',
      compressedSize: records.length,
      uncompressedSize: raw.length,
      counts: this.counts,
      sparse: this.sparse,
    };
    this.builder.reset();
    this.counts = new Map();
    this.sparse = [];
    this.startMs = Infinity;
    this.endMs = -Infinity;
    this.key = false;
    return blob;
  }
}
