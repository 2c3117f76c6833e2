import { statSync, watch } from 'node:fs';
import type { BigIntStats, FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { ReloadTrigger } from './reloadingSource';

/** How a {@link FileWatcher} notices changes. */
export interface FileWatcherOptions {
  /** Quiet time after the last event before `onChange` runs, in ms (default 100). */
  debounceMs?: number;
  /** Interval of the stat poll that backs up fs.watch, in ms (default 2000). */
  pollMs?: number;
  /** Use fs.watch at all (default true); false leaves only the poll (tests, odd filesystems). */
  fsWatch?: boolean;
}

/**
 * Calls its `onChange` (debounced) when any of a set of files is created, replaced, changed or
 * removed. It watches each file's DIRECTORY, not the file: editors and atomic writers
 * replace a file by rename, which leaves a watch on the old inode deaf. fs.watch misses
 * events on some filesystems (NFS, some containers), so a slow stat poll backs it up.
 */
export class FileWatcher implements ReloadTrigger {
  private readonly debounceMs: number;
  private readonly pollMs: number;
  private readonly useFsWatch: boolean;
  /** Watched file (absolute) → stat signature seen by the last poll. */
  private readonly files = new Map<string, string>();
  /** Directory → its watcher, or null while it cannot be watched (retried on each poll). */
  private readonly dirs = new Map<string, FSWatcher | null>();
  private debounce: NodeJS.Timeout | null = null;
  private poll: NodeJS.Timeout | null = null;
  private running = false;
  private onChange: () => void = () => {};

  /** `basePaths` are always watched; {@link loaded} adds the files each load names. */
  constructor(
    private readonly basePaths: readonly string[],
    opts: FileWatcherOptions = {},
  ) {
    this.debounceMs = opts.debounceMs ?? 100;
    this.pollMs = opts.pollMs ?? 2000;
    this.useFsWatch = opts.fsWatch ?? true;
    this.setPaths(basePaths);
  }

  /** Watches the base paths plus the files the latest load read or looked for. */
  loaded(watch: readonly string[]): void {
    this.setPaths([...this.basePaths, ...watch]);
  }

  /** Replaces the set of watched files (say, the token files a reloaded config names). */
  setPaths(paths: readonly string[]): void {
    const next = new Set(paths.map((p) => resolve(p)));
    for (const f of [...this.files.keys()]) if (!next.has(f)) this.files.delete(f);
    // A new file's baseline is taken now: the load that named it has just read it.
    for (const f of next) if (!this.files.has(f)) this.files.set(f, signatureSync(f));
    if (this.running) this.syncDirWatchers();
  }

  /** Starts watching and polling; `onChange` runs (debounced) on every change. */
  start(onChange: () => void): void {
    if (this.running) return;
    this.running = true;
    this.onChange = onChange;
    this.syncDirWatchers();
    this.poll = setInterval(() => void this.pollOnce(), this.pollMs);
    this.poll.unref();
  }

  /** Stops everything; a pending debounced call is dropped. */
  stop(): void {
    this.running = false;
    if (this.poll) clearInterval(this.poll);
    if (this.debounce) clearTimeout(this.debounce);
    this.poll = this.debounce = null;
    for (const w of this.dirs.values()) w?.close();
    this.dirs.clear();
  }

  private kick(): void {
    if (!this.running) return;
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = null;
      if (this.running) this.onChange();
    }, this.debounceMs);
    this.debounce.unref();
  }

  private syncDirWatchers(): void {
    const wanted = new Set([...this.files.keys()].map((f) => dirname(f)));
    for (const [dir, w] of this.dirs) {
      if (!wanted.has(dir)) {
        w?.close();
        this.dirs.delete(dir);
      }
    }
    if (!this.useFsWatch) return;
    for (const dir of wanted) if (!this.dirs.get(dir)) this.dirs.set(dir, this.watchDir(dir));
  }

  private watchDir(dir: string): FSWatcher | null {
    try {
      const w = watch(dir, { persistent: false }, (_event, name) => {
        // Some platforms give no name; then any change in the folder counts.
        if (name === null || this.files.has(resolve(dir, basename(name.toString())))) this.kick();
      });
      w.on('error', () => {
        // The folder went away or the watch broke: drop it; the poll re-creates it.
        w.close();
        if (this.dirs.get(dir) === w) this.dirs.set(dir, null);
      });
      return w;
    } catch {
      return null; // folder missing or not watchable: the poll covers it
    }
  }

  private async takeSignatures(): Promise<boolean> {
    let changed = false;
    await Promise.all(
      [...this.files.keys()].map(async (f) => {
        const sig = await signature(f);
        const old = this.files.get(f);
        if (old === undefined) return; // removed from the set meanwhile
        if (old !== sig) changed = true;
        this.files.set(f, sig);
      }),
    );
    return changed;
  }

  private async pollOnce(): Promise<void> {
    if (!this.running) return;
    this.syncDirWatchers();
    if (await this.takeSignatures()) this.kick();
  }
}

/** What changes when a file is written, replaced or removed. */
async function signature(file: string): Promise<string> {
  return stat(file, { bigint: true }).then(formatSignature, missingSignature);
}

function signatureSync(file: string): string {
  try {
    return formatSignature(statSync(file, { bigint: true }));
  } catch (err) {
    return missingSignature(err);
  }
}

const formatSignature = (s: BigIntStats): string => `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
const missingSignature = (err: unknown): string => `missing:${(err as NodeJS.ErrnoException).code ?? ''}`;
