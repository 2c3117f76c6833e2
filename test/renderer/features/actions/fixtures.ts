import type { ActionPreview, ActionRecord, AuditPage, AuditRecord, CommandsState, RolloutPlan, RolloutPreview } from '../../../../src/shared/actions';
import type { LiveFrame, NodeSummary } from '../../../../src/shared/api';
import { frame, node } from '../../helpers/frames';

export const T0 = 1_700_000_000_000;

/** Three serving nodes with room to spare. */
export const FLEET: NodeSummary[] = [
  node('gw-1', { connections: { ws: 80, sse: 15, longpoll: 5, total: 100 }, limit: 1000 }),
  node('gw-2', { connections: { ws: 160, sse: 30, longpoll: 10, total: 200 }, limit: 1000 }),
  node('gw-3', { connections: { ws: 240, sse: 45, longpoll: 15, total: 300 }, limit: 1000 }),
];

/** The dry run of a drain of gw-1 that every rule passes (override what a test is about). */
export function preview(o: Partial<ActionPreview> = {}): ActionPreview {
  return {
    kind: 'drain',
    node: 'gw-1',
    at: T0,
    deadlineSeconds: 120,
    disconnectRatePerSecond: 50,
    connectionsMoving: 100,
    expectedReconnectsPerSec: 50,
    expectedDrainSeconds: 2,
    forceClosedAtDeadline: 0,
    destinations: [
      { node: 'gw-2', connectionsNow: 200, connectionsAfter: 250, limit: 1000, utilizationAfter: 0.25 },
      { node: 'gw-3', connectionsNow: 300, connectionsAfter: 350, limit: 1000, utilizationAfter: 0.35 },
    ],
    headroom: { free: 1500, needed: 120, margin: 0.2 },
    unavailable: { now: [], after: 1, max: 1 },
    checks: [
      { rule: 'known_node', ok: true, overridable: false, message: 'gw-1 is in the inventory' },
      { rule: 'admin_token', ok: true, overridable: false, message: 'the console holds an admin token for gw-1' },
      { rule: 'max_unavailable', ok: true, overridable: false, message: '1 of 3 nodes unavailable during this action (at most 1 at once)' },
      { rule: 'capacity', ok: true, overridable: true, message: 'gw-1 carries 100 connections; the serving nodes have 1,500 free slots, 120 needed with the 20% margin' },
    ],
    allowed: true,
    forced: false,
    refusal: null,
    ...o,
  };
}

let ids = 0;

/** An action record (a preview by default). */
export function action(o: Partial<ActionRecord> = {}): ActionRecord {
  const id = o.id ?? `act-${++ids}`;
  return {
    id,
    kind: 'drain',
    node: 'gw-1',
    requestId: `req-${id}`,
    state: 'previewed',
    actor: 'alice',
    reason: 'kernel patch',
    force: false,
    params: { deadlineSeconds: 120, disconnectRatePerSecond: 50 },
    preview: preview(),
    steps: [{ at: T0, what: 'previewed: the guard rails pass' }],
    progress: null,
    error: null,
    startedAt: T0,
    finishedAt: null,
    bootIdBefore: 'boot-gw-1',
    bootIdAfter: null,
    rolloutId: null,
    ...o,
  };
}

/** The frame's brief of an action (no preview). */
export function brief(a: ActionRecord): CommandsState['actions'][number] {
  const { preview: _p, ...rest } = a;
  return rest;
}

export function commands(o: Partial<CommandsState> = {}): CommandsState {
  return { revision: 1, actions: [], rollout: null, disabled: null, ...o };
}

/** A live frame of FLEET (or `nodes`) carrying these fleet actions. */
export function frameWith(c: CommandsState | null, o: { nodes?: NodeSummary[]; ts?: number; mode?: 'live' | 'replay' } = {}): LiveFrame {
  return frame(o.nodes ?? FLEET, { ts: o.ts ?? T0, session: { mode: o.mode ?? 'live', commands: c, recorder: null, replay: null } });
}

export function rollout(o: Partial<RolloutPlan> = {}): RolloutPlan {
  const n = (id: string, phase: RolloutPlan['nodes'][number]['phase'], conns: number) => ({
    id, phase, connectionsAtStart: conns, drainRequestId: `d-${id}`, restartRequestId: `r-${id}`, drainSent: phase !== 'pending', restartSent: phase === 'settling' || phase === 'done',
    bootIdBefore: `boot-${id}`, bootIdAfter: phase === 'done' ? `boot-${id}-2` : null, startedAt: phase === 'pending' ? null : T0, finishedAt: phase === 'done' ? T0 + 30_000 : null, actionIds: [],
  });
  return {
    v: 1,
    id: 'roll-1',
    actor: 'alice',
    reason: 'new gateway build',
    createdAt: T0 - 60_000,
    updatedAt: T0,
    state: 'running',
    pauseReason: null,
    interrupted: false,
    settings: { order: 'fewest_connections', maxUnavailable: 1, deadlineSeconds: 120, disconnectRatePerSecond: 50, healthyWindowMs: 5000, maxLagP99Ms: 500, maxReconnectsPerSec: 110, comeBackTimeoutMs: 60_000, breachForMs: 2000 },
    nodes: [n('gw-1', 'done', 100), n('gw-2', 'draining', 200), n('gw-3', 'pending', 300)],
    steps: [{ at: T0 - 60_000, what: 'planned: gw-1 → gw-2 → gw-3 (fewest connections), at most 1 at once' }],
    owner: { pid: 1, host: 'console-host' },
    ...o,
  };
}

export function rolloutPreview(o: Partial<RolloutPreview> = {}): RolloutPreview {
  const p = rollout();
  return {
    nodes: [
      { node: 'gw-1', connections: 100, refusal: null },
      { node: 'gw-2', connections: 200, refusal: null },
      { node: 'gw-3', connections: 300, refusal: null },
    ],
    settings: p.settings,
    blocking: null,
    first: preview(),
    confirmText: 'fleet 3',
    ...o,
  };
}

export function auditRecord(o: Partial<AuditRecord> = {}): AuditRecord {
  return {
    v: 1,
    ts: new Date(T0).toISOString(),
    actor: 'alice',
    host: 'console-host',
    pid: 42,
    action: 'drain',
    outcome: 'succeeded',
    actionId: 'act-9',
    nodes: ['gw-1'],
    params: { deadlineSeconds: 120, disconnectRatePerSecond: 50 },
    reason: 'kernel patch',
    error: null,
    startedAt: T0 - 3000,
    finishedAt: T0,
    durationMs: 3000,
    prevHash: '0'.repeat(64),
    hash: `${String(++ids).padStart(4, '0')}${'a'.repeat(60)}`,
    ...o,
  };
}

export function auditPage(records: AuditRecord[], o: Partial<AuditPage> = {}): AuditPage {
  return { file: '/var/lib/switchboard/audit.jsonl', records, matched: records.length, total: records.length, verdict: { ok: true }, ...o };
}
