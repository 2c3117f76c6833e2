import { closeSync, fstatSync, openSync } from 'node:fs';
import { basename } from 'node:path';
import { MCAP_MAGIC } from '@mcap/core';
import type { Result } from '../../../../shared/api';
import type { Json } from '../codec/shapeCodec';
import { crc32, decompress, loadCompression } from '../mcap/compression';
import { forEachMessage, parseChunkHeader } from '../mcap/recordParse';
import { readAt } from './fileAccess';
import type { ChannelInfo, ChunkInfo, ProgressFn, RecordingLayout, SparseMessage } from './layout';
import { RecordingOpenError } from './layout';
import { openIndexed } from './openIndexed';
import { scanFile } from './scanFile';

/** Decompressed chunks kept for re-reading (seeks near each other, preload and playback on the same span). */
const CACHE_CHUNKS = 48;
const TEXT = new TextDecoder();

export type ChunkRead = { ok: true; records: Uint8Array } | { ok: false; error: string };

/**
 * A recording opened for reading: its channels, chunk list, metadata and the timeline and
 * inventory messages (held in memory), with chunk contents read on demand. Opening never
 * throws for bad input: an empty file, a file that is not MCAP, a file that is MCAP but no
 * recording each give one clear message; a cut-off or damaged file opens with what is
 * complete and says what was lost in `warnings`. A chunk found unreadable later is
 * reported once in `warnings` and skipped by every reader.
 */
export class RecordingFile {
  readonly name: string;
  readonly startMs: number;
  readonly endMs: number;
  private sparseList: SparseMessage[];
  private readonly cache = new Map<number, Uint8Array>();
  private readonly warningListeners = new Set<(w: string) => void>();
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    readonly bytes: number,
    private readonly layout: RecordingLayout,
  ) {
    this.name = basename(path);
    let start = Infinity;
    let end = -Infinity;
    for (const c of layout.chunks) {
      if (c.startMs < start) start = c.startMs;
      if (c.endMs > end) end = c.endMs;
    }
    this.startMs = layout.chunks.length ? start : 0;
    this.endMs = layout.chunks.length ? end : 0;
    this.sparseList = layout.sparse ?? [];
  }

  static async open(path: string, o: { onProgress?: ProgressFn } = {}): Promise<Result<RecordingFile>> {
    const name = basename(path);
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EISDIR' ? 'it is a directory' : e.message;
      return { ok: false, code: 'not_found', message: `cannot open ${path}: ${why}` };
    }
    try {
      const file = await RecordingFile.openFd(path, name, fd, o.onProgress);
      return { ok: true, value: file };
    } catch (err) {
      closeSync(fd);
      if (err instanceof RecordingOpenError) return { ok: false, code: 'invalid', message: err.message };
      return { ok: false, code: 'internal', message: `cannot read ${name}: ${(err as Error).message}` };
    }
  }

  private static async openFd(path: string, name: string, fd: number, onProgress?: ProgressFn): Promise<RecordingFile> {
    const size = fstatSync(fd).size;
    if (size === 0) throw new RecordingOpenError(`${name} is empty (0 bytes): not a recording`);
    const magic = readAt(fd, 0, 8);
    if (magic.length < 8 || !MCAP_MAGIC.every((b, i) => magic[i] === b)) {
      const start = Array.from(magic.subarray(0, 8), (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
      throw new RecordingOpenError(`${name} is not an MCAP recording: it starts with "${start}" instead of the MCAP magic`);
    }
    await loadCompression();
    onProgress?.({ phase: 'summary', done: 0, total: size });
    let layout: RecordingLayout;
    try {
      layout = await openIndexed(fd, size, name);
    } catch (err) {
      if (err instanceof RecordingOpenError) throw err;
      layout = scanFile(fd, size, name, onProgress);
      if (!layout.warnings.some((w) => w.includes('cut off') || w.includes('not closed cleanly'))) layout.warnings.unshift(`${name}: its summary is unusable (${(err as Error).message}); the index was rebuilt by reading the file`);
    }
    if (layout.chunks.length === 0) throw new RecordingOpenError(`${name} holds no complete chunk: nothing to replay${layout.warnings.length ? ` (${layout.warnings[0]})` : ''}`);
    const file = new RecordingFile(path, fd, size, layout);
    if (layout.sparse === null) file.readMarkers(onProgress);
    else if (!layout.chunks.some((c) => c.key)) file.findKeys();
    return file;
  }

  /** The timeline and inventory messages of the whole recording, in file order. */
  get sparse(): readonly SparseMessage[] {
    return this.sparseList;
  }

  get meta(): ReadonlyMap<string, string> {
    return this.layout.meta;
  }

  get channels(): ReadonlyMap<number, ChannelInfo> {
    return this.layout.channels;
  }

  get chunks(): readonly ChunkInfo[] {
    return this.layout.chunks;
  }

  get warnings(): readonly string[] {
    return this.layout.warnings;
  }

  /** Whether the file's own summary was used (false: it was not closed cleanly and was scanned). */
  get indexed(): boolean {
    return this.layout.indexed;
  }

  onWarning(fn: (w: string) => void): () => void {
    this.warningListeners.add(fn);
    return () => this.warningListeners.delete(fn);
  }

  private warn(w: string): void {
    this.layout.warnings.push(w);
    for (const fn of this.warningListeners) fn(w);
  }

  /** The decompressed, CRC-checked records of chunk `i`; an unreadable chunk is marked bad and reported once. */
  readChunk(i: number): ChunkRead {
    const c = this.layout.chunks[i];
    if (!c) return { ok: false, error: `no chunk ${i}` };
    if (c.bad) return { ok: false, error: `chunk at byte offset ${c.offset} is unreadable` };
    const hit = this.cache.get(i);
    if (hit) {
      this.cache.delete(i);
      this.cache.set(i, hit);
      return { ok: true, records: hit };
    }
    try {
      if (this.closed) throw new Error('the recording is closed');
      const raw = readAt(this.fd, c.offset, c.length);
      if (raw.length < c.length) throw new Error('the file is shorter than its index says');
      const h = parseChunkHeader(raw, c.length - 9);
      const records = decompress(h.compression, raw.subarray(h.recordsAt, h.recordsAt + h.recordsLength), h.uncompressedSize);
      if (records.length !== h.uncompressedSize) throw new Error(`decompressed to ${records.length} bytes instead of ${h.uncompressedSize}`);
      if (h.crc !== 0 && crc32(records) !== h.crc) throw new Error('its CRC does not match its contents');
      this.cache.set(i, records);
      if (this.cache.size > CACHE_CHUNKS) this.cache.delete(this.cache.keys().next().value as number);
      return { ok: true, records };
    } catch (err) {
      c.bad = true;
      const span = `${new Date(c.startMs).toISOString()} to ${new Date(c.endMs).toISOString()}`;
      this.warn(`${this.name}: the chunk at byte offset ${c.offset} is corrupted (${(err as Error).message}); skipped: data from ${span} is missing, and each node's metrics resume at its next key message (within seconds)`);
      return { ok: false, error: (err as Error).message };
    }
  }

  /** Reads every chunk for the timeline and inventory messages and the key marks (a file without an index record). */
  private readMarkers(onProgress?: ProgressFn): void {
    const sparse: SparseMessage[] = [];
    const chunks = this.layout.chunks;
    for (let i = 0; i < chunks.length; i++) {
      if (onProgress && i % 64 === 0) onProgress({ phase: 'markers', done: i, total: chunks.length });
      const r = this.readChunk(i);
      if (!r.ok) continue;
      try {
        forEachMessage(r.records, (channelId, _seq, logMs, data) => {
          const ch = this.layout.channels.get(channelId);
          if (!ch) return;
          if (ch.kind === 'sync') chunks[i].key = true;
          else if (ch.kind === 'timeline' || ch.kind === 'inventory') {
            try {
              sparse.push({ logMs, kind: ch.kind, value: JSON.parse(TEXT.decode(data)) as Json });
            } catch {
              // A damaged message: the decoder reports it when it reaches it.
            }
          }
        });
      } catch (err) {
        chunks[i].bad = true;
        this.warn(`${this.name}: the chunk at byte offset ${chunks[i].offset} is corrupted (${(err as Error).message}); skipped`);
      }
    }
    onProgress?.({ phase: 'markers', done: chunks.length, total: chunks.length });
    this.sparseList = sparse;
  }

  /** Marks key chunks by their sync message (an index record without key offsets). */
  private findKeys(): void {
    const sync = [...this.layout.channels.values()].find((c) => c.kind === 'sync')?.id;
    for (let i = 0; i < this.layout.chunks.length; i++) {
      const r = this.readChunk(i);
      if (!r.ok) continue;
      try {
        forEachMessage(r.records, (channelId) => {
          if (channelId === sync) this.layout.chunks[i].key = true;
        });
      } catch {
        this.layout.chunks[i].bad = true;
      }
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cache.clear();
    closeSync(this.fd);
  }
}
