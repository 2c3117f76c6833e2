import { randomUUID } from 'node:crypto';
import type { Ingest } from '../ingest/ingest';
import { waitBack, waitDrained } from './actionFollower';
import type { FollowContext, FollowResult } from './actionFollower';
import type { ActionRecord, ActionState, ActionStep } from './actionTypes';
import { callAdmin } from './adminClient';
import type { AdminClientOptions } from './adminClient';

/** One action under way: its record, how to stop following it, and why (an operator's abort, or none: a shutdown). */
export interface Execution {
  record: ActionRecord;
  controller: AbortController;
  abortReason: string | null;
  comeBackTimeoutMs: number;
}

export interface ExecHost {
  ingest: Ingest;
  admin: AdminClientOptions;
  /** A drain not reported done this long after its deadline has failed. */
  drainGraceMs: number;
  step(r: ActionRecord, what: string, detail?: ActionStep['detail']): void;
  emit(r: ActionRecord): void;
}

/** How an execution ended; `interrupted`: the console stopped following, the node carries on. */
export type ExecOutcome = { state: Exclude<ActionState, 'previewed' | 'refused' | 'running'> | 'interrupted'; error: string | null };

/**
 * Sends the action to the node (one request id, retried within bounds) and follows it to its
 * end: drained; back with a new boot id and serving; or, for an undrain, the answer itself.
 */
export async function executeAction(h: ExecHost, e: Execution): Promise<ExecOutcome> {
  const r = e.record;
  const target = h.ingest.nodes.get(r.node)?.target;
  if (!target) return { state: 'failed', error: `${r.node} left the inventory before the ${r.kind} was sent` };
  const body = r.kind === 'undrain' ? { requestId: r.requestId } : { requestId: r.requestId, deadlineSeconds: r.params.deadlineSeconds, disconnectRatePerSecond: r.params.disconnectRatePerSecond };
  h.step(r, `POST /admin/${r.kind}`, { requestId: r.requestId });
  const a = await callAdmin(target, r.kind, body, h.admin, e.controller.signal);
  if (!a.ok) {
    if (a.code === 'cancelled') return cancelled(h, e);
    // No answer is not "nothing happened": ask the node where it stands, for the operator.
    if (a.code === 'timeout' || a.code === 'unreachable' || a.code === 'http') {
      const s = await callAdmin(target, 'status', null, { ...h.admin, attempts: 1 });
      if (s.ok) return { state: 'failed', error: `${a.message}; ${r.node} now reports ${s.status.state}${s.status.state === 'serving' ? '' : ': the request may have reached it'}` };
    }
    return { state: 'failed', error: a.message };
  }
  const total = a.status.connections.ws + a.status.connections.sse + a.status.connections.longpoll;
  h.step(r, `accepted (HTTP ${a.httpStatus}${a.replayed ? ', replay of the first answer' : ''}${a.attempts > 1 ? `, after ${a.attempts} tries` : ''})`, { state: a.status.state, connections: total, bootId: a.status.bootId });
  if (r.kind === 'undrain') {
    return a.status.state === 'serving' ? { state: 'succeeded', error: null } : { state: 'failed', error: `${r.node} accepted the undrain but reports ${a.status.state}` };
  }
  // The answer comes from the process that will restart: its boot id is the one to see replaced.
  if (r.kind === 'restart') r.bootIdBefore = a.status.bootId;
  const ctx: FollowContext = {
    target, model: () => h.ingest.nodes.get(r.node), admin: h.admin, signal: e.controller.signal, requestedRate: r.params.disconnectRatePerSecond,
    onProgress: (p) => {
      r.progress = p;
      h.emit(r);
    },
    onObserved: (o) => h.step(r, `${r.node} ${o.state ?? 'state unknown'} (boot ${o.bootId ?? '?'}, seen via ${o.source})`),
  };
  const deadlineMs = r.params.deadlineSeconds * 1000;
  let f: FollowResult;
  if (r.kind === 'drain') f = await waitDrained(ctx, Date.now() + deadlineMs + h.drainGraceMs);
  else f = await waitBack(ctx, r.bootIdBefore, Date.now() + deadlineMs + e.comeBackTimeoutMs);
  if (!f.ok) return f.cancelled ? cancelled(h, e) : { state: 'failed', error: f.message };
  if (r.kind === 'restart') r.bootIdAfter = f.bootId;
  if (r.progress) r.progress = { ...r.progress, remaining: 0, etaSeconds: 0 };
  return { state: 'succeeded', error: null };
}

/** Following stopped: an operator's abort (the node is undrained) or a console shutdown (the node carries on). */
async function cancelled(h: ExecHost, e: Execution): Promise<ExecOutcome> {
  const r = e.record;
  if (e.abortReason === null) {
    h.step(r, 'the console stopped following; the node carries on by itself');
    return { state: 'interrupted', error: null };
  }
  h.step(r, `abort asked: ${e.abortReason}`);
  const target = h.ingest.nodes.get(r.node)?.target;
  if (!target) return { state: 'aborted', error: `aborted, but ${r.node} left the inventory: it was not undrained` };
  // Undoing is a new intent: a new request id.
  const a = await callAdmin(target, 'undrain', { requestId: randomUUID() }, h.admin);
  if (!a.ok) return { state: 'aborted', error: `aborted, but the undrain failed: ${a.message}` };
  h.step(r, `undrained: ${r.node} accepts clients again`, { state: a.status.state });
  return { state: 'aborted', error: null };
}
