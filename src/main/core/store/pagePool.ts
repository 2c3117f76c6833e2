/** Options for {@link PagePool}. */
export interface PagePoolOptions {
  /** Bytes a page (default 256). */
  pageBytes?: number;
  /** Pages a slab (default 262,144: 64 MiB slabs with the default page, see the class comment). */
  pagesPerSlab?: number;
}

/**
 * Fixed-size pages carved out of large slabs, the memory under every compressed
 * series of a store.
 *
 * Why: thousands of series each growing their own buffer (allocate bigger, copy,
 * free the old one) leave the process heap fragmented; measured on the 200-node
 * benchmark that cost ~90 MB of RSS above the bytes actually in use. Pages never
 * move, and a freed page is reused by the next series that needs one.
 *
 * Slabs are large (64 MiB by default) so that the C allocator always maps each on its
 * own and never carves it out of its heap: glibc raises its mmap threshold up to 32 MiB
 * as the process frees big blocks, and 1 MiB slabs then landed in the brk heap, a new
 * one every few seconds at its top, pinning the freed garbage below them (socket read
 * buffers, compiler zones): measured with malloc_stats on the 200-node benchmark, 78 MB
 * of heap for 16 MB in use. A slab costs only the pages handed out so far: it is a
 * zero-filled fresh mapping, and the rest of it is never touched until needed.
 *
 * Invariants: a page id is owned by at most one series between `acquire` and
 * `release`; `acquire` hands out zero-filled pages; slabs are never freed (the pool
 * stays as big as the peak it served, and that memory is reused, not returned).
 */
export class PagePool {
  readonly pageBytes: number;
  readonly pagesPerSlab: number;
  private readonly slabs: Uint8Array[] = [];
  private freeIds = new Int32Array(1024);
  private freeCount = 0;
  /** Next page id never handed out yet. */
  private fresh = 0;

  /** @throws RangeError when an option is not a positive integer in range. */
  constructor(options: PagePoolOptions = {}) {
    const pageBytes = options.pageBytes ?? 256;
    const pagesPerSlab = options.pagesPerSlab ?? 262_144;
    if (!Number.isInteger(pageBytes) || pageBytes < 1 || pageBytes > 1 << 20) {
      throw new RangeError(`PagePool pageBytes must be an integer in [1, 1048576], got ${pageBytes}`);
    }
    if (!Number.isInteger(pagesPerSlab) || pagesPerSlab < 1 || pageBytes * pagesPerSlab > 1 << 28) {
      throw new RangeError(`PagePool pagesPerSlab must be a positive integer with pageBytes × pagesPerSlab <= 256 MiB, got ${pagesPerSlab}`);
    }
    this.pageBytes = pageBytes;
    this.pagesPerSlab = pagesPerSlab;
  }

  /** Takes a zero-filled page. Allocates only when every slab is in use (one new slab). */
  acquire(): number {
    let id: number;
    if (this.freeCount > 0) {
      id = this.freeIds[--this.freeCount];
      const off = this.offsetOf(id);
      this.slabOf(id).fill(0, off, off + this.pageBytes);
    } else {
      id = this.fresh++;
      if (id >= this.slabs.length * this.pagesPerSlab) this.slabs.push(new Uint8Array(this.pageBytes * this.pagesPerSlab));
    }
    return id;
  }

  /** Gives a page back; the caller must not touch it afterwards. */
  release(id: number): void {
    if (this.freeCount === this.freeIds.length) {
      const grown = new Int32Array(this.freeIds.length * 2);
      grown.set(this.freeIds);
      this.freeIds = grown;
    }
    this.freeIds[this.freeCount++] = id;
  }

  /** The slab holding page `id` (shared storage: read or write only that page's bytes). */
  slabOf(id: number): Uint8Array {
    return this.slabs[Math.floor(id / this.pagesPerSlab)];
  }

  /** Byte offset of page `id` within its slab. */
  offsetOf(id: number): number {
    return (id % this.pagesPerSlab) * this.pageBytes;
  }

  /** Pages currently handed out. */
  pagesInUse(): number {
    return this.fresh - this.freeCount;
  }

  /**
   * Bytes the pool costs: every page handed out so far, used now or back in the free list
   * (the rest of the newest slab is reserved address space, never written), plus the free list.
   */
  allocatedBytes(): number {
    return this.fresh * this.pageBytes + this.freeIds.byteLength;
  }

  /** Address space of the slabs, written or not. */
  reservedBytes(): number {
    return this.slabs.length * this.pagesPerSlab * this.pageBytes;
  }
}
