import { createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Result } from '../../shared/api';
import type { RecordingFileInfo } from '../../shared/replay';
import { recordingNameSchema } from '../../shared/replay';

/** Largest recording accepted by upload (a day of a big fleet fits; a runaway upload does not). */
export const MAX_UPLOAD_BYTES = 4 * 1024 ** 3;
const MAX_LISTED = 500;

const bad = (message: string): { ok: false; code: 'invalid'; message: string } => ({ ok: false, code: 'invalid', message });

/**
 * The console's recordings folder: where saved flight recordings, named recordings and
 * uploaded files go, by name only (a name never leaves the folder). Created on first
 * use, readable by the user alone.
 */
export class RecordingsFolder {
  constructor(readonly dir: string) {}

  private ensure(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  /** A name checked against the naming rule, always ending in `.mcap` (added when missing: the folder holds recordings only). */
  private static fileName(name: string): Result<string> {
    const withExt = name.endsWith('.mcap') ? name : `${name}.mcap`;
    const p = recordingNameSchema.safeParse(withExt);
    return p.success ? { ok: true, value: withExt } : bad(`recording name "${name.slice(0, 80)}": ${p.error.issues[0]?.message ?? 'not allowed'}`);
  }

  /** A new file to write: the given name, or `<prefix>-<UTC time>.mcap`; never an existing file. */
  newFile(name: string | undefined, prefix: string): Result<{ name: string; path: string }> {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const n = RecordingsFolder.fileName(name ?? `${prefix}-${stamp}`);
    if (!n.ok) return n;
    const file = path.join(this.dir, n.value);
    if (existsSync(file)) return bad(`a recording named ${n.value} exists already: choose another name`);
    this.ensure();
    return { ok: true, value: { name: n.value, path: file } };
  }

  /** An existing recording of the folder, by name. */
  existing(name: string): Result<string> {
    const n = RecordingsFolder.fileName(name);
    if (!n.ok) return n;
    const file = path.join(this.dir, n.value);
    if (!existsSync(file)) return { ok: false, code: 'not_found', message: `no recording named ${n.value} in ${this.dir}` };
    return { ok: true, value: file };
  }

  nameOf(file: string): string {
    return path.basename(file);
  }

  /** The folder's recordings, newest first. */
  list(): Result<RecordingFileInfo[]> {
    if (!existsSync(this.dir)) return { ok: true, value: [] };
    try {
      const out: RecordingFileInfo[] = [];
      for (const name of readdirSync(this.dir)) {
        if (!name.endsWith('.mcap')) continue;
        const st = statSync(path.join(this.dir, name));
        if (st.isFile()) out.push({ name, bytes: st.size, modifiedAt: st.mtimeMs });
      }
      return { ok: true, value: out.sort((a, b) => b.modifiedAt - a.modifiedAt).slice(0, MAX_LISTED) };
    } catch (err) {
      return { ok: false, code: 'unavailable', message: `cannot list ${this.dir}: ${(err as Error).message}` };
    }
  }

  /**
   * Stores an uploaded recording under `name` (a new name; a partial file is removed if
   * the upload fails or passes `maxBytes`). The file is only checked when it is opened.
   */
  async receive(name: string, body: Readable, maxBytes = MAX_UPLOAD_BYTES): Promise<Result<RecordingFileInfo>> {
    const target = this.newFile(name, 'upload');
    if (!target.ok) return target;
    const partial = `${target.value.path}.partial`;
    let received = 0;
    const counter = async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        received += chunk.length;
        if (received > maxBytes) throw new Error(`the upload is larger than ${maxBytes} bytes`);
        yield chunk;
      }
    };
    try {
      await pipeline(body, counter, createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
      renameSync(partial, target.value.path);
    } catch (err) {
      try {
        unlinkSync(partial);
      } catch {
        // nothing was written
      }
      return bad(`upload of ${target.value.name} failed: ${(err as Error).message}`);
    }
    return { ok: true, value: { name: target.value.name, bytes: received, modifiedAt: Date.now() } };
  }

  /** A path the desktop app may open: absolute, an existing regular file. */
  static checkPath(p: string): Result<string> {
    if (!path.isAbsolute(p)) return bad(`recording path must be absolute, got "${p.slice(0, 200)}"`);
    try {
      const st = statSync(p);
      if (!st.isFile()) return bad(`${p} is not a file`);
    } catch (err) {
      return { ok: false, code: 'not_found', message: `cannot open ${p}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}` };
    }
    return { ok: true, value: p };
  }
}
