import { randomUUID } from 'node:crypto';
import type { ActionPreview, RolloutPreview } from '../../../shared/actions';
import { rolloutConfirmText } from '../../../shared/actions';
import type { Result } from '../../../shared/api';
import { rolloutRequestSchema } from './actionTypes';
import type { CommandService } from './commandService';
import { fleetFigures } from './fleetView';
import { previewAction } from './guardRails';
import { ACTIVE_STATES, addStep, loadPlan, ownedElsewhere, savePlan, thisOwner } from './rolloutPlan';
import type { RolloutNode, RolloutPlan, RolloutSettings } from './rolloutPlan';
import { RolloutRunner } from './rolloutRunner';
import { compareNodeIds } from '../../../shared/nodeOrder';

const ROLLOUT_DEFAULTS = { healthyWindowMs: 5000, maxLagP99Ms: 500, comeBackTimeoutMs: 60_000, breachForMs: 2000 };

/**
 * The rolling restart: one at a time per console (the state file holds one plan). Creates
 * it after the guard rails agree, persists every change atomically, audits start, pause
 * (with its reason), resume, abort, abandon and the end, and picks up an interrupted plan
 * when the console starts again: it is then paused until an operator resumes or abandons it.
 */
export class RolloutController {
  private plan: RolloutPlan | null = null;
  private runner: RolloutRunner | null = null;
  private waiters: Array<() => void> = [];
  /** Why the state file could not be loaded (it is then left alone). */
  readonly loadError: string | null = null;

  constructor(private readonly svc: CommandService, private readonly stateFile: string | null) {
    if (!stateFile) return;
    const loaded = loadPlan(stateFile);
    if (!loaded.ok) {
      this.loadError = loaded.message;
      return;
    }
    const p = loaded.plan;
    if (p && p.state === 'running') {
      const elsewhere = ownedElsewhere(p);
      p.state = 'paused';
      p.interrupted = elsewhere === null;
      p.pauseReason = elsewhere ?? `interrupted: the console running it stopped (last saved ${new Date(p.updatedAt).toISOString()}); resume or abandon it`;
    }
    this.plan = p;
  }

  /** The current or last rollout (an interrupted one after a console restart), or null. */
  current(): RolloutPlan | null {
    return this.plan ? structuredClone(this.plan) : null;
  }

  /** A dry run: the plan a start would make now, and the first rule that would refuse it. Nothing is sent or audited. */
  preview(req: unknown): Result<RolloutPreview> {
    const d = this.draft(req);
    if (!d.ok) return d;
    const { plan, previews, blocking } = d.value;
    return {
      ok: true,
      value: {
        nodes: previews.map((p) => ({ node: p.node, connections: p.connectionsMoving, refusal: p.refusal })),
        settings: plan.settings,
        blocking: blocking[0] ?? null,
        first: previews[0] ?? null,
        confirmText: rolloutConfirmText(plan.nodes.length),
      },
    };
  }

  /** Plans and starts a rolling restart, or says which rule refuses it. */
  async start(req: unknown): Promise<Result<RolloutPlan>> {
    const d = this.draft(req);
    if (!d.ok) return d;
    const { plan, previews, blocking } = d.value;
    const ordered = plan.nodes.map((n) => n.id);
    const settings = plan.settings;
    const preview = previews.map((p) => ({ node: p.node, connections: p.connectionsMoving, refusal: p.refusal }));
    if (blocking.length > 0) {
      await this.auditPlan(plan, 'refused', { preview, error: blocking[0] }).catch(() => undefined);
      this.svc.timelineNote(null, 'rollout_refused', 'warning', `rolling restart by ${plan.actor}: refused`, blocking[0]);
      return { ok: false, code: 'forbidden', message: blocking[0] };
    }
    addStep(plan, `planned: ${ordered.join(' → ')} (${settings.order.replace('_', ' ')}), at most ${settings.maxUnavailable} at once`);
    try {
      if (this.stateFile) savePlan(this.stateFile, plan);
      await this.auditPlan(plan, 'started', { preview });
    } catch (err) {
      return { ok: false, code: 'unavailable', message: `nothing was started: ${(err as Error).message}` };
    }
    this.plan = plan;
    this.svc.timelineNote(null, 'rollout_started', 'info', `rolling restart of ${ordered.length} nodes by ${plan.actor}`, plan.reason, { rolloutId: plan.id });
    this.launch();
    this.emit();
    return { ok: true, value: structuredClone(plan) };
  }

  /** The plan a start would make on the view now, each node's drain preview, and what refuses it. */
  private draft(req: unknown): Result<{ plan: RolloutPlan; previews: ActionPreview[]; blocking: string[] }> {
    if (this.loadError) return { ok: false, code: 'unavailable', message: this.loadError };
    const active = this.plan && ACTIVE_STATES.includes(this.plan.state) ? this.plan : null;
    if (active) return { ok: false, code: 'invalid', message: `rollout ${active.id} is ${active.state}${active.interrupted ? ' (interrupted)' : ''}: resume, abort or abandon it first` };
    const parsed = rolloutRequestSchema.safeParse(req);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      return { ok: false, code: 'invalid', message: i ? `${i.path.map(String).join('.') || 'request'}: ${i.message}` : 'invalid request' };
    }
    const r = parsed.data;
    const view = this.svc.view();
    const ids = r.nodes ?? view.nodes.map((n) => n.id);
    const unknown = ids.filter((id) => !view.nodes.some((n) => n.id === id));
    if (unknown.length > 0) return { ok: false, code: 'invalid', message: `known_node: no node ${unknown.join(', ')} in the inventory (known: ${view.nodes.map((n) => n.id).join(', ') || 'none'})` };
    if (new Set(ids).size !== ids.length) return { ok: false, code: 'invalid', message: 'nodes: a node is listed twice' };
    const rate = r.disconnectRatePerSecond ?? 50;
    const settings: RolloutSettings = {
      order: r.order ?? 'fewest_connections',
      maxUnavailable: r.maxUnavailable ?? this.svc.policy.maxUnavailable,
      deadlineSeconds: r.deadlineSeconds ?? 120,
      disconnectRatePerSecond: rate,
      healthyWindowMs: r.healthyWindowMs ?? ROLLOUT_DEFAULTS.healthyWindowMs,
      maxLagP99Ms: r.maxLagP99Ms ?? ROLLOUT_DEFAULTS.maxLagP99Ms,
      // A drain alone adds about `rate` reconnects per second to what the fleet sees anyway:
      // today's rate plus twice the drain's, plus some, is a breach.
      maxReconnectsPerSec: r.maxReconnectsPerSec ?? Math.ceil(fleetFigures(view).reconnectsPerSec + 2 * rate + 10),
      comeBackTimeoutMs: r.comeBackTimeoutMs ?? ROLLOUT_DEFAULTS.comeBackTimeoutMs,
      breachForMs: r.breachForMs ?? ROLLOUT_DEFAULTS.breachForMs,
    };
    const conns = new Map(view.nodes.map((n) => [n.id, n.connections.total]));
    const ordered = settings.order === 'given' ? ids : [...ids].sort((a, b) => (conns.get(a) ?? 0) - (conns.get(b) ?? 0) || compareNodeIds(a, b));
    // Every node must be one the console sees and may act on; the first one must pass every rail now.
    const policy = { ...this.svc.policy, maxUnavailable: settings.maxUnavailable };
    const previews = ordered.map((id) => previewAction({ kind: 'drain', node: id, deadlineSeconds: settings.deadlineSeconds, disconnectRatePerSecond: rate, force: false }, view, policy));
    const blocking = previews.flatMap((p, i) => p.checks.filter((c) => !c.ok && (i === 0 || !['max_unavailable', 'capacity'].includes(c.rule))).map((c) => `${p.node}: ${c.rule}: ${c.message}`));
    const id = randomUUID();
    const now = Date.now();
    const nodes: RolloutNode[] = ordered.map((n) => ({
      id: n, phase: 'pending', connectionsAtStart: conns.get(n) ?? 0, drainRequestId: randomUUID(), restartRequestId: randomUUID(),
      drainSent: false, restartSent: false, bootIdBefore: null, bootIdAfter: null, startedAt: null, finishedAt: null, actionIds: [],
    }));
    const plan: RolloutPlan = { v: 1, id, actor: this.svc.actor, reason: r.reason, createdAt: now, updatedAt: now, state: 'running', pauseReason: null, interrupted: false, settings, nodes, steps: [], owner: thisOwner() };
    return { ok: true, value: { plan, previews, blocking } };
  }

  /** Pauses: no new step starts; a step already sent to a node is followed to its end. */
  async pause(reason: string): Promise<Result<RolloutPlan>> {
    const p = this.plan;
    if (!p || p.state !== 'running') return { ok: false, code: 'invalid', message: p ? `rollout ${p.id} is ${p.state}, not running` : 'no rollout' };
    this.doPause(reason, false);
    return { ok: true, value: structuredClone(p) };
  }

  /** Resumes a paused rollout, an interrupted one included (it picks each node up where the node really is). */
  async resume(reason: string): Promise<Result<RolloutPlan>> {
    const p = this.plan;
    if (!p || p.state !== 'paused') return { ok: false, code: 'invalid', message: p ? `rollout ${p.id} is ${p.state}, not paused` : 'no rollout to resume' };
    const elsewhere = ownedElsewhere(p);
    if (elsewhere) return { ok: false, code: 'forbidden', message: elsewhere };
    const wasInterrupted = p.interrupted;
    p.state = 'running';
    p.pauseReason = null;
    p.interrupted = false;
    p.owner = thisOwner();
    this.changed(`resumed by ${this.svc.actor}${wasInterrupted ? ' after a console restart' : ''}: ${reason}`);
    this.svc.timelineNote(null, 'rollout_resumed', 'info', `rolling restart resumed by ${this.svc.actor}${wasInterrupted ? ' after a console restart' : ''}`, reason, { rolloutId: p.id });
    await this.auditPlan(p, 'resumed', { reason, interrupted: wasInterrupted }).catch(() => undefined);
    this.launch();
    this.runner?.poke();
    return { ok: true, value: structuredClone(p) };
  }

  /** Stops the rollout for good; a node it drained and has not restarted yet is undrained. */
  async abort(reason: string): Promise<Result<RolloutPlan>> {
    const p = this.plan;
    if (!p || !ACTIVE_STATES.includes(p.state)) return { ok: false, code: 'invalid', message: p ? `rollout ${p.id} is ${p.state}, not running or paused` : 'no rollout' };
    p.state = 'aborted';
    this.changed(`aborted by ${this.svc.actor}: ${reason}`);
    this.svc.timelineNote(null, 'rollout_aborted', 'warning', `rolling restart aborted by ${this.svc.actor}`, reason, { rolloutId: p.id });
    this.runner?.poke();
    const undone: string[] = [];
    for (const n of p.nodes) {
      const running = this.runner?.current.get(n.id);
      if (running) {
        const a = await this.svc.abort(running, `rollout aborted: ${reason}`);
        if (a.ok) undone.push(`${n.id}: ${a.value.state}${a.value.error ? ` (${a.value.error})` : ''}`);
        continue;
      }
      if ((n.phase === 'draining' || n.phase === 'restarting') && n.drainSent && !n.restartSent) {
        const u = await this.svc.run({ kind: 'undrain', node: n.id, reason: `rollout ${p.id.slice(0, 8)} aborted: ${reason}`.slice(0, 500) }, { rolloutId: p.id });
        undone.push(`${n.id}: undrain ${u.ok ? u.value.state : u.message}`);
      }
    }
    if (undone.length > 0) this.changed(`after the abort: ${undone.join('; ')}`);
    await this.auditPlan(p, 'aborted', { reason, undone }).catch(() => undefined);
    this.wake();
    return { ok: true, value: structuredClone(p) };
  }

  /** Gives up a paused (or interrupted) rollout without touching any node: says which nodes it leaves mid-way. */
  async abandon(reason: string): Promise<Result<RolloutPlan>> {
    const p = this.plan;
    if (!p || p.state !== 'paused') return { ok: false, code: 'invalid', message: p ? `rollout ${p.id} is ${p.state}; only a paused or interrupted rollout can be abandoned (abort a running one)` : 'no rollout to abandon' };
    const elsewhere = ownedElsewhere(p);
    if (elsewhere) return { ok: false, code: 'forbidden', message: elsewhere };
    const midway = p.nodes.filter((n) => n.phase !== 'pending' && n.phase !== 'done').map((n) => `${n.id} (${n.phase}${n.drainSent && !n.restartSent ? ': left drained or draining, undrain it' : ''})`);
    p.state = 'abandoned';
    this.changed(`abandoned by ${this.svc.actor}: ${reason}${midway.length > 0 ? `; left mid-way: ${midway.join(', ')}` : ''}`);
    this.svc.timelineNote(null, 'rollout_abandoned', 'warning', `rolling restart abandoned by ${this.svc.actor}`, reason, { rolloutId: p.id });
    try {
      await this.auditPlan(p, 'abandoned', { reason, midway });
    } catch (err) {
      this.changed(`the abandon could not be audited: ${(err as Error).message}`);
    }
    this.wake();
    return { ok: true, value: structuredClone(p) };
  }

  /** Resolves once the rollout is not running (paused, or ended). */
  async wait(): Promise<RolloutPlan | null> {
    while (this.plan && this.plan.state === 'running') await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.current();
  }

  /** Console shutdown: stops the runner; the plan stays as it is in the state file (interrupted for the next console). */
  stop(): void {
    this.runner?.stop();
  }

  settled(): Promise<void> {
    return this.runner?.settled() ?? Promise.resolve();
  }

  // ---- internals ----

  /** Starts a runner for the current plan, unless one already runs it (a resume after a pause only wakes it). */
  private launch(): void {
    const p = this.plan;
    if (!p || (this.runner && this.runnerPlan === p && !this.runnerEnded)) return;
    this.runnerEnded = false;
    this.runnerPlan = p;
    const runner: RolloutRunner = new RolloutRunner(p, {
      view: () => this.svc.view(),
      start: (req, ctx) => this.svc.start(req, ctx),
      wait: (id) => this.svc.wait(id),
      // A runner of an earlier (aborted) plan may still finish a step after a new plan started:
      // what it says stays with its own plan.
      changed: (what, detail) => (p === this.plan ? this.changed(what, detail) : addStep(p, what, detail)),
      pause: (reason, auto) => p === this.plan && this.doPause(reason, auto),
    }, () => runner === this.runner && this.finished());
    this.runner = runner;
    runner.start();
  }

  private runnerEnded = false;
  private runnerPlan: RolloutPlan | null = null;

  private finished(): void {
    this.runnerEnded = true;
    const p = this.plan;
    if (!p || p.state !== 'running') return this.wake();
    if (!p.nodes.every((n) => n.phase === 'done')) return this.wake();
    p.state = 'succeeded';
    this.changed(`succeeded: ${p.nodes.length} nodes restarted`);
    this.svc.timelineNote(null, 'rollout_succeeded', 'info', `rolling restart of ${p.nodes.length} nodes: succeeded`, p.reason, { rolloutId: p.id });
    void this.auditPlan(p, 'succeeded', {}).catch(() => undefined).finally(() => this.wake());
  }

  private doPause(reason: string, auto: boolean): void {
    const p = this.plan;
    if (!p || p.state !== 'running') return;
    p.state = 'paused';
    p.pauseReason = reason;
    this.changed(`${auto ? 'paused by itself' : `paused by ${this.svc.actor}`}: ${reason}`);
    this.svc.timelineNote(null, 'rollout_paused', auto ? 'warning' : 'info', `rolling restart paused${auto ? ' by itself' : ''}`, reason, { rolloutId: p.id });
    void this.auditPlan(p, 'paused', { reason, auto }).catch(() => undefined);
    this.runner?.poke();
    this.wake();
  }

  private changed(what: string, detail?: Record<string, string | number | boolean | null>): void {
    const p = this.plan;
    if (!p) return;
    addStep(p, what, detail);
    if (this.stateFile) {
      try {
        savePlan(this.stateFile, p);
      } catch (err) {
        addStep(p, `the state file could not be written: ${(err as Error).message}`);
        if (p.state === 'running') {
          p.state = 'paused';
          p.pauseReason = `the state file ${this.stateFile} could not be written (${(err as Error).message}): paused, since the rollout could not be picked up after a console restart`;
        }
      }
    }
    this.emit();
  }

  private emit(): void {
    if (this.plan) this.svc.emitRollout(structuredClone(this.plan));
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }

  private auditPlan(p: RolloutPlan, outcome: string, extra: Record<string, unknown>): Promise<unknown> {
    const ended = !ACTIVE_STATES.includes(p.state) || outcome === 'refused';
    return this.svc.audit.append({
      action: 'rollout_restart', outcome, actionId: p.id, nodes: p.nodes.map((n) => n.id),
      params: { ...p.settings }, reason: typeof extra.reason === 'string' ? extra.reason : p.reason,
      preview: extra.preview, error: typeof extra.error === 'string' ? extra.error : outcome === 'paused' ? p.pauseReason : null,
      result: { state: outcome === 'refused' ? 'refused' : p.state, nodes: p.nodes.map((n) => ({ id: n.id, phase: n.phase, bootIdBefore: n.bootIdBefore, bootIdAfter: n.bootIdAfter })), ...extra, preview: undefined },
      startedAt: p.createdAt, finishedAt: ended ? Date.now() : null, durationMs: ended ? Date.now() - p.createdAt : null,
    });
  }
}
