import type { ActionRecord } from './actionTypes';
import type { AuditEntry } from './auditLog';

/**
 * The audit record of an action at one point of its life: `started` and `refused` carry the
 * preview (what the guard rails saw and said), the end carries the result (steps with
 * times, progress, boot ids) and the duration.
 */
export function actionAuditEntry(r: ActionRecord, outcome: string): AuditEntry {
  const ended = outcome !== 'started';
  return {
    action: r.kind, outcome, actionId: r.id, nodes: [r.node],
    params: { ...r.params, requestId: r.requestId, force: r.force, rolloutId: r.rolloutId },
    reason: r.reason, forced: r.preview.forced,
    preview: outcome === 'started' || outcome === 'refused' ? r.preview : undefined,
    result: ended ? { state: r.state, steps: r.steps, progress: r.progress, bootIdBefore: r.bootIdBefore, bootIdAfter: r.bootIdAfter } : undefined,
    error: r.error, startedAt: r.startedAt, finishedAt: r.finishedAt,
    durationMs: r.finishedAt === null ? null : r.finishedAt - r.startedAt,
  };
}
