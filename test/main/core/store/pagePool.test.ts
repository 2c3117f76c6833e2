import { describe, expect, it } from 'vitest';
import { PagePool } from '../../../../src/main/core/store/pagePool';

describe('PagePool', () => {
  it('hands out pages from slabs, one new slab only when all are in use', () => {
    const pool = new PagePool({ pageBytes: 8, pagesPerSlab: 4 });
    expect(pool.allocatedBytes()).toBe(4096); // the free list only
    const ids = [pool.acquire(), pool.acquire(), pool.acquire(), pool.acquire()];
    expect(ids).toEqual([0, 1, 2, 3]);
    expect(pool.allocatedBytes()).toBe(32 + 4096);
    expect(pool.acquire()).toBe(4);
    expect(pool.allocatedBytes()).toBe(40 + 4096);
    expect(pool.reservedBytes()).toBe(64);
    expect(pool.pagesInUse()).toBe(5);
    expect(pool.offsetOf(4)).toBe(0);
    expect(pool.offsetOf(3)).toBe(24);
    expect(pool.slabOf(4)).not.toBe(pool.slabOf(3));
  });

  it('reuses released pages, zero-filled', () => {
    const pool = new PagePool({ pageBytes: 8, pagesPerSlab: 4 });
    const id = pool.acquire();
    pool.slabOf(id).fill(0xff, pool.offsetOf(id), pool.offsetOf(id) + 8);
    pool.release(id);
    expect(pool.pagesInUse()).toBe(0);
    const again = pool.acquire();
    expect(again).toBe(id);
    expect([...pool.slabOf(again).subarray(pool.offsetOf(again), pool.offsetOf(again) + 8)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('grows its free list past its first size', () => {
    const pool = new PagePool({ pageBytes: 1, pagesPerSlab: 4096 });
    const ids = Array.from({ length: 3000 }, () => pool.acquire());
    for (const id of ids) pool.release(id);
    expect(pool.pagesInUse()).toBe(0);
    expect(pool.allocatedBytes()).toBe(3000 + 4 * 4096);
  });

  it('counts the pages handed out, not the slab reserved: a slab is written only as its pages are used', () => {
    const pool = new PagePool();
    expect(pool.pageBytes * pool.pagesPerSlab).toBe(64 * 1024 * 1024);
    const ids = [pool.acquire(), pool.acquire()];
    expect(pool.reservedBytes()).toBe(64 * 1024 * 1024);
    expect(pool.allocatedBytes()).toBe(2 * 256 + 4096);
    pool.release(ids[0]);
    // A released page stays counted: the pool keeps it for the next series.
    expect(pool.allocatedBytes()).toBe(2 * 256 + 4096);
    expect(pool.acquire()).toBe(ids[0]);
  });

  it('rejects bad sizes, naming them', () => {
    expect(() => new PagePool({ pageBytes: 0 })).toThrow(/pageBytes must be an integer in \[1, 1048576\], got 0/);
    expect(() => new PagePool({ pageBytes: 1 << 20, pagesPerSlab: 1024 })).toThrow(/pagesPerSlab/);
  });
});
