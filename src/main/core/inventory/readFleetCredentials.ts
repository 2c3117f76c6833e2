import { z } from 'zod';
import type { FleetCredentials } from '../../../shared/fleetFile';
import { inventoryError } from './inventoryError';
import type { InventoryError } from './inventorySource';
import { parseJsonText } from './parseJsonText';
import { readCappedFile } from './readCappedFile';
import { schemaProblem } from './schemaProblem';
import { isToken } from './readTokenFile';

/** Two tokens and some whitespace; anything bigger is not a credentials file. */
export const MAX_CREDENTIALS_BYTES = 64 * 1024;

const token = z.string().min(1, 'must not be empty').refine(isToken, 'must be one token: visible ASCII without spaces');

/** The credentials file the demo writes beside a file_sd file (other fields are ignored). */
export const fleetCredentialsSchema = z.object({ readToken: token, adminToken: token });

/** The tokens, null when the file does not exist, or what is wrong with it. */
export type CredentialsRead = { ok: true; credentials: FleetCredentials | null } | { ok: false; error: InventoryError };

/**
 * Reads a fleet credentials file (`{ "readToken": "…", "adminToken": "…" }`). A missing file
 * is not an error (a user's own file_sd has none); a present but broken one is. Messages
 * never quote the file's text.
 */
export async function readFleetCredentials(file: string): Promise<CredentialsRead> {
  const fail = (field: string | null, problem: string): CredentialsRead => ({ ok: false, error: inventoryError(file, null, field, problem) });
  const read = await readCappedFile(file, MAX_CREDENTIALS_BYTES);
  if (!read.ok) return read.missing ? { ok: true, credentials: null } : fail(null, `credentials file ${read.problem}`);
  if (read.text.trim() === '') return fail(null, 'credentials file is empty');
  const json = parseJsonText(read.text);
  if (!json.ok) return fail(null, `credentials file is ${json.problem}`);
  const parsed = fleetCredentialsSchema.safeParse(json.value);
  if (!parsed.success) {
    const p = schemaProblem(parsed.error, json.value, { entriesAt: ['-'], fieldsAt: () => ['readToken', 'adminToken'] });
    return fail(p.field, p.problem);
  }
  return { ok: true, credentials: { readToken: parsed.data.readToken, adminToken: parsed.data.adminToken } };
}
