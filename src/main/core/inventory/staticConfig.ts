import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { FileWatcher } from './fileWatcher';
import type { FileWatcherOptions } from './fileWatcher';
import { inventoryError } from './inventoryError';
import type { InventoryLoad, InventorySource } from './inventorySource';
import { LABEL_NAME, isCredentialLabel } from './publicLabels';
import { isTargetId, parseOpsUrl } from './parseOpsUrl';
import { parseJsonText } from './parseJsonText';
import { readCappedFile } from './readCappedFile';
import { ReloadingSource } from './reloadingSource';
import { schemaProblem } from './schemaProblem';
import type { Target } from './target';
import { readTokenFile } from './readTokenFile';
import type { TokenRead } from './readTokenFile';

/** A static config larger than this is not a hand-written target list. */
export const MAX_STATIC_CONFIG_BYTES = 4 * 1024 * 1024;

const labelName = z
  .string()
  .regex(LABEL_NAME, 'is not a valid label name (letters, digits and _, not starting with a digit)')
  .refine((n) => !n.startsWith('__'), 'is reserved: label names starting with __ are Prometheus-internal')
  .refine((n) => !isCredentialLabel(n), 'looks like a credential; labels are shown in the UI, so give tokens in readTokenFile or adminTokenFile');

const tokenPath = z.string().min(1, 'must not be empty');

const opsUrl = z.string().superRefine((s, ctx) => {
  const parsed = parseOpsUrl(s);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem });
});

const staticTargetSchema = z.strictObject({
  id: z.string().refine(isTargetId, 'must be 1 to 128 characters without spaces or control characters'),
  opsUrl,
  labels: z.record(labelName, z.string()).optional(),
  readTokenFile: tokenPath.optional(),
  adminTokenFile: tokenPath.optional(),
});

/**
 * The static config file the user writes. Token file paths are relative to the config
 * file's folder; the top-level ones are defaults for every target.
 */
export const staticConfigSchema = z.strictObject({
  targets: z.array(staticTargetSchema),
  readTokenFile: tokenPath.optional(),
  adminTokenFile: tokenPath.optional(),
});

/** The static config file, as written (before token files are read). */
export type StaticConfig = z.infer<typeof staticConfigSchema>;

const layout = {
  entriesAt: ['targets'],
  fieldsAt: (path: readonly PropertyKey[]) => Object.keys(path.length === 0 ? staticConfigSchema.shape : staticTargetSchema.shape),
};

type TokenField = 'readTokenFile' | 'adminTokenFile';

/**
 * Loads a static config: strict validation (unknown fields, http(s)://host:port ops URLs,
 * unique ids and ops URLs, readable one-token files), then one Target per entry.
 * The first problem found is the error; nothing is half-loaded.
 */
export async function loadStaticConfig(file: string): Promise<InventoryLoad> {
  const watch: string[] = [];
  const fail = (entry: number | null, field: string | null, problem: string): InventoryLoad => ({
    ok: false,
    error: inventoryError(file, entry, field, problem),
    watch,
  });

  const read = await readCappedFile(file, MAX_STATIC_CONFIG_BYTES);
  if (!read.ok) return fail(null, null, `file ${read.problem}`);
  if (read.text.trim() === '') return fail(null, null, 'file is empty');
  const json = parseJsonText(read.text);
  if (!json.ok) return fail(null, null, json.problem);
  const parsed = staticConfigSchema.safeParse(json.value);
  if (!parsed.success) {
    const p = schemaProblem(parsed.error, json.value, layout);
    return fail(p.entry, p.field, p.problem);
  }
  const cfg = parsed.data;

  const urls: string[] = [];
  const byId = new Map<string, number>();
  const byUrl = new Map<string, number>();
  for (const [i, t] of cfg.targets.entries()) {
    const url = parseOpsUrl(t.opsUrl);
    if (!url.ok) return fail(i, 'opsUrl', url.problem); // already checked by the schema
    const sameId = byId.get(t.id);
    if (sameId !== undefined) return fail(i, 'id', `duplicate id "${t.id}", also used by entry ${sameId}`);
    const sameUrl = byUrl.get(url.url);
    if (sameUrl !== undefined) return fail(i, 'opsUrl', `duplicate ops URL ${url.url}, also used by entry ${sameUrl}`);
    byId.set(t.id, i);
    byUrl.set(url.url, i);
    urls.push(url.url);
  }

  // Every token file named is watched, read or not yet readable: creating it fixes the error.
  const dir = dirname(file);
  const at = (p: string | undefined) => (p === undefined ? undefined : resolve(dir, p));
  for (const owner of [cfg, ...cfg.targets]) for (const f of [at(owner.readTokenFile), at(owner.adminTokenFile)]) if (f) watch.push(f);
  const reads = new Map<string, Promise<TokenRead>>();
  const token = async (path: string | undefined): Promise<TokenRead | null> => {
    if (path === undefined) return null;
    let pending = reads.get(path);
    if (!pending) {
      pending = readTokenFile(path);
      reads.set(path, pending);
    }
    return pending;
  };

  const defaults: Record<TokenField, string | null> = { readTokenFile: null, adminTokenFile: null };
  for (const field of ['readTokenFile', 'adminTokenFile'] as const) {
    const r = await token(at(cfg[field]));
    if (r && !r.ok) return fail(null, field, r.problem);
    defaults[field] = r ? r.token : null;
  }

  const targets: Target[] = [];
  for (const [i, t] of cfg.targets.entries()) {
    const own: Record<TokenField, string | null> = { ...defaults };
    for (const field of ['readTokenFile', 'adminTokenFile'] as const) {
      const r = await token(at(t[field]));
      if (r && !r.ok) return fail(i, field, r.problem);
      if (r) own[field] = r.token;
    }
    targets.push({ id: t.id, opsUrl: urls[i], labels: { ...t.labels }, readToken: own.readTokenFile, adminToken: own.adminTokenFile, source: `${file} entry ${i}` });
  }
  return { ok: true, targets, warnings: [], watch };
}

/** A static config file as an {@link InventorySource}: loaded on start and again whenever it or a token file it names changes. */
export function staticConfigSource(file: string, opts: FileWatcherOptions = {}): InventorySource {
  const abs = resolve(file);
  return new ReloadingSource(abs, () => loadStaticConfig(abs), new FileWatcher([abs], opts));
}
