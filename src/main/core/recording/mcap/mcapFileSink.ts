import { closeSync, constants, fdatasync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { McapRecordBuilder, Opcode } from '@mcap/core';
import type { ChunkIndex, MetadataIndex, Statistics, SummaryOffset } from '@mcap/core';
import type { ChunkBlob } from './chunkAssembler';
import { crc32 } from './compression';

/** A channel as written into the file. */
export interface ChannelRecord {
  id: number;
  topic: string;
  messageEncoding: string;
  metadata: Map<string, string>;
}

export type SinkState = 'open' | 'closed' | 'capped' | 'failed';

export interface SinkOptions {
  /** Header `library` field. */
  library: string;
  profile: string;
  /** The first metadata record (name → key/value pairs). */
  meta: { name: string; entries: Map<string, string> };
  /** Largest file, summary included: the recording stops (closed cleanly) before going past it. */
  maxBytes?: number;
  /** ms between fdatasync calls (the OS has the bytes within a second anyway); 0 = never. */
  syncEveryMs?: number;
  /** What to add at the end of the data section whenever the file is closed (explicitly, at the cap, after a failure). */
  extras?: () => CloseExtras;
}

/** What a close adds at the end of the data section (the index record for a fast open). */
export interface CloseExtras {
  metadata?: { name: string; entries: Map<string, string> }[];
}

/** Bytes a chunk index record takes in the summary (no message index offsets; compression name included). */
function chunkIndexBytes(compression: string): number {
  return 1 + 8 + 8 + 8 + 8 + 8 + 4 + 8 + 4 + compression.length + 8 + 8;
}

/**
 * Appends chunks to an MCAP file as they come and writes its summary at close: a file
 * that is valid MCAP when closed, and readable up to its last complete chunk when not
 * (the reader rebuilds the index). Writes are synchronous and whole-record, once a second:
 * small, and the simplest way to know exactly what reached the file.
 *
 * Failures never throw out of `write`: a full disk or any write error ends the recording
 * (state `failed`, `error` says why), the file is cut back to its last complete record and
 * closed with a summary if there is room; reaching `maxBytes` closes it cleanly (`capped`).
 */
export class McapFileSink {
  state: SinkState = 'open';
  error: string | null = null;
  private readonly fd: number;
  private pos = 0;
  private dataCrc = 0;
  private readonly rb = new McapRecordBuilder();
  private readonly written = new Map<number, ChannelRecord>();
  private readonly chunkIndexes: ChunkIndex[] = [];
  private readonly metadataIndexes: MetadataIndex[] = [];
  private readonly counts = new Map<number, bigint>();
  private messageCount = 0n;
  private startNs: bigint | null = null;
  private endNs = 0n;
  /** Summary bytes if the file were closed now (kept current for the size cap). */
  private summaryBytes = 256;
  private lastSync = Date.now();
  startMs: number | null = null;
  endMs: number | null = null;
  /** File offsets of the key chunks written. */
  readonly keyOffsets: number[] = [];

  /** @throws the open error (e.g. EEXIST, ENOENT, EACCES): the caller reports it. */
  constructor(
    readonly path: string,
    private readonly o: SinkOptions,
  ) {
    // Never overwrite: a recording is evidence.
    this.fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    const rb = this.rb;
    rb.writeMagic();
    rb.writeHeader({ profile: o.profile, library: o.library });
    this.flushData();
    this.writeMetadata(o.meta.name, o.meta.entries);
  }

  get bytes(): number {
    return this.pos;
  }

  get chunks(): number {
    return this.chunkIndexes.length;
  }

  /** Appends a chunk (and the channel records it needs first). Returns the state after. */
  write(blob: ChunkBlob, channel: (id: number) => ChannelRecord | undefined): SinkState {
    if (this.state !== 'open') return this.state;
    const rb = this.rb;
    const fresh: ChannelRecord[] = [];
    for (const id of blob.counts.keys()) {
      const c = this.written.has(id) ? undefined : channel(id);
      if (c) fresh.push(c);
    }
    let channelBytes = 0;
    for (const c of fresh) channelBytes += Number(rb.writeChannel({ id: c.id, topic: c.topic, messageEncoding: c.messageEncoding, schemaId: 0, metadata: c.metadata }));
    const after = this.summaryBytes + channelBytes + chunkIndexBytes(blob.compression) + 10 * fresh.length;
    if (this.o.maxBytes !== undefined && this.pos + channelBytes + blob.record.length + after > this.o.maxBytes) {
      rb.reset();
      this.finish('capped', `stopped at the size cap of ${this.o.maxBytes} bytes; the file is complete up to ${new Date(this.endMs ?? Date.now()).toISOString()}`);
      return this.state;
    }
    const goodPos = this.pos;
    const goodCrc = this.dataCrc;
    try {
      this.flushData();
      const offset = this.pos;
      this.put(blob.record, true);
      for (const c of fresh) this.written.set(c.id, c);
      this.chunkIndexes.push({
        messageStartTime: blob.startNs,
        messageEndTime: blob.endNs,
        chunkStartOffset: BigInt(offset),
        chunkLength: BigInt(blob.record.length),
        messageIndexOffsets: new Map(),
        messageIndexLength: 0n,
        compression: blob.compression,
        compressedSize: BigInt(blob.compressedSize),
        uncompressedSize: BigInt(blob.uncompressedSize),
      });
      if (blob.key) this.keyOffsets.push(offset);
    } catch (err) {
      rb.reset();
      this.fail(err, goodPos, goodCrc);
      return this.state;
    }
    this.summaryBytes = after;
    for (const [id, n] of blob.counts) {
      this.counts.set(id, (this.counts.get(id) ?? 0n) + BigInt(n));
      this.messageCount += BigInt(n);
    }
    if (this.startNs === null || blob.startNs < this.startNs) this.startNs = blob.startNs;
    if (blob.endNs > this.endNs) this.endNs = blob.endNs;
    this.startMs = this.startMs === null ? blob.startMs : Math.min(this.startMs, blob.startMs);
    this.endMs = this.endMs === null ? blob.endMs : Math.max(this.endMs, blob.endMs);
    this.maybeSync();
    return this.state;
  }

  /** Grows the size-cap reserve for what `close` will add (the index record). */
  reserve(bytes: number): void {
    this.summaryBytes += bytes;
  }

  /** Writes the extras, the summary and the footer, and closes the file. Idempotent. */
  close(): SinkState {
    if (this.state !== 'open') return this.state;
    this.finish('closed', null);
    return this.state;
  }

  private finish(state: SinkState, error: string | null): void {
    const goodPos = this.pos;
    const goodCrc = this.dataCrc;
    try {
      this.writeExtras();
      this.writeSummary();
      closeSync(this.fd);
      this.state = state;
      this.error = error;
    } catch (err) {
      this.fail(err, goodPos, goodCrc);
    }
  }

  /** A write failed: cut the file back to its last complete record, try to close it with a summary, report. */
  private fail(err: unknown, goodPos: number, goodCrc: number): void {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOSPC' ? 'the disk is full (ENOSPC)' : e.code === 'EDQUOT' ? 'the disk quota is exceeded (EDQUOT)' : e.code === 'EFBIG' ? 'the file is too large for the file system (EFBIG)' : `a write failed (${e.code ?? e.message})`;
    let closedWithSummary = false;
    try {
      ftruncateSync(this.fd, goodPos);
      this.pos = goodPos;
      this.dataCrc = goodCrc;
      this.rb.reset();
      this.writeExtras();
      this.writeSummary();
      closedWithSummary = true;
    } catch {
      try {
        ftruncateSync(this.fd, goodPos);
      } catch {
        // Nothing more to do: the reader recovers the complete chunks of a cut file.
      }
    }
    try {
      closeSync(this.fd);
    } catch {
      // already reported below
    }
    const until = this.endMs !== null ? new Date(this.endMs).toISOString() : 'its start';
    this.state = 'failed';
    this.error = `recording stopped: ${why} after ${goodPos} bytes; the file holds everything up to ${until}${closedWithSummary ? '' : ' (without an index: opening it rebuilds one)'}`;
  }

  private writeExtras(): void {
    for (const m of this.o.extras?.().metadata ?? []) this.writeMetadata(m.name, m.entries);
  }

  private writeMetadata(name: string, entries: Map<string, string>): void {
    this.flushData();
    const offset = this.pos;
    const length = this.rb.writeMetadata({ name, metadata: entries });
    this.flushData();
    this.metadataIndexes.push({ offset: BigInt(offset), length, name });
    this.summaryBytes += 1 + 8 + 8 + 8 + 4 + name.length + 40;
  }

  private writeSummary(): void {
    const rb = this.rb;
    rb.reset();
    rb.writeDataEnd({ dataSectionCrc: this.dataCrc });
    this.put(rb.buffer, false);
    rb.reset();
    const summaryStart = this.pos;
    const offsets: SummaryOffset[] = [];
    const group = (opcode: Opcode, write: () => void) => {
      const start = this.pos + rb.length;
      const before = rb.length;
      write();
      if (rb.length > before) offsets.push({ groupOpcode: opcode, groupStart: BigInt(start), groupLength: BigInt(rb.length - before) });
    };
    group(Opcode.CHANNEL, () => {
      for (const c of this.written.values()) rb.writeChannel({ id: c.id, topic: c.topic, messageEncoding: c.messageEncoding, schemaId: 0, metadata: c.metadata });
    });
    const stats: Statistics = {
      messageCount: this.messageCount,
      schemaCount: 0,
      channelCount: this.written.size,
      attachmentCount: 0,
      metadataCount: this.metadataIndexes.length,
      chunkCount: this.chunkIndexes.length,
      messageStartTime: this.startNs ?? 0n,
      messageEndTime: this.endNs,
      channelMessageCounts: this.counts,
    };
    group(Opcode.STATISTICS, () => rb.writeStatistics(stats));
    group(Opcode.METADATA_INDEX, () => {
      for (const m of this.metadataIndexes) rb.writeMetadataIndex(m);
    });
    group(Opcode.CHUNK_INDEX, () => {
      for (const c of this.chunkIndexes) rb.writeChunkIndex(c);
    });
    const summaryOffsetStart = this.pos + rb.length;
    for (const s of offsets) rb.writeSummaryOffset(s);
    // Footer: the summary CRC covers the summary through the footer's own first fields.
    const head = new DataView(new ArrayBuffer(1 + 8 + 8 + 8));
    head.setUint8(0, Opcode.FOOTER);
    head.setBigUint64(1, 20n, true);
    head.setBigUint64(9, BigInt(summaryStart), true);
    head.setBigUint64(17, BigInt(summaryOffsetStart), true);
    const summaryCrc = crc32(new Uint8Array(head.buffer), crc32(rb.buffer));
    rb.writeFooter({ summaryStart: BigInt(summaryStart), summaryOffsetStart: BigInt(summaryOffsetStart), summaryCrc });
    rb.writeMagic();
    this.put(rb.buffer, false);
    rb.reset();
  }

  /** Writes what the record builder holds as data-section bytes. */
  private flushData(): void {
    if (this.rb.length === 0) return;
    this.put(this.rb.buffer, true);
    this.rb.reset();
  }

  private put(buf: Uint8Array, data: boolean): void {
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
    if (data) this.dataCrc = crc32(buf, this.dataCrc);
    this.pos += buf.length;
  }

  private maybeSync(): void {
    const every = this.o.syncEveryMs ?? 5000;
    if (every <= 0 || Date.now() - this.lastSync < every) return;
    this.lastSync = Date.now();
    // Asynchronous: a slow disk must not stall the console's event loop.
    fdatasync(this.fd, () => {});
  }
}
