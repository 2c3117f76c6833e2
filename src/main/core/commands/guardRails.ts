import type { NodeSummary, Result } from '../../../shared/api';
import { actionRequestSchema } from './actionTypes';
import type { ActionKind, ActionPreview, RuleCheck } from './actionTypes';
import { capacityCheck } from './capacity';
import type { FleetView } from './fleetView';

/**
 * The guard rails (PodDisruptionBudget / maxUnavailable ideas): how much of the fleet may be
 * out at once, whether the rest can carry the moved connections, and whether the console
 * sees the node well enough to act on it. Pure functions of the view: a preview and the
 * real action judge by exactly the same code.
 */
export interface GuardPolicy {
  /** Nodes that may be unavailable at once (draining, drained, restarting, down, stale, unknown, acted on). */
  maxUnavailable: number;
  /** Serving nodes' free slots must exceed the moving connections by this fraction. */
  capacityMargin: number;
  /** A node last heard from longer ago than this is not acted on. */
  staleAfterMs: number;
}

export const DEFAULT_POLICY: GuardPolicy = { maxUnavailable: 1, capacityMargin: 0.2, staleAfterMs: 5000 };

/** An action with every default filled in. */
export interface PlannedAction {
  kind: ActionKind;
  node: string;
  deadlineSeconds: number;
  disconnectRatePerSecond: number;
  force: boolean;
  /**
   * The action continues an intent already under way (a resumed rollout step): a drain may
   * find the node draining or drained, a restart may find it restarting.
   */
  continuing?: boolean;
}

/** Checks a caller's request (unknown fields rejected, the first problem named) and fills in the defaults. */
export function planAction(req: unknown, defaults: { deadlineSeconds: number; disconnectRatePerSecond: number }, continuing = false): Result<{ action: PlannedAction; reason: string }> {
  const p = actionRequestSchema.safeParse(req);
  if (!p.success) {
    const issue = p.error.issues[0];
    return { ok: false, code: 'invalid', message: issue ? `${issue.path.map(String).join('.') || 'request'}: ${issue.message}` : 'invalid request' };
  }
  const d = p.data;
  return {
    ok: true,
    value: {
      reason: d.reason,
      action: {
        kind: d.kind, node: d.node, force: d.force === true, continuing,
        deadlineSeconds: d.deadlineSeconds ?? defaults.deadlineSeconds,
        disconnectRatePerSecond: d.disconnectRatePerSecond ?? defaults.disconnectRatePerSecond,
      },
    },
  };
}

const ALLOWED: Record<ActionKind, readonly string[]> = {
  drain: ['up'],
  restart: ['up', 'draining', 'drained'],
  undrain: ['draining', 'drained'],
};
const ALLOWED_CONTINUING: Record<ActionKind, readonly string[]> = {
  drain: ['up', 'draining', 'drained'],
  restart: ['up', 'draining', 'drained', 'restarting'],
  undrain: ['draining', 'drained'],
};

/**
 * Judges an action against the view. `busy` maps node ids to the action running on them
 * (those count as unavailable, whatever the view says yet).
 */
export function previewAction(a: PlannedAction, view: FleetView, policy: GuardPolicy, busy: ReadonlyMap<string, string> = new Map()): ActionPreview {
  const target = view.nodes.find((n) => n.id === a.node);
  const base = {
    kind: a.kind, node: a.node, at: view.at,
    deadlineSeconds: a.deadlineSeconds, disconnectRatePerSecond: a.disconnectRatePerSecond,
  };
  if (!target) {
    const known = view.nodes.map((n) => n.id);
    const check: RuleCheck = { rule: 'known_node', ok: false, overridable: false, message: `no node "${a.node}" in the inventory (known: ${known.length > 0 ? known.join(', ') : 'none'})` };
    return finish({ ...base, connectionsMoving: 0, expectedReconnectsPerSec: 0, expectedDrainSeconds: 0, forceClosedAtDeadline: 0, destinations: [], headroom: null, unavailable: { now: [], after: 0, max: policy.maxUnavailable } }, [check], a.force);
  }
  const moves = a.kind !== 'undrain';
  const moving = moves && target.health !== 'drained' ? target.connections.total : 0;
  const cap = capacityCheck(target, moving, view.nodes, policy.capacityMargin, busy, a.kind);
  const unavailable = unavailableNodes(view.nodes, busy);
  const others = unavailable.filter((u) => u.id !== target.id);
  const after = moves ? others.length + 1 : unavailable.filter((u) => u.id !== target.id).length;
  const checks: RuleCheck[] = [
    { rule: 'known_node', ok: true, overridable: false, message: `${target.id} is in the inventory` },
    adminTokenCheck(target),
    busyCheck(target, busy),
    nodeStateCheck(a, target),
    freshViewCheck(target, view, policy),
    maxUnavailableCheck(a.kind, target, others, after, view.nodes.length, policy.maxUnavailable),
    cap.check,
  ];
  const rate = a.disconnectRatePerSecond;
  return finish({
    ...base,
    connectionsMoving: moving,
    expectedReconnectsPerSec: Math.min(rate, moving),
    expectedDrainSeconds: Math.round(Math.min(a.deadlineSeconds, moving / rate) * 10) / 10,
    forceClosedAtDeadline: Math.max(0, moving - Math.floor(rate * a.deadlineSeconds)),
    destinations: cap.destinations,
    headroom: cap.headroom,
    unavailable: { now: unavailable.map((u) => u.id), after, max: policy.maxUnavailable },
  }, checks, a.force);
}

function finish(p: Omit<ActionPreview, 'checks' | 'allowed' | 'forced' | 'refusal'>, checks: RuleCheck[], force: boolean): ActionPreview {
  const failed = checks.filter((c) => !c.ok);
  const blocking = failed.filter((c) => !(c.overridable && force));
  const first = blocking[0];
  return {
    ...p,
    checks,
    allowed: blocking.length === 0,
    forced: force && failed.some((c) => c.overridable),
    refusal: first ? `${first.rule}: ${first.message}` : null,
  };
}

/** A node is unavailable unless the console sees it up and serving and nothing acts on it. */
function unavailableNodes(nodes: readonly NodeSummary[], busy: ReadonlyMap<string, string>): Array<{ id: string; why: string }> {
  const out: Array<{ id: string; why: string }> = [];
  for (const n of nodes) {
    const acting = busy.get(n.id);
    if (acting !== undefined) out.push({ id: n.id, why: acting });
    else if (n.health !== 'up') out.push({ id: n.id, why: n.health });
  }
  return out;
}

function adminTokenCheck(n: NodeSummary): RuleCheck {
  return n.canAdmin
    ? { rule: 'admin_token', ok: true, overridable: false, message: `the console holds an admin token for ${n.id}` }
    : { rule: 'admin_token', ok: false, overridable: false, message: `the console has no admin token for ${n.id} (none in the inventory's credentials)` };
}

function busyCheck(n: NodeSummary, busy: ReadonlyMap<string, string>): RuleCheck {
  const acting = busy.get(n.id);
  return acting === undefined
    ? { rule: 'one_action_per_node', ok: true, overridable: false, message: `no other action runs on ${n.id}` }
    : { rule: 'one_action_per_node', ok: false, overridable: false, message: `${n.id} already has an action running (${acting}); wait for it or abort it` };
}

function nodeStateCheck(a: PlannedAction, n: NodeSummary): RuleCheck {
  if (n.health === 'stale' || n.health === 'unknown') {
    return { rule: 'node_state', ok: true, overridable: false, message: `${n.id}'s state cannot be judged (health ${n.health}): see fresh_view` };
  }
  const allowed = (a.continuing ? ALLOWED_CONTINUING : ALLOWED)[a.kind];
  if (allowed.includes(n.health)) return { rule: 'node_state', ok: true, overridable: false, message: `${n.id} is ${n.health}` };
  return { rule: 'node_state', ok: false, overridable: false, message: `${n.id} is ${n.health} (${n.reason}); ${a.kind} needs it ${allowed.join(' or ')}` };
}

function freshViewCheck(n: NodeSummary, view: FleetView, policy: GuardPolicy): RuleCheck {
  const problems: string[] = [];
  if (n.health === 'stale' || n.health === 'unknown') problems.push(`its health is ${n.health} (${n.reason})`);
  for (const b of view.blind) if (b.node === n.id) problems.push(`the console is blind on its ${b.what}: ${b.reason}`);
  const age = n.lastSeenAt === null ? null : view.at - n.lastSeenAt;
  if (age === null) problems.push('the console has never heard from it');
  else if (age > policy.staleAfterMs) problems.push(`it was last heard from ${seconds(age)} s ago (more than ${seconds(policy.staleAfterMs)} s)`);
  if (problems.length === 0) return { rule: 'fresh_view', ok: true, overridable: false, message: `${n.id} was heard from ${seconds(age ?? 0)} s ago, health ${n.health}, no blind spot` };
  return { rule: 'fresh_view', ok: false, overridable: false, message: `the console's view of ${n.id} is not fresh: ${problems.join('; ')}. It does not act on a node it cannot see` };
}

function maxUnavailableCheck(kind: ActionKind, n: NodeSummary, others: Array<{ id: string; why: string }>, after: number, total: number, max: number): RuleCheck {
  if (kind === 'undrain') return { rule: 'max_unavailable', ok: true, overridable: false, message: `undrain makes ${n.id} available again` };
  const list = others.map((o) => `${o.id} ${o.why}`).join(', ');
  if (after <= max) return { rule: 'max_unavailable', ok: true, overridable: false, message: `${after} of ${total} nodes unavailable during this action (at most ${max} at once)${list ? `; already: ${list}` : ''}` };
  return {
    rule: 'max_unavailable', ok: false, overridable: false,
    message: `${others.length} of ${total} nodes already unavailable (${list}); a ${kind} of ${n.id} would make ${after}, more than the ${max} allowed at once`,
  };
}

/** ms as seconds with one decimal. */
export function seconds(ms: number): string {
  return (Math.round(ms / 100) / 10).toFixed(1);
}
