import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import type { ShellLogger } from './shellLogger';

/** The settings file inside Electron's userData folder. */
export const SETTINGS_FILE = 'settings.json';

const httpUrl = z
  .string()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without credentials');
const absolutePath = z.string().min(1).max(4096).refine(isAbsolute, 'must be an absolute path');

/**
 * The desktop app's settings. Prometheus mode: the server, a token file (its path: the
 * token itself never enters this file), and the metric profile (`contract`,
 * `centrifugo`, or an absolute path to a profile file).
 */
export const shellSettingsSchema = z
  .object({
    prometheus: z
      .object({
        url: httpUrl,
        tokenFile: absolutePath.optional(),
        profile: z.union([z.enum(['contract', 'centrifugo']), absolutePath]).default('contract'),
        job: z.string().min(1).max(200).optional(),
        intervalSeconds: z.number().int().min(1).max(300).optional(),
      })
      .strict()
      .nullable()
      .default(null),
  })
  .strict();
export type ShellSettings = z.infer<typeof shellSettingsSchema>;

export const DEFAULT_SETTINGS: ShellSettings = { prometheus: null };

/** A settings file is a few hundred bytes; anything larger is not ours. */
const MAX_SETTINGS_BYTES = 64 * 1024;

export function settingsFile(userData: string): string {
  return join(userData, SETTINGS_FILE);
}

/**
 * Reads the settings, or the defaults when there are none or they are unusable: a corrupt
 * or foreign file is ignored with a log line naming the field at fault, never fatal.
 */
export function loadShellSettings(file: string, log: ShellLogger): ShellSettings {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn(`settings: cannot read ${file}: ${(err as Error).message}`);
    return DEFAULT_SETTINGS;
  }
  if (text.length > MAX_SETTINGS_BYTES) {
    log.warn(`settings: ignoring ${file}: larger than ${MAX_SETTINGS_BYTES} bytes`);
    return DEFAULT_SETTINGS;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    log.warn(`settings: ignoring ${file}: not JSON (${(err as Error).message})`);
    return DEFAULT_SETTINGS;
  }
  const parsed = shellSettingsSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    log.warn(`settings: ignoring ${file}: ${i ? `${i.path.map(String).join('.') || 'settings'}: ${i.message}` : 'invalid'}`);
    return DEFAULT_SETTINGS;
  }
  return parsed.data;
}

/**
 * Checks and writes the settings atomically (owner-only; a crash mid-write leaves the old
 * file). Returns an error message naming the field instead of writing bad settings.
 */
export function saveShellSettings(file: string, settings: unknown): { ok: true; value: ShellSettings } | { ok: false; message: string } {
  const parsed = shellSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return { ok: false, message: i ? `${i.path.map(String).join('.') || 'settings'}: ${i.message}` : 'invalid settings' };
  }
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(parsed.data, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, file);
  } catch (err) {
    return { ok: false, message: `cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
  return { ok: true, value: parsed.data };
}
