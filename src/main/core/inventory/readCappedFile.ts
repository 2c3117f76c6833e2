import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { formatBytes } from './inventoryError';

/** A file's text, or what kept us from it (a phrase to follow the file's name: "does not exist"). */
export type FileRead = { ok: true; text: string } | { ok: false; problem: string; missing: boolean };

/**
 * Reads a UTF-8 text file of at most `maxBytes`. Size and type are checked on the opened
 * descriptor, so a file replaced by rename mid-read is read whole, old or new, never mixed.
 * O_NONBLOCK keeps a FIFO put in the file's place from blocking a libuv thread forever.
 */
export async function readCappedFile(path: string, maxBytes: number): Promise<FileRead> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT') return { ok: false, problem: 'does not exist', missing: true };
    return { ok: false, problem: `cannot be read (${code})`, missing: false };
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return { ok: false, problem: 'is not a regular file', missing: false };
    if (st.size > maxBytes) return { ok: false, problem: `is larger than ${formatBytes(maxBytes)} (${st.size} bytes)`, missing: false };
    // Read one byte past the cap: the file may have grown since fstat.
    const buf = Buffer.alloc(maxBytes + 1);
    let len = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, len, buf.length - len, len);
      if (bytesRead === 0) break;
      len += bytesRead;
      if (len > maxBytes) return { ok: false, problem: `is larger than ${formatBytes(maxBytes)}`, missing: false };
    }
    try {
      return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, len)) };
    } catch {
      return { ok: false, problem: 'is not UTF-8 text', missing: false };
    }
  } catch (err) {
    return { ok: false, problem: `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, missing: false };
  } finally {
    await handle.close();
  }
}
