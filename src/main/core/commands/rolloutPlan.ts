import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { ActionStep, RolloutPlan, RolloutState } from '../../../shared/actions';

export type { NodePhase, RolloutNode, RolloutPlan, RolloutSettings, RolloutState } from '../../../shared/actions';

export const ACTIVE_STATES: readonly RolloutState[] = ['running', 'paused'];
const MAX_STEPS = 300;

const stepSchema = z.object({ at: z.number(), what: z.string(), detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional() });
const planSchema = z.object({
  v: z.literal(1),
  id: z.string().min(1),
  actor: z.string(),
  reason: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  state: z.enum(['running', 'paused', 'succeeded', 'failed', 'aborted', 'abandoned']),
  pauseReason: z.string().nullable(),
  interrupted: z.boolean(),
  settings: z.object({
    order: z.enum(['fewest_connections', 'given']),
    maxUnavailable: z.number().int().min(1),
    deadlineSeconds: z.number().positive(),
    disconnectRatePerSecond: z.number().positive(),
    healthyWindowMs: z.number().min(0),
    maxLagP99Ms: z.number().positive(),
    maxReconnectsPerSec: z.number().positive(),
    comeBackTimeoutMs: z.number().positive(),
    breachForMs: z.number().min(0),
  }),
  nodes: z.array(z.object({
    id: z.string().min(1),
    phase: z.enum(['pending', 'draining', 'restarting', 'settling', 'done']),
    connectionsAtStart: z.number(),
    drainRequestId: z.string().min(1),
    restartRequestId: z.string().min(1),
    drainSent: z.boolean(),
    restartSent: z.boolean(),
    bootIdBefore: z.string().nullable(),
    bootIdAfter: z.string().nullable(),
    startedAt: z.number().nullable(),
    finishedAt: z.number().nullable(),
    actionIds: z.array(z.string()),
  })).min(1),
  steps: z.array(stepSchema),
  owner: z.object({ pid: z.number(), host: z.string() }).nullable(),
});

export type PlanLoad = { ok: true; plan: RolloutPlan | null } | { ok: false; message: string };

/** Reads a state file: null when there is none; a clear message when it is unreadable or not a plan. */
export function loadPlan(file: string): PlanLoad {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, plan: null };
    return { ok: false, message: `cannot read the rollout state file ${file}: ${(err as Error).message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `the rollout state file ${file} is not JSON (${(err as Error).message}); move it away to start afresh` };
  }
  const p = planSchema.safeParse(json);
  if (!p.success) {
    const issue = p.error.issues[0];
    return { ok: false, message: `the rollout state file ${file} is not a rollout plan (${issue ? `${issue.path.join('.') || 'file'}: ${issue.message}` : 'invalid'}); move it away to start afresh` };
  }
  return { ok: true, plan: p.data };
}

/** Writes the plan atomically: a temporary file, fsync'ed, renamed over the old one, then the directory fsync'ed. */
export function savePlan(file: string, plan: RolloutPlan): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(plan, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // the rename's error is the one worth reporting
    }
    throw err;
  }
  try {
    const dfd = openSync(dirname(file), 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Some filesystems cannot fsync a directory; the rename itself is still atomic.
  }
}

export function addStep(plan: RolloutPlan, what: string, detail?: ActionStep['detail']): void {
  plan.steps.push(detail ? { at: Date.now(), what, detail } : { at: Date.now(), what });
  if (plan.steps.length > MAX_STEPS) plan.steps.splice(0, plan.steps.length - MAX_STEPS);
  plan.updatedAt = Date.now();
}

export function thisOwner(): { pid: number; host: string } {
  return { pid: process.pid, host: hostname() };
}

/** Another live console on this host owns the plan (the state file is shared): it must not be taken over. */
export function ownedElsewhere(plan: RolloutPlan): string | null {
  const o = plan.owner;
  if (!o || o.pid === process.pid || o.host !== hostname()) return null;
  try {
    process.kill(o.pid, 0);
    return `rollout ${plan.id} is run by another console (pid ${o.pid} on this host)`;
  } catch {
    return null;
  }
}
