import { readCappedFile } from './readCappedFile';

/** A token file holds one token; more than this is surely the wrong file. */
export const MAX_TOKEN_FILE_BYTES = 4096;

/** A token, or a problem that names the file (`token file /x/read.token is empty`) but never its content. */
export type TokenRead = { ok: true; token: string } | { ok: false; problem: string };

/** Visible ASCII without spaces: what an HTTP `Authorization: Bearer` value may carry safely. */
export function isToken(s: string): boolean {
  return /^[\x21-\x7e]+$/.test(s);
}

/**
 * Reads a token file: must exist, be a readable regular file of at most 4 KiB and hold one
 * token (surrounding whitespace, such as the final newline, is trimmed).
 */
export async function readTokenFile(path: string): Promise<TokenRead> {
  const read = await readCappedFile(path, MAX_TOKEN_FILE_BYTES);
  if (!read.ok) {
    const hint = read.problem.startsWith('is larger') ? '; it should hold one token' : '';
    return { ok: false, problem: `token file ${path} ${read.problem}${hint}` };
  }
  const token = read.text.trim();
  if (token === '') return { ok: false, problem: `token file ${path} is empty` };
  if (!isToken(token)) return { ok: false, problem: `token file ${path} holds spaces, line breaks or non-ASCII characters; it should hold one token` };
  return { ok: true, token };
}
