import type { ChunkBlob } from './mcap/chunkAssembler';

/**
 * The flight recorder's memory: the last `windowMs` of compressed chunks, oldest first.
 * It always starts at a key chunk, so whatever it holds can be written out and read: it
 * drops old chunks a whole key period at a time, and keeps at most `windowMs` plus one
 * key period (plus the chunk being written). Memory is the compressed size of that span.
 */
export class FlightRing {
  private readonly chunks: ChunkBlob[] = [];
  private size = 0;

  constructor(readonly windowMs: number) {}

  push(blob: ChunkBlob): void {
    // Until the first key chunk there is nothing a reader could start from.
    if (this.chunks.length === 0 && !blob.key) return;
    this.chunks.push(blob);
    this.size += blob.record.length;
    this.evict(blob.endMs);
  }

  /** Drops leading key periods that end before the window starts. */
  private evict(nowMs: number): void {
    const from = nowMs - this.windowMs;
    for (;;) {
      // The next key chunk after the first one: everything before it is one key period.
      let next = -1;
      for (let i = 1; i < this.chunks.length; i++) {
        if (this.chunks[i].key) {
          next = i;
          break;
        }
      }
      if (next < 0 || this.chunks[next].startMs > from) return;
      for (const c of this.chunks.splice(0, next)) this.size -= c.record.length;
    }
  }

  /** The chunks held now (a copy of the list; the blobs are shared and immutable). */
  snapshot(): ChunkBlob[] {
    return [...this.chunks];
  }

  get bytes(): number {
    return this.size;
  }

  get count(): number {
    return this.chunks.length;
  }

  get fromMs(): number | null {
    return this.chunks[0]?.startMs ?? null;
  }

  get toMs(): number | null {
    return this.chunks.at(-1)?.endMs ?? null;
  }
}
