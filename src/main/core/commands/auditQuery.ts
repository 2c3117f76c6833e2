import { open, stat } from 'node:fs/promises';
import type { AuditPage, AuditQuery, AuditRecord } from '../../../shared/actions';
import { auditQuerySchema } from '../../../shared/actions';
import type { Result } from '../../../shared/api';
import { verifyAudit } from './auditLog';

/** The audit view reads at most this much of the log's end (older records stay in the file; `audit verify` reads it all). */
export const AUDIT_TAIL_BYTES = 16 * 1024 * 1024;

/**
 * Audit records matching a query, newest first, and the verdict on the whole chain. A line
 * that is not a record (an edit gone wrong) is skipped here and named by the verdict.
 */
export async function queryAudit(file: string, q: AuditQuery): Promise<Result<AuditPage>> {
  const parsed = auditQuerySchema.safeParse(q);
  if (!parsed.success) return { ok: false, code: 'invalid', message: `getAudit: ${parsed.error.issues[0]?.message ?? 'invalid query'}` };
  const query = parsed.data;
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, value: { file, records: [], matched: 0, total: 0, verdict: { ok: true } } };
    return { ok: false, code: 'unavailable', message: `cannot read the audit log ${file}: ${(err as Error).message}` };
  }
  const from = Math.max(0, size - AUDIT_TAIL_BYTES);
  const fh = await open(file, 'r');
  let text: string;
  try {
    const buf = Buffer.alloc(size - from);
    await fh.read(buf, 0, buf.length, from);
    text = buf.toString('utf8');
  } finally {
    await fh.close();
  }
  const lines = text.split('\n');
  if (from > 0) lines.shift(); // the first line read may be a piece of one
  const records: AuditRecord[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    try {
      const r = JSON.parse(line) as AuditRecord;
      if (r && typeof r === 'object' && typeof r.action === 'string') records.push(r);
    } catch {
      // named by the verdict below
    }
  }
  const text_ = query.text?.toLowerCase();
  const matching = records
    .filter((r) => (!query.node || r.nodes.includes(query.node)) && (!query.actor || r.actor === query.actor) && (!query.action || r.action === query.action) && (!query.outcome || r.outcome === query.outcome))
    .filter((r) => !text_ || [r.reason, r.error ?? '', r.actionId, r.outcome, r.action, ...r.nodes].some((s) => s.toLowerCase().includes(text_)))
    .reverse();
  const v = await verifyAudit(file);
  return {
    ok: true,
    value: { file, records: matching.slice(0, query.limit), matched: matching.length, total: records.length, verdict: v.ok ? { ok: true } : { ok: false, line: v.line, reason: v.reason } },
  };
}
