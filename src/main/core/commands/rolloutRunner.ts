import { randomUUID } from 'node:crypto';
import type { Result } from '../../../shared/api';
import type { ActionRecord, ActionRequest } from './actionTypes';
import { fleetFigures } from './fleetView';
import type { FleetView } from './fleetView';
import type { ActionContext } from './commandService';
import type { RolloutNode, RolloutPlan, RolloutSettings } from './rolloutPlan';

/** What the runner needs from its controller and the command service. */
export interface RunnerHost {
  view(): FleetView;
  start(req: ActionRequest, ctx: ActionContext): Promise<Result<ActionRecord>>;
  wait(id: string): Promise<ActionRecord>;
  /** The plan changed: persist it and tell listeners. */
  changed(what: string, detail?: Record<string, string | number | boolean | null>): void;
  /** Pause the rollout (audited) with the reason. */
  pause(reason: string, auto: boolean): void;
}

const TICK_MS = 250;
const SLO_EVERY_MS = 500;

/** The SLO thresholds the fleet is over right now, each with its numbers. */
export function sloBreaches(view: FleetView, s: RolloutSettings): string[] {
  const f = fleetFigures(view);
  const out: string[] = [];
  if (f.lagP99Ms !== null && f.lagP99Ms > s.maxLagP99Ms) out.push(`pub/sub lag p99 ${f.lagP99Ms} ms on ${f.lagNode ?? '?'}, over the ${s.maxLagP99Ms} ms limit`);
  if (f.reconnectsPerSec > s.maxReconnectsPerSec) out.push(`fleet reconnects ${f.reconnectsPerSec}/s, over the ${s.maxReconnectsPerSec}/s limit`);
  if (f.busDown.length > 0) out.push(`pub/sub (bus) link down on ${f.busDown.join(', ')}`);
  return out;
}

/**
 * Runs a rolling restart's nodes: up to `maxUnavailable` at a time, each through drain →
 * restart → back with a new boot id → a healthy window. Every admin call goes through the
 * command service (guard rails, audit, same request id per intent). Watches the fleet's
 * SLOs meanwhile and pauses the rollout on a sustained breach. A pause stops new steps;
 * a step already sent to a node is followed to its end (a node's drain cannot be frozen).
 */
export class RolloutRunner {
  private stopped = false;
  private wakers: Array<() => void> = [];
  private claimed = new Set<string>();
  /** node id → the action running on it for this rollout. */
  readonly current = new Map<string, string>();
  private breachSince: number | null = null;
  private sloTimer: NodeJS.Timeout | undefined;
  private done: Promise<void> | null = null;

  constructor(private readonly plan: RolloutPlan, private readonly host: RunnerHost, private readonly onFinished: () => void) {}

  start(): void {
    if (this.done) return;
    this.sloTimer = setInterval(() => this.watchSlo(), SLO_EVERY_MS);
    const workers = Array.from({ length: this.plan.settings.maxUnavailable }, () => this.worker());
    this.done = Promise.all(workers).then(() => {
      clearInterval(this.sloTimer);
      if (!this.stopped) this.onFinished();
    });
  }

  /** The plan's state changed (pause, resume, abort): waiting workers look again. */
  poke(): void {
    this.breachSince = null;
    const w = this.wakers;
    this.wakers = [];
    for (const fn of w) fn();
  }

  /** Stops without touching the plan (a console shutdown): the state file keeps it for the next console. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.sloTimer);
    this.poke();
  }

  /** Resolves when every worker has returned. */
  settled(): Promise<void> {
    return this.done ?? Promise.resolve();
  }

  private async worker(): Promise<void> {
    for (;;) {
      if (!(await this.gate())) return;
      const n = this.next();
      if (!n) return;
      while (n.phase !== 'done') {
        if (!(await this.gate())) return;
        await this.advance(n);
      }
    }
  }

  /** A node already under way (after a console restart) first, then the next pending one. */
  private next(): RolloutNode | null {
    const free = this.plan.nodes.filter((n) => n.phase !== 'done' && !this.claimed.has(n.id));
    const n = free.find((x) => x.phase !== 'pending') ?? free[0] ?? null;
    if (n) this.claimed.add(n.id);
    return n;
  }

  /** True while the rollout runs; waits while it is paused; false once it ended or the console stops. */
  private async gate(): Promise<boolean> {
    for (;;) {
      if (this.stopped) return false;
      if (this.plan.state === 'running') return true;
      if (this.plan.state !== 'paused') return false;
      await new Promise<void>((resolve) => this.wakers.push(resolve));
    }
  }

  private async advance(n: RolloutNode): Promise<void> {
    const s = this.plan.settings;
    const seen = this.host.view().nodes.find((x) => x.id === n.id);
    switch (n.phase) {
      case 'pending':
        n.phase = 'draining';
        n.startedAt = Date.now();
        n.bootIdBefore = seen?.bootId ?? null;
        this.host.changed(`${n.id}: started (${seen?.connections.total ?? 0} connections, boot ${n.bootIdBefore ?? '?'})`);
        return;
      case 'draining': {
        if (this.restartedMeanwhile(n, seen?.bootId ?? null)) return;
        if (n.drainSent && seen?.health === 'up') {
          // Serving again in the same boot: someone undrained it; the old request id would only replay.
          n.drainRequestId = randomUUID();
          n.drainSent = false;
          this.host.changed(`${n.id} serves again (undrained meanwhile): a new drain`);
        }
        const r = await this.act(n, 'drain', n.drainRequestId);
        if (!r) return;
        n.phase = 'restarting';
        this.host.changed(`${n.id}: drained`);
        return;
      }
      case 'restarting': {
        if (this.restartedMeanwhile(n, seen?.bootId ?? null)) return;
        const r = await this.act(n, 'restart', n.restartRequestId);
        if (!r) return;
        n.bootIdAfter = r.bootIdAfter;
        n.phase = 'settling';
        this.host.changed(`${n.id}: back with boot ${r.bootIdAfter ?? '?'} (was ${n.bootIdBefore ?? '?'})`);
        return;
      }
      case 'settling': {
        if (!(await this.settle(n))) return;
        n.phase = 'done';
        n.finishedAt = Date.now();
        this.host.changed(`${n.id}: done; the fleet stayed healthy for ${s.healthyWindowMs / 1000} s`);
        return;
      }
      case 'done':
        return;
    }
  }

  /** A boot id other than the one before means the restart already happened (asked before a console restart, or a crash). */
  private restartedMeanwhile(n: RolloutNode, bootId: string | null): boolean {
    if (n.bootIdBefore === null || bootId === null || bootId === n.bootIdBefore) return false;
    n.bootIdAfter = bootId;
    n.phase = 'settling';
    this.host.changed(`${n.id} already runs a new boot ${bootId} (was ${n.bootIdBefore}): waiting for it to settle`);
    return true;
  }

  /** Runs one admin step through the service; null when it did not succeed (the rollout is then paused or ended). */
  private async act(n: RolloutNode, kind: 'drain' | 'restart', requestId: string): Promise<ActionRecord | null> {
    const s = this.plan.settings;
    const started = await this.host.start(
      { kind, node: n.id, reason: `rolling restart ${this.plan.id.slice(0, 8)}: ${this.plan.reason}`.slice(0, 500), deadlineSeconds: s.deadlineSeconds, disconnectRatePerSecond: s.disconnectRatePerSecond },
      { requestId, rolloutId: this.plan.id, maxUnavailable: s.maxUnavailable, continuing: true, comeBackTimeoutMs: s.comeBackTimeoutMs },
    );
    if (!started.ok) {
      this.host.pause(`the ${kind} of ${n.id} could not start: ${started.message}`, true);
      return null;
    }
    const r0 = started.value;
    n.actionIds.push(r0.id);
    if (r0.state !== 'running') {
      this.host.pause(`the ${kind} of ${n.id} was ${r0.state}: ${r0.error ?? ''}`, true);
      return null;
    }
    if (kind === 'drain') n.drainSent = true;
    else n.restartSent = true;
    this.current.set(n.id, r0.id);
    this.host.changed(`${n.id}: ${kind} sent (action ${r0.id.slice(0, 8)}, request ${requestId.slice(0, 8)})`);
    const r = await this.host.wait(r0.id);
    this.current.delete(n.id);
    if (r.state === 'succeeded') return r;
    if (r.state === 'failed') this.host.pause(`the ${kind} of ${n.id} failed: ${r.error ?? 'unknown error'}`, true);
    return null;
  }

  /** Waits until the node serves (new boot) and the fleet stays within its SLOs for the healthy window. */
  private async settle(n: RolloutNode): Promise<boolean> {
    const s = this.plan.settings;
    const deadline = Date.now() + s.comeBackTimeoutMs + s.healthyWindowMs;
    let healthySince: number | null = null;
    for (;;) {
      if (this.stopped || this.plan.state !== 'running') return false;
      const view = this.host.view();
      const node = view.nodes.find((x) => x.id === n.id);
      const back = node !== undefined && node.health === 'up' && node.bootId !== null && node.bootId !== n.bootIdBefore;
      const breaches = sloBreaches(view, s);
      const now = Date.now();
      if (back && breaches.length === 0) {
        healthySince ??= now;
        if (now - healthySince >= s.healthyWindowMs) return true;
      } else healthySince = null;
      if (now > deadline) {
        const why = back ? breaches.join('; ') : `${n.id} is not seen serving with a new boot id (health ${node?.health ?? 'gone'})`;
        this.host.pause(`${n.id} did not settle within ${Math.round((s.comeBackTimeoutMs + s.healthyWindowMs) / 1000)} s: ${why}`, true);
        return false;
      }
      await new Promise((r) => setTimeout(r, TICK_MS));
    }
  }

  private watchSlo(): void {
    if (this.plan.state !== 'running') {
      this.breachSince = null;
      return;
    }
    const breaches = sloBreaches(this.host.view(), this.plan.settings);
    if (breaches.length === 0) {
      this.breachSince = null;
      return;
    }
    const now = Date.now();
    this.breachSince ??= now;
    if (now - this.breachSince >= this.plan.settings.breachForMs) {
      const held = Math.round((now - this.breachSince) / 100) / 10;
      this.breachSince = null;
      this.host.pause(`SLO breach for ${held} s: ${breaches.join('; ')}`, true);
    }
  }
}
