import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import type { Result } from '../../../../shared/api';

export type { Bookmark } from '../../../../shared/replay';
import type { Bookmark } from '../../../../shared/replay';

const MAX_NOTE = 10_000;
const MAX_BOOKMARKS = 10_000;

const bookmarkSchema = z
  .object({
    id: z.string().min(1).max(64),
    ts: z.number().finite(),
    note: z.string().max(MAX_NOTE),
    createdAt: z.string().max(64),
  })
  .strict();

export const bookmarksFileSchema = z
  .object({
    version: z.literal(1),
    recording: z.string().max(4096),
    bookmarks: z.array(bookmarkSchema).max(MAX_BOOKMARKS),
  })
  .strict();

/** The sidecar file of a recording: `<recording>.bookmarks.json`. */
export function bookmarksPath(recording: string): string {
  return `${recording}.bookmarks.json`;
}

/**
 * Bookmarks with notes, kept beside the recording in a sidecar file so a reviewer can
 * hand both on. The file is validated when read; a bad one is reported (`error` names the
 * file and the field) and left untouched: adding to it is refused rather than overwriting
 * someone's notes. Writes go to a temporary file renamed over the old one (never half-written).
 */
export class Bookmarks {
  private items: Bookmark[] = [];
  /** Why the sidecar file could not be used, or null. */
  readonly error: string | null;

  private constructor(
    readonly file: string,
    private readonly recording: string,
    private readonly range: { startMs: number; endMs: number },
    items: Bookmark[],
    error: string | null,
  ) {
    this.items = items;
    this.error = error;
  }

  /** Reads the sidecar of `recording` (none yet is fine). Never throws. */
  static load(recording: string, range: { startMs: number; endMs: number }): Bookmarks {
    const file = bookmarksPath(recording);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ENOENT') return new Bookmarks(file, recording, range, [], null);
      return new Bookmarks(file, recording, range, [], `${file}: cannot read it (${e.code ?? e.message})`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      return new Bookmarks(file, recording, range, [], `${file} is not valid JSON (${(err as Error).message})`);
    }
    const parsed = bookmarksFileSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? issue.path.map(String).join('.') || 'the file' : 'the file';
      return new Bookmarks(file, recording, range, [], `${file}: ${where}: ${issue?.message ?? 'invalid'}`);
    }
    const ids = new Set<string>();
    for (const b of parsed.data.bookmarks) {
      if (ids.has(b.id)) return new Bookmarks(file, recording, range, [], `${file}: bookmark id "${b.id}" appears twice`);
      ids.add(b.id);
    }
    return new Bookmarks(file, recording, range, [...parsed.data.bookmarks].sort((a, b) => a.ts - b.ts), null);
  }

  /** By time. */
  list(): Bookmark[] {
    return this.items.map((b) => ({ ...b }));
  }

  add(ts: number, note: string): Result<Bookmark> {
    const bad = this.check(note) ?? (Number.isFinite(ts) && ts >= this.range.startMs && ts <= this.range.endMs ? null : `ts must be within the recording (${new Date(this.range.startMs).toISOString()} to ${new Date(this.range.endMs).toISOString()})`);
    if (bad) return { ok: false, code: 'invalid', message: bad };
    if (this.items.length >= MAX_BOOKMARKS) return { ok: false, code: 'invalid', message: `at most ${MAX_BOOKMARKS} bookmarks per recording` };
    const b: Bookmark = { id: randomBytes(6).toString('hex'), ts, note, createdAt: new Date().toISOString() };
    const next = [...this.items, b].sort((x, y) => x.ts - y.ts);
    const saved = this.save(next);
    return saved.ok ? { ok: true, value: { ...b } } : saved;
  }

  update(id: string, note: string): Result<Bookmark> {
    const bad = this.check(note);
    if (bad) return { ok: false, code: 'invalid', message: bad };
    const i = this.items.findIndex((b) => b.id === id);
    if (i < 0) return { ok: false, code: 'not_found', message: `no bookmark "${id.slice(0, 64)}"` };
    const next = this.items.map((b) => (b.id === id ? { ...b, note } : b));
    const saved = this.save(next);
    return saved.ok ? { ok: true, value: { ...next[i] } } : saved;
  }

  remove(id: string): Result<null> {
    if (this.error) return { ok: false, code: 'unavailable', message: `${this.error}; fix or remove the file first` };
    if (!this.items.some((b) => b.id === id)) return { ok: false, code: 'not_found', message: `no bookmark "${id.slice(0, 64)}"` };
    const saved = this.save(this.items.filter((b) => b.id !== id));
    return saved.ok ? { ok: true, value: null } : saved;
  }

  private check(note: string): string | null {
    if (this.error) return `${this.error}; fix or remove the file first`;
    if (typeof note !== 'string' || note.length > MAX_NOTE) return `note must be text of at most ${MAX_NOTE} characters`;
    return null;
  }

  private save(next: Bookmark[]): Result<null> {
    const body = { version: 1 as const, recording: basename(this.recording), bookmarks: next };
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, this.file);
    } catch (err) {
      return { ok: false, code: 'unavailable', message: `cannot save bookmarks to ${this.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
    }
    this.items = next;
    return { ok: true, value: null };
  }
}
