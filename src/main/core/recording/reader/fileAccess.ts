import { readSync } from 'node:fs';

/** Positioned reads of an open file; a short read (the file shrank) returns fewer bytes. */
export function readAt(fd: number, offset: number, length: number): Uint8Array {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, offset + got);
    if (n === 0) break;
    got += n;
  }
  return got === length ? buf : buf.subarray(0, got);
}
