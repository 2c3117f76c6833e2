import { readFileSync, statSync } from 'node:fs';
import { UsageError } from './usageError';

/**
 * Reads a token from a file (trimmed) or, failing that, from an environment variable.
 * Tokens never come from the command line, where `ps` would show them.
 */
export function readToken(file: string | undefined, envName: string, what: string): string | null {
  if (file) {
    let text: string;
    try {
      if (statSync(file).size > 4096) throw new UsageError(`${what} file ${file} is larger than 4 KiB; it should hold one token`);
      text = readFileSync(file, 'utf8').trim();
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`cannot read ${what} file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    if (!text) throw new UsageError(`${what} file ${file} is empty`);
    return text;
  }
  const env = process.env[envName]?.trim();
  return env ? env : null;
}
