/**
 * A message made safe for one line of output: control characters (line breaks included)
 * become spaces, runs of spaces fold, ends are trimmed. For errors quoted from untrusted
 * answers, which must not break a one-line stderr message or a log line.
 */
export function oneLine(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c < 0x20 || c === 0x7f ? ' ' : s[i];
  }
  return out.replace(/ {2,}/g, ' ').trim();
}
