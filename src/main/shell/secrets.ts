import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { safeStorage } from 'electron';
import { z } from 'zod';
import type { Result } from '../../shared/api';

/**
 * Secrets (e.g. a Prometheus bearer token) kept in the main process only, encrypted
 * with the OS keychain through `safeStorage` in one file in userData (mode 0600). No
 * operation of the console API returns a secret: the renderer never sees one.
 *
 * Uses the async safeStorage calls: the sync ones are deprecated as of Electron 45 and
 * both read the same ciphertext.
 */

/** A secret's name: short, plain, usable as a JSON key. */
export const secretNameSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, 'a name is 1–64 letters, digits, ".", "_" or "-"');
/** Tokens are short; a cap keeps the file small and a paste accident out. */
export const MAX_SECRET_CHARS = 8192;
const MAX_FILE_BYTES = 1024 * 1024;

const fileSchema = z.object({ version: z.literal(1), secrets: z.record(z.string(), z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/)) }).strict();
type SecretFile = z.infer<typeof fileSchema>;

/** The parts of Electron's safeStorage the store uses (the real one in the app). */
export type SafeStorageLike = Pick<typeof safeStorage, 'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync' | 'getSelectedStorageBackend'>;

export class SecretStore {
  constructor(
    private readonly file: string,
    private readonly storage: SafeStorageLike = safeStorage,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  /**
   * Encrypts and saves `value` under `name`. Refused (nothing written) when the OS
   * offers no real encryption: never stored as plain text.
   */
  async set(name: string, value: string): Promise<Result<null>> {
    const bad = checkName(name);
    if (bad) return bad;
    if (value.length === 0 || value.length > MAX_SECRET_CHARS) return { ok: false, code: 'invalid', message: `secret "${name}": must be 1–${MAX_SECRET_CHARS} characters` };
    const unavailable = await this.encryptionProblem();
    if (unavailable) return { ok: false, code: 'unavailable', message: `cannot save secret "${name}": ${unavailable}` };
    const current = this.read();
    if (!current.ok) return current;
    let cipher: Buffer;
    try {
      cipher = await this.storage.encryptStringAsync(value);
    } catch (err) {
      return { ok: false, code: 'unavailable', message: `cannot encrypt secret "${name}": ${(err as Error).message}` };
    }
    return this.write({ version: 1, secrets: { ...current.value.secrets, [name]: cipher.toString('base64') } });
  }

  /** The secret saved under `name`, or null when there is none. */
  async get(name: string): Promise<Result<string | null>> {
    const bad = checkName(name);
    if (bad) return bad;
    const current = this.read();
    if (!current.ok) return current;
    const stored = Object.hasOwn(current.value.secrets, name) ? current.value.secrets[name] : undefined;
    if (stored === undefined) return { ok: true, value: null };
    try {
      const { result, shouldReEncrypt } = await this.storage.decryptStringAsync(Buffer.from(stored, 'base64'));
      // The OS rotated its key: store the secret again under the new one.
      if (shouldReEncrypt) await this.set(name, result);
      return { ok: true, value: result };
    } catch (err) {
      return { ok: false, code: 'unavailable', message: `cannot decrypt secret "${name}" (the OS key may have changed): ${(err as Error).message}` };
    }
  }

  /** Forgets the secret saved under `name` (no error if there was none). */
  async delete(name: string): Promise<Result<null>> {
    const bad = checkName(name);
    if (bad) return bad;
    const current = this.read();
    if (!current.ok) return current;
    if (!Object.hasOwn(current.value.secrets, name)) return { ok: true, value: null };
    const secrets = { ...current.value.secrets };
    delete secrets[name];
    return this.write({ version: 1, secrets });
  }

  /** Why encryption cannot be trusted here, or null when it can. */
  private async encryptionProblem(): Promise<string | null> {
    if (!(await this.storage.isAsyncEncryptionAvailable())) return 'the OS offers no encryption to safeStorage (no keychain or secret service)';
    // Linux without a secret service falls back to a hard-coded key: plain text in effect.
    if (this.platform === 'linux' && this.storage.getSelectedStorageBackend() === 'basic_text') {
      return 'no secret service (gnome-libsecret or kwallet) is available, and basic_text is not encryption';
    }
    return null;
  }

  /** The file's content; a missing file is empty, a corrupt one an error (so a save cannot wipe other secrets). */
  private read(): Result<SecretFile> {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, value: { version: 1, secrets: {} } };
      return { ok: false, code: 'unavailable', message: `cannot read ${this.file}: ${(err as Error).message}` };
    }
    if (text.length > MAX_FILE_BYTES) return { ok: false, code: 'internal', message: `${this.file} is larger than ${MAX_FILE_BYTES} bytes; not a secrets file` };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, code: 'internal', message: `${this.file} is not JSON; move it away to start afresh` };
    }
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) return { ok: false, code: 'internal', message: `${this.file} is not a secrets file (${parsed.error.issues[0]?.message ?? 'invalid'})` };
    return { ok: true, value: parsed.data };
  }

  private write(content: SecretFile): Result<null> {
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, `${JSON.stringify(content)}\n`, { mode: 0o600 });
      chmodSync(tmp, 0o600); // the umask cannot widen it, and an old tmp file gets the right mode too
      renameSync(tmp, this.file);
      return { ok: true, value: null };
    } catch (err) {
      return { ok: false, code: 'unavailable', message: `cannot write ${this.file}: ${(err as Error).message}` };
    }
  }
}

function checkName(name: string): Result<never> | null {
  const parsed = secretNameSchema.safeParse(name);
  return parsed.success ? null : { ok: false, code: 'invalid', message: `secret name: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
}
