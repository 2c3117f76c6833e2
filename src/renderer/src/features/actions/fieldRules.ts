/** Rules of the fields of the action dialogs, the same the API applies (see src/shared/actions.ts). */

/** A number typed in a field: empty = the default (undefined), else a positive finite number or an error to show. */
export function parsePositive(text: string, what: string, max: number): { ok: true; value: number | undefined } | { ok: false; message: string } {
  const t = text.trim();
  if (t === '') return { ok: true, value: undefined };
  const n = Number(t);
  if (!Number.isFinite(n) || n <= 0) return { ok: false, message: `${what}: a number above 0` };
  if (n > max) return { ok: false, message: `${what}: at most ${max.toLocaleString('en-US')}` };
  return { ok: true, value: n };
}

/** What a preview is asked with before the operator wrote a reason (the preview is neither sent nor audited). */
export const PREVIEW_REASON = 'preview before confirmation';

/** The reason rule of the API: at least 3 characters once trimmed. */
export const reasonOk = (r: string): boolean => r.trim().length >= 3;
