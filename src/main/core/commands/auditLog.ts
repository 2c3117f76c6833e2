import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { dirname } from 'node:path';
import type { AuditEntry, AuditRecord } from '../../../shared/actions';

/**
 * The audit log: append-only JSON lines, one record per action and outcome. Each record
 * carries `prevHash` (sha256 of the previous line's exact bytes; 64 zeros for the first) and
 * its own `hash` (sha256 of the line's bytes up to the hash field, see {@link hashedLine}),
 * so any edit, insertion or removal of a line breaks the chain where it happened.
 *
 * Appends are serialized (one writer per log in this process, a lock file across
 * processes), written with a single `write` of the whole line and fsync'ed before the
 * append resolves: an action is only reported as recorded once the record is on disk.
 */
export type { AuditEntry, AuditRecord } from '../../../shared/actions';

export type AuditVerdict =
  | { ok: true; records: number; lastHash: string }
  | { ok: false; line: number; reason: string };

export const GENESIS_HASH = '0'.repeat(64);
/** `,"hash":"<64 hex>"}` closes every line. */
const HASH_SUFFIX = /,"hash":"([0-9a-f]{64})"\}$/;
const SUFFIX_BYTES = 75;
const LOCK_WAIT_MS = 5000;
/** A lock file older than this was left by a writer that died (an append takes milliseconds). */
const LOCK_STALE_MS = 10_000;

/** Who is acting: the OS user running the console. */
export function currentActor(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? `uid:${process.getuid?.() ?? '?'}`;
  }
}

const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/** The line for a record body (JSON with prevHash, without hash): the body with its hash appended as the last field. */
export function hashedLine(bodyJson: string): { line: string; hash: string } {
  const hash = sha256(Buffer.from(bodyJson, 'utf8'));
  return { line: `${bodyJson.slice(0, -1)},"hash":"${hash}"}`, hash };
}

export class AuditLog {
  private queue: Promise<unknown> = Promise.resolve();
  /** Size of the file after our last append and that line's hash: skips re-reading the tail. */
  private tail: { size: number; hash: string } | null = null;

  constructor(readonly file: string, readonly actor: string = currentActor()) {}

  /** Appends one record; resolves once it is fsync'ed. Rejects (and writes nothing) on I/O errors. */
  append(entry: AuditEntry): Promise<AuditRecord> {
    const run = this.queue.then(() => withLock(`${this.file}.lock`, () => this.write(entry)));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async write(entry: AuditEntry): Promise<AuditRecord> {
    const fh = await open(this.file, 'a', 0o600);
    try {
      const size = (await fh.stat()).size;
      let prev: { hash: string; terminated: boolean };
      if (this.tail && this.tail.size === size) prev = { hash: this.tail.hash, terminated: true };
      else prev = await lastLineHash(this.file, size);
      const now = new Date();
      const body = { v: 1 as const, ts: now.toISOString(), actor: this.actor, host: hostname(), pid: process.pid, ...entry, prevHash: prev.hash };
      const { line, hash } = hashedLine(JSON.stringify(body));
      // A torn last line (a writer died mid-write) is ended first, so it stays its own (broken) line.
      const text = `${prev.terminated ? '' : '\n'}${line}\n`;
      await fh.write(text);
      await fh.sync();
      if (size === 0) await syncDir(dirname(this.file));
      // The next record chains to this line's exact bytes (not to its `hash` field).
      this.tail = { size: size + Buffer.byteLength(text), hash: sha256(Buffer.from(line, 'utf8')) };
      return { ...body, hash };
    } finally {
      await fh.close();
    }
  }
}

/** sha256 of the file's last line (genesis for an empty file), and whether the file ends with a line end. */
async function lastLineHash(file: string, size: number): Promise<{ hash: string; terminated: boolean }> {
  if (size === 0) return { hash: GENESIS_HASH, terminated: true };
  const fh = await open(file, 'r');
  try {
    const last = Buffer.alloc(1);
    await fh.read(last, 0, 1, size - 1);
    const terminated = last[0] === 0x0a;
    const end = terminated ? size - 1 : size;
    const parts: Buffer[] = [];
    let pos = end;
    while (pos > 0) {
      const n = Math.min(64 * 1024, pos);
      const chunk = Buffer.alloc(n);
      await fh.read(chunk, 0, n, pos - n);
      const nl = chunk.lastIndexOf(0x0a);
      if (nl >= 0) {
        parts.unshift(chunk.subarray(nl + 1));
        break;
      }
      parts.unshift(chunk);
      pos -= n;
    }
    return { hash: sha256(Buffer.concat(parts)), terminated };
  } finally {
    await fh.close();
  }
}

/**
 * Checks the whole chain. Names the first broken line (1-based) and why: not JSON, not a
 * record, its hash does not match its content (edited), or its prevHash does not match the
 * line before (a line was removed, inserted or edited before it).
 */
export async function verifyAudit(file: string): Promise<AuditVerdict> {
  try {
    await stat(file);
  } catch (err) {
    return { ok: false, line: 0, reason: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}` };
  }
  let expectedPrev = GENESIS_HASH;
  let n = 0;
  for await (const { line, terminated } of lines(file)) {
    n++;
    const problem = checkLine(line, expectedPrev, n);
    if (problem) return { ok: false, line: n, reason: problem };
    if (!terminated) return { ok: false, line: n, reason: 'the line has no line end: a write was cut short' };
    expectedPrev = sha256(line);
  }
  return { ok: true, records: n, lastHash: expectedPrev };
}

function checkLine(line: Buffer, expectedPrev: string, n: number): string | null {
  if (line.length === 0) return 'empty line: a record was blanked out';
  const text = line.toString('utf8');
  let rec: unknown;
  try {
    rec = JSON.parse(text);
  } catch (err) {
    return `not valid JSON (${(err as Error).message.slice(0, 120)}): the line was edited or cut`;
  }
  if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) return 'not an audit record (not a JSON object)';
  const r = rec as { hash?: unknown; prevHash?: unknown };
  if (typeof r.hash !== 'string' || typeof r.prevHash !== 'string') return 'not an audit record: hash or prevHash missing';
  const m = HASH_SUFFIX.exec(text);
  if (!m || m[1] !== r.hash) return 'hash field is not the last field of the line: the record was rewritten';
  const body = Buffer.concat([line.subarray(0, line.length - SUFFIX_BYTES), Buffer.from('}')]);
  const computed = sha256(body);
  if (computed !== r.hash) return `hash mismatch: the record was changed after it was written (stored ${r.hash.slice(0, 12)}…, content hashes to ${computed.slice(0, 12)}…)`;
  if (r.prevHash !== expectedPrev) {
    return n === 1
      ? `prevHash is not the genesis hash (64 zeros): records before this one were removed`
      : `prevHash does not match line ${n - 1}: a record between them was removed or inserted, or line ${n - 1} was replaced`;
  }
  return null;
}

/** The file's lines as exact bytes (no line end), streamed: a large log costs one chunk of memory. */
async function* lines(file: string): AsyncGenerator<{ line: Buffer; terminated: boolean }> {
  let rest = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    let buf = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let nl: number;
    while ((nl = buf.indexOf(0x0a)) >= 0) {
      yield { line: buf.subarray(0, nl), terminated: true };
      buf = buf.subarray(nl + 1);
    }
    rest = Buffer.from(buf);
  }
  if (rest.length > 0) yield { line: rest, terminated: false };
}

async function withLock<T>(lockFile: string, fn: () => Promise<T>): Promise<T> {
  const until = Date.now() + LOCK_WAIT_MS;
  let lock: FileHandle | null = null;
  while (!lock) {
    try {
      lock = await open(lockFile, 'wx', 0o600);
      await lock.write(`${process.pid}\n`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = await stat(lockFile).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > LOCK_STALE_MS) {
        await unlink(lockFile).catch(() => undefined);
        continue;
      }
      if (Date.now() > until) throw new Error(`the audit log is locked by another writer (${lockFile}, ${Math.round(age / 1000)} s old)`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  try {
    return await fn();
  } finally {
    await lock.close();
    await unlink(lockFile).catch(() => undefined);
  }
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r').catch(() => null);
  if (!fh) return;
  await fh.sync().catch(() => undefined);
  await fh.close();
}
