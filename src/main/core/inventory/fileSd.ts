import { resolve } from 'node:path';
import { z } from 'zod';
import { credentialsPathFor } from '../../../shared/fleetFile';
import type { FleetCredentials } from '../../../shared/fleetFile';
import { FileWatcher } from './fileWatcher';
import type { FileWatcherOptions } from './fileWatcher';
import { readFleetCredentials } from './readFleetCredentials';
import { describeLocation, inventoryError } from './inventoryError';
import type { InventoryLoad, InventorySource } from './inventorySource';
import { LABEL_NAME, publicLabels } from './publicLabels';
import { hostPortUrl, isTargetId } from './parseOpsUrl';
import { parseJsonText } from './parseJsonText';
import { readCappedFile } from './readCappedFile';
import { ReloadingSource } from './reloadingSource';
import { schemaProblem } from './schemaProblem';
import type { Target } from './target';
import { readTokenFile } from './readTokenFile';

/** Token files that apply to every target of a file_sd file (paths relative to the working directory). */
export interface FileSdOptions {
  readTokenFile?: string;
  adminTokenFile?: string;
}

/** Generous for thousands of targets; a bigger file is not a target list. */
export const MAX_FILE_SD_BYTES = 16 * 1024 * 1024;

/** Prometheus' file_sd format: a list of target groups. Unknown group fields are ignored (as Prometheus does) with a warning. */
export const fileSdSchema = z.array(
  z.looseObject({
    targets: z.array(z.string()),
    labels: z.record(z.string().regex(LABEL_NAME, 'is not a valid label name (letters, digits and _, not starting with a digit)'), z.string()).nullish(),
  }),
);

const layout = { entriesAt: [], fieldsAt: () => ['targets', 'labels'] };

/**
 * Loads a Prometheus file_sd JSON file: one Target per `host:port`, id = the group's
 * `node_id` label or else `host:port`, scheme from `__scheme__` (default http).
 *
 * Credentials never come from labels: credential-like labels are dropped with a warning.
 * Tokens come from the option token files when given, else from the credentials file
 * beside the file_sd file (`credentialsPathFor`, as the demo writes it). A missing
 * credentials file is not an error (a user's own file_sd has none): the tokens it would
 * give are null and a warning says so. A credentials file that exists but is broken is an
 * error. Duplicate targets or ids, bad `host:port`, bad JSON or shape are errors.
 */
export async function loadFileSd(file: string, opts: FileSdOptions = {}): Promise<InventoryLoad> {
  const credFile = credentialsPathFor(file);
  const readPath = opts.readTokenFile === undefined ? undefined : resolve(opts.readTokenFile);
  const adminPath = opts.adminTokenFile === undefined ? undefined : resolve(opts.adminTokenFile);
  const watch = [credFile, ...[readPath, adminPath].filter((p): p is string => p !== undefined)];
  const fail = (entry: number | null, field: string | null, problem: string): InventoryLoad => ({
    ok: false,
    error: inventoryError(file, entry, field, problem),
    watch,
  });

  const read = await readCappedFile(file, MAX_FILE_SD_BYTES);
  if (!read.ok) return fail(null, null, `file ${read.problem}`);
  if (read.text.trim() === '') return fail(null, null, 'file is empty');
  const json = parseJsonText(read.text);
  if (!json.ok) return fail(null, null, json.problem);
  const parsed = fileSdSchema.safeParse(json.value);
  if (!parsed.success) {
    const p = schemaProblem(parsed.error, json.value, layout);
    return fail(p.entry, p.field, p.problem);
  }

  const warnings: string[] = [];
  const targets: Target[] = [];
  const byHostPort = new Map<string, string>();
  const byId = new Map<string, string>();
  for (const [g, group] of parsed.data.entries()) {
    for (const key of Object.keys(group)) {
      if (key !== 'targets' && key !== 'labels') warnings.push(`${describeLocation(file, g, key)}: unknown field, ignored`);
    }
    const labels = group.labels ?? {};
    const scheme = labels.__scheme__ ?? 'http';
    if (scheme !== 'http' && scheme !== 'https') return fail(g, 'labels.__scheme__', 'must be http or https');
    const nodeId = labels.node_id;
    if (nodeId !== undefined && !isTargetId(nodeId)) return fail(g, 'labels.node_id', 'must be 1 to 128 characters without spaces or control characters');
    const shown = publicLabels(labels);
    for (const name of shown.dropped) {
      warnings.push(`${describeLocation(file, g, `labels.${name}`)}: label looks like a credential and was dropped; tokens come only from ${credFile} or token files`);
    }
    for (const [j, hostPort] of group.targets.entries()) {
      const field = `targets[${j}]`;
      const url = hostPortUrl(hostPort, scheme);
      if (!url.ok) return fail(g, field, url.problem);
      const where = `entry ${g} ${field}`;
      const normalized = url.url.slice(url.url.indexOf('//') + 2);
      const sameTarget = byHostPort.get(normalized);
      if (sameTarget !== undefined) return fail(g, field, `duplicate target ${normalized}, also in ${sameTarget}`);
      const id = nodeId ?? normalized;
      const sameId = byId.get(id);
      if (sameId !== undefined) return fail(g, nodeId === undefined ? field : 'labels.node_id', `duplicate id "${id}" (${field}), also used by ${sameId}`);
      byHostPort.set(normalized, where);
      byId.set(id, where);
      targets.push({ id, opsUrl: url.url, labels: { ...shown.labels }, readToken: null, adminToken: null, source: `${file} ${where}` });
    }
  }

  const tokens: { read: string | null; admin: string | null } = { read: null, admin: null };
  for (const [key, path, option] of [['read', readPath, 'readTokenFile'], ['admin', adminPath, 'adminTokenFile']] as const) {
    if (path === undefined) continue;
    const r = await readTokenFile(path);
    if (!r.ok) return fail(null, null, `${option} option: ${r.problem}`);
    tokens[key] = r.token;
  }
  if (tokens.read === null || tokens.admin === null) {
    const creds = await readFleetCredentials(credFile);
    if (!creds.ok) return { ok: false, error: creds.error, watch };
    fillFrom(tokens, creds.credentials);
    if (creds.credentials === null) {
      const lacking = [tokens.read === null ? 'read token' : null, tokens.admin === null ? 'admin token' : null].filter((x) => x !== null);
      warnings.push(`${file}: no credentials file ${credFile}; targets have no ${lacking.join(' and no ')}`);
    }
  }
  for (const t of targets) {
    t.readToken = tokens.read;
    t.adminToken = tokens.admin;
  }
  return { ok: true, targets, warnings, watch };
}

function fillFrom(tokens: { read: string | null; admin: string | null }, creds: FleetCredentials | null): void {
  if (creds === null) return;
  tokens.read ??= creds.readToken;
  tokens.admin ??= creds.adminToken;
}

/**
 * A file_sd file as an {@link InventorySource}: reloaded when it, its credentials file or
 * an option token file changes (directory watch, 100 ms debounce, 2 s stat poll).
 */
export function fileSdSource(file: string, opts: FileSdOptions & FileWatcherOptions = {}): InventorySource {
  const abs = resolve(file);
  const paths = [abs, credentialsPathFor(abs), opts.readTokenFile, opts.adminTokenFile].filter((p): p is string => p !== undefined);
  return new ReloadingSource(abs, () => loadFileSd(abs, opts), new FileWatcher(paths, opts));
}
