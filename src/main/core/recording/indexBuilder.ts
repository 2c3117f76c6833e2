import type { ChunkBlob, SparseRecord } from './mcap/chunkAssembler';

/**
 * Builds the `switchboard.index` metadata record written at a clean close: the file
 * offsets of the key chunks, and every timeline and inventory message (with its log
 * time), so opening a closed recording reads the summary and this record instead of
 * every chunk. Repeated identical inventory messages (one goes into every key chunk)
 * are listed once.
 */
export class IndexBuilder {
  private readonly items: string[] = [];
  private readonly lastInventory = new Map<string, string>();
  private size = 0;

  /** At most how many bytes adding this chunk would add to the index record (for a size cap). */
  measure(blob: ChunkBlob): number {
    let n = blob.key ? 16 : 0;
    for (const r of blob.sparse) n += r.json.length + 40;
    return n;
  }

  /** Adds a chunk's sparse records (call once the chunk is in the file). */
  add(blob: ChunkBlob): void {
    for (const r of blob.sparse) this.addRecord(r);
  }

  private addRecord(r: SparseRecord): void {
    if (r.kind !== 'timeline') {
      if (this.lastInventory.get(r.kind) === r.json) return;
      this.lastInventory.set(r.kind, r.json);
    }
    const item = `{"t":${r.logMs},"k":"${r.kind}","d":${r.json}}`;
    this.items.push(item);
    this.size += item.length + 1;
  }

  get bytes(): number {
    return this.size;
  }

  entries(keyOffsets: readonly number[]): Map<string, string> {
    return new Map([
      ['version', '1'],
      ['keyChunks', JSON.stringify(keyOffsets)],
      ['sparse', `[${this.items.join(',')}]`],
    ]);
  }
}
