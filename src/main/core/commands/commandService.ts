import { randomUUID } from 'node:crypto';
import type { RolloutPreview } from '../../../shared/actions';
import type { Result, Severity } from '../../../shared/api';
import type { Ingest } from '../ingest/ingest';
import type { Timeline } from '../signals/timeline';
import { executeAction } from './actionExecutor';
import type { Execution } from './actionExecutor';
import { actionAuditEntry } from './actionAudit';
import { ACTION_DEFAULTS } from './actionTypes';
import type { ActionRecord, ActionState } from './actionTypes';
import { DEFAULT_ADMIN_CLIENT } from './adminClient';
import type { AdminClientOptions } from './adminClient';
import type { AuditLog } from './auditLog';
import { fleetView } from './fleetView';
import type { FleetView } from './fleetView';
import { DEFAULT_POLICY, planAction, previewAction } from './guardRails';
import type { GuardPolicy, PlannedAction } from './guardRails';
import { RolloutController } from './rolloutController';
import type { RolloutPlan } from './rolloutPlan';

export interface CommandServiceOptions {
  /** The console core (or anything with its ingest; the timeline gets an event per action). */
  core: { ingest: Ingest; timeline?: Timeline };
  audit: AuditLog;
  /** Where a rolling restart's plan is kept (atomically rewritten); null = not kept. */
  stateFile?: string | null;
  /** Who acts; default the audit log's actor (the OS user). */
  actor?: string;
  policy?: Partial<GuardPolicy>;
  admin?: Partial<AdminClientOptions>;
  defaults?: Partial<{ deadlineSeconds: number; disconnectRatePerSecond: number }>;
  /** A restarted node must be back within this after its drain deadline. Default 60 s. */
  comeBackTimeoutMs?: number;
  /** A drain not reported done this long after its deadline has failed. Default 15 s. */
  drainGraceMs?: number;
}

/** How an action is run when it is a step of something larger (a rollout). */
export interface ActionContext {
  /** Reuse this request id (the same intent, e.g. after a console restart). */
  requestId?: string;
  rolloutId?: string;
  maxUnavailable?: number;
  /** The intent is already under way: the node may be further along (see PlannedAction). */
  continuing?: boolean;
  comeBackTimeoutMs?: number;
}

export type CommandUpdate = { type: 'action'; action: ActionRecord } | { type: 'rollout'; rollout: RolloutPlan };

interface Running extends Execution {
  done: Promise<ActionRecord>;
}

const KEEP_RECORDS = 500;
/** A preview older than this cannot be confirmed: what the operator saw may no longer hold. */
export const PREVIEW_TTL_MS = 120_000;
const SEVERITY: Record<ActionState, Severity> = { previewed: 'info', refused: 'warning', running: 'info', succeeded: 'info', failed: 'critical', aborted: 'warning' };

/**
 * Drain, undrain and restart of single nodes, and rolling restarts, behind guard rails and
 * an audit log. Every answer is plain JSON (previews, records, plans) and bad input is an
 * error value, so the UI can call this over IPC as the CLI calls it directly. Plain Node.
 */
export class CommandService {
  readonly policy: GuardPolicy;
  readonly actor: string;
  readonly audit: AuditLog;
  readonly rollouts: RolloutController;
  private readonly ingest: Ingest;
  private readonly timeline: Timeline | undefined;
  private readonly admin: AdminClientOptions;
  private readonly defaults: { deadlineSeconds: number; disconnectRatePerSecond: number };
  private readonly comeBackTimeoutMs: number;
  private readonly drainGraceMs: number;
  private readonly records = new Map<string, ActionRecord>();
  private readonly running = new Map<string, Running>();
  /** node id → what acts on it: such nodes count as unavailable and take no other action. */
  private readonly busy = new Map<string, string>();
  private readonly listeners = new Set<(u: CommandUpdate) => void>();
  /** Previewed actions awaiting confirmation. */
  private readonly previews = new Map<string, { action: PlannedAction; ctx: ActionContext; at: number }>();

  constructor(o: CommandServiceOptions) {
    this.ingest = o.core.ingest;
    this.timeline = o.core.timeline;
    this.audit = o.audit;
    this.actor = o.actor ?? o.audit.actor;
    this.policy = { ...DEFAULT_POLICY, ...o.policy };
    this.admin = { ...DEFAULT_ADMIN_CLIENT, ...o.admin };
    this.defaults = { ...ACTION_DEFAULTS, ...o.defaults };
    this.comeBackTimeoutMs = o.comeBackTimeoutMs ?? 60_000;
    this.drainGraceMs = o.drainGraceMs ?? 15_000;
    this.rollouts = new RolloutController(this, o.stateFile ?? null);
  }

  /** The console's view of the fleet now, as the guard rails judge it. */
  view(): FleetView {
    return fleetView(this.ingest);
  }

  /**
   * Dry run: what the action would do and which guard rails pass or fail, as a record in
   * state `previewed` (nothing is sent or audited). {@link confirm} starts exactly that
   * action later, judged again on the fleet as it is then.
   */
  preview(req: unknown, ctx: ActionContext = {}): Result<ActionRecord> {
    const planned = this.plan(req, ctx);
    if (!planned.ok) return planned;
    const r = this.record(planned.value.action, planned.value.reason, ctx, 'previewed');
    this.previews.set(r.id, { action: planned.value.action, ctx, at: Date.now() });
    this.keep(r);
    return { ok: true, value: clone(r) };
  }

  /**
   * Starts a previewed action (same id, same request id). Confirming twice is safe: the
   * second answer is the action as it stands. A preview older than {@link PREVIEW_TTL_MS}
   * must be made again (what the operator saw may no longer hold).
   */
  async confirm(previewId: string): Promise<Result<ActionRecord>> {
    const r = this.records.get(previewId);
    if (!r) return { ok: false, code: 'not_found', message: `no preview ${previewId}` };
    const p = this.previews.get(previewId);
    if (r.state !== 'previewed' || !p) return { ok: true, value: clone(r) };
    const age = Date.now() - p.at;
    if (age > PREVIEW_TTL_MS) return { ok: false, code: 'invalid', message: `the preview is ${Math.round(age / 1000)} s old (at most ${PREVIEW_TTL_MS / 1000} s): preview again, the fleet may have changed` };
    this.previews.delete(previewId);
    return this.begin(r, p.action, p.ctx);
  }

  /**
   * Starts an action: judges it (a refusal is a record in state `refused`, audited), audits
   * the intent, sends it, and follows it in the background. Resolves once it is under way;
   * {@link wait} or {@link onUpdate} give the rest.
   */
  async start(req: unknown, ctx: ActionContext = {}): Promise<Result<ActionRecord>> {
    const planned = this.plan(req, ctx);
    if (!planned.ok) return planned;
    const r = this.record(planned.value.action, planned.value.reason, ctx, 'running');
    this.keep(r);
    return this.begin(r, planned.value.action, ctx);
  }

  /** Starts an action and resolves with its final record. */
  async run(req: unknown, ctx: ActionContext = {}): Promise<Result<ActionRecord>> {
    const started = await this.start(req, ctx);
    if (!started.ok || started.value.state !== 'running') return started;
    return { ok: true, value: await this.wait(started.value.id) };
  }

  /** The record once the action has ended (at once if it has). */
  async wait(id: string): Promise<ActionRecord> {
    const e = this.running.get(id);
    if (e) await e.done;
    const r = this.records.get(id);
    if (!r) throw new Error(`no action ${id}`);
    return clone(r);
  }

  action(id: string): ActionRecord | null {
    const r = this.records.get(id);
    return r ? clone(r) : null;
  }

  /** Recent actions, newest last. */
  actions(): ActionRecord[] {
    return [...this.records.values()].map(clone);
  }

  /**
   * Aborts a running drain: stops following it and undrains the node (connections not yet
   * moved stay). A restart cannot be aborted once asked: the node exits when drained.
   */
  async abort(id: string, reason: string): Promise<Result<ActionRecord>> {
    const e = this.running.get(id);
    const r = this.records.get(id);
    if (!r) return { ok: false, code: 'not_found', message: `no action ${id}` };
    if (!e) return { ok: false, code: 'invalid', message: `action ${id} (${r.kind} of ${r.node}) is ${r.state}, not running` };
    if (r.kind === 'restart') return { ok: false, code: 'invalid', message: `a restart cannot be aborted once asked: ${r.node} exits as soon as it is drained` };
    if (typeof reason !== 'string' || reason.trim().length < 3) return { ok: false, code: 'invalid', message: 'reason: say why, in at least 3 characters' };
    e.abortReason = reason.trim();
    e.controller.abort();
    await e.done;
    return { ok: true, value: clone(r) };
  }

  onUpdate(fn: (u: CommandUpdate) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Stops following (a console shutdown): nodes carry on; each running action is audited as interrupted. */
  async stop(): Promise<void> {
    this.rollouts.stop();
    const all = [...this.running.values()];
    for (const e of all) e.controller.abort();
    await Promise.all(all.map((e) => e.done));
    await this.rollouts.settled();
  }

  // ---- rolling restarts (one per state file; see RolloutController) ----

  /** A rolling restart's dry run: order, connections, the first refusing rule (nothing sent or audited). */
  previewRollout(req: unknown): Result<RolloutPreview> {
    return this.rollouts.preview(req);
  }

  /** Plans and starts a rolling restart (guard rails first; refusals are audited). */
  rolloutRestart(req: unknown): Promise<Result<RolloutPlan>> {
    return this.rollouts.start(req);
  }

  /** The current or last rollout: after a console restart, the interrupted one (paused, `interrupted: true`). */
  rollout(): RolloutPlan | null {
    return this.rollouts.current();
  }

  pauseRollout(reason: string): Promise<Result<RolloutPlan>> {
    return this.rollouts.pause(reason);
  }

  resumeRollout(reason: string): Promise<Result<RolloutPlan>> {
    return this.rollouts.resume(reason);
  }

  abortRollout(reason: string): Promise<Result<RolloutPlan>> {
    return this.rollouts.abort(reason);
  }

  abandonRollout(reason: string): Promise<Result<RolloutPlan>> {
    return this.rollouts.abandon(reason);
  }

  /** Resolves once the rollout is not running: paused (see pauseReason) or ended. */
  waitRollout(): Promise<RolloutPlan | null> {
    return this.rollouts.wait();
  }

  /** @internal for the rollout controller. */
  emitRollout(plan: RolloutPlan): void {
    for (const fn of this.listeners) fn({ type: 'rollout', rollout: plan });
  }

  /** @internal a note on the console timeline. */
  timelineNote(node: string | null, kind: string, severity: Severity, title: string, reason: string, data: Record<string, string | number | boolean | null> = {}): void {
    this.timeline?.add({ ts: Date.now(), node, kind, severity, title, reason, data });
  }

  // ---- internals ----

  private record(a: PlannedAction, reason: string, ctx: ActionContext, state: 'previewed' | 'running'): ActionRecord {
    const preview = previewAction(a, this.view(), this.policyFor(ctx), this.busy);
    return {
      id: randomUUID(), kind: a.kind, node: a.node, requestId: ctx.requestId ?? randomUUID(), state, actor: this.actor, reason, force: a.force,
      params: { deadlineSeconds: a.deadlineSeconds, disconnectRatePerSecond: a.disconnectRatePerSecond },
      preview, steps: [{ at: preview.at, what: state === 'previewed' ? `previewed: ${preview.allowed ? 'the guard rails pass' : (preview.refusal ?? '')}` : 'asked' }],
      progress: null, error: null, startedAt: Date.now(), finishedAt: null,
      bootIdBefore: this.ingest.nodes.get(a.node)?.bootId ?? null, bootIdAfter: null, rolloutId: ctx.rolloutId ?? null,
    };
  }

  /** Judges the action on the view now; refuses (audited) or claims the node, audits the intent and runs it. */
  private async begin(r: ActionRecord, a: PlannedAction, ctx: ActionContext): Promise<Result<ActionRecord>> {
    const preview = previewAction(a, this.view(), this.policyFor(ctx), this.busy);
    r.preview = preview;
    r.startedAt = Date.now();
    if (!preview.allowed) {
      r.state = 'refused';
      r.error = preview.refusal;
      r.finishedAt = r.startedAt;
      this.step(r, `refused: ${preview.refusal ?? ''}`);
      this.note(r, preview.refusal ?? 'refused');
      await this.auditAction(r, 'refused').catch((err: Error) => r.steps.push({ at: Date.now(), what: `the refusal could not be audited: ${err.message}` }));
      this.emit(r);
      return { ok: true, value: clone(r) };
    }
    r.state = 'running';
    // Claimed before any await: two starts racing for the fleet's budget cannot both pass.
    this.busy.set(a.node, `${a.kind} ${r.id.slice(0, 8)} by ${this.actor}`);
    this.step(r, preview.forced ? 'guard rails passed with force' : 'guard rails passed');
    try {
      await this.auditAction(r, 'started');
    } catch (err) {
      this.busy.delete(a.node);
      this.finish(r, 'failed', `the audit log could not be written, so nothing was sent: ${(err as Error).message}`);
      return { ok: true, value: clone(r) };
    }
    this.step(r, 'audited');
    const e: Running = { record: r, controller: new AbortController(), done: Promise.resolve(r), abortReason: null, comeBackTimeoutMs: ctx.comeBackTimeoutMs ?? this.comeBackTimeoutMs };
    this.running.set(r.id, e);
    this.note(r, r.reason);
    e.done = this.execute(e).finally(() => {
      this.running.delete(r.id);
      this.busy.delete(r.node);
    });
    return { ok: true, value: clone(r) };
  }

  private plan(req: unknown, ctx: ActionContext): Result<{ action: PlannedAction; reason: string }> {
    return planAction(req, this.defaults, ctx.continuing === true);
  }

  private policyFor(ctx: ActionContext): GuardPolicy {
    return ctx.maxUnavailable === undefined ? this.policy : { ...this.policy, maxUnavailable: ctx.maxUnavailable };
  }

  private async execute(e: Running): Promise<ActionRecord> {
    const o = await executeAction({ ingest: this.ingest, admin: this.admin, drainGraceMs: this.drainGraceMs, step: (r, what, d) => this.step(r, what, d), emit: (r) => this.emit(r) }, e);
    if (o.state !== 'interrupted') return this.end(e, o.state, o.error);
    // The console stops (shutdown): the record stays running; the log says the following stopped.
    await this.auditAction(e.record, 'interrupted').catch(() => undefined);
    return e.record;
  }

  private async end(e: Running, state: ActionState, error: string | null): Promise<ActionRecord> {
    const r = e.record;
    this.finish(r, state, error);
    this.note(r, error ?? e.abortReason ?? r.reason);
    await this.auditAction(r, state).catch((err: Error) => {
      r.steps.push({ at: Date.now(), what: `the outcome could not be audited: ${err.message}` });
      this.emit(r);
    });
    return r;
  }

  private finish(r: ActionRecord, state: ActionState, error: string | null): void {
    r.state = state;
    r.error = error;
    r.finishedAt = Date.now();
    this.step(r, error ? `${state}: ${error}` : state);
  }

  private auditAction(r: ActionRecord, outcome: string): Promise<unknown> {
    return this.audit.append(actionAuditEntry(r, outcome));
  }

  private step(r: ActionRecord, what: string, detail?: Record<string, string | number | boolean | null>): void {
    r.steps.push(detail ? { at: Date.now(), what, detail } : { at: Date.now(), what });
    this.emit(r);
  }

  private note(r: ActionRecord, reason: string): void {
    const forced = r.preview.forced ? ' (forced)' : '';
    this.timelineNote(r.node, `action_${r.state}`, SEVERITY[r.state], `${r.kind} of ${r.node} by ${r.actor}: ${r.state === 'running' ? 'started' : r.state}${forced}`, reason, { actionId: r.id, kind: r.kind, actor: r.actor });
  }

  private emit(r: ActionRecord): void {
    if (this.listeners.size === 0) return;
    const copy = clone(r);
    for (const fn of this.listeners) fn({ type: 'action', action: copy });
  }

  private keep(r: ActionRecord): void {
    this.records.set(r.id, r);
    if (this.records.size <= KEEP_RECORDS) return;
    for (const [id, old] of this.records) {
      if (old.state === 'running') continue;
      this.records.delete(id);
      this.previews.delete(id);
      break;
    }
  }
}

function clone<T>(v: T): T {
  return structuredClone(v);
}
