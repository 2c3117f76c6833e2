import type { ShellLogger } from '../../../src/main/shell/shellLogger';

/** A logger that keeps its lines, level first (`warn: …`), for assertions. */
export function recordingLog(): ShellLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (msg) => void lines.push(`info: ${msg}`),
    warn: (msg) => void lines.push(`warn: ${msg}`),
    error: (msg) => void lines.push(`error: ${msg}`),
  };
}
