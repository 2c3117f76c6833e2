import { z } from 'zod';

/**
 * The shapes of fleet actions: what a caller asks for, the dry-run preview, and the record
 * of an action as it runs and ends. Everything here is plain JSON (numbers, strings,
 * arrays, null), so the UI can receive it as is over IPC or the serve bridge.
 * Times are ms since the epoch; rates per second; durations in the unit their name says.
 */

export const ACTION_KINDS = ['drain', 'undrain', 'restart'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/**
 * `previewed`: a dry run, nothing was sent. `refused`: a guard rail (or bad input) said no,
 * nothing was sent. `running` → `succeeded` | `failed` | `aborted` once something was sent.
 */
export type ActionState = 'previewed' | 'refused' | 'running' | 'succeeded' | 'failed' | 'aborted';

/** The guard rails, each a rule with a name an operator can look up. */
export type RuleName = 'input' | 'known_node' | 'admin_token' | 'fresh_view' | 'node_state' | 'one_action_per_node' | 'max_unavailable' | 'capacity';

/** One guard rail's verdict. `overridable`: `force` (with a reason) may pass it anyway. */
export interface RuleCheck {
  rule: RuleName;
  ok: boolean;
  /** Why, with the numbers it judged by. */
  message: string;
  overridable: boolean;
}

/** A serving node that takes a share of the moving connections, spread by its headroom. */
export interface Destination {
  node: string;
  connectionsNow: number;
  connectionsAfter: number;
  limit: number;
  /** connectionsAfter / limit, rounded to 0.001. */
  utilizationAfter: number;
}

/** What an action would do, judged on the console's view right now. Nothing is sent. */
export interface ActionPreview {
  kind: ActionKind;
  node: string;
  at: number;
  deadlineSeconds: number;
  disconnectRatePerSecond: number;
  /** Connections the node carries now, which a drain or restart moves elsewhere. */
  connectionsMoving: number;
  /** Reconnects per second the rest of the fleet should see: the disconnect rate, while the drain lasts. */
  expectedReconnectsPerSec: number;
  /** How long the drain should take at that rate, at most the deadline. */
  expectedDrainSeconds: number;
  /** Connections still open at the deadline at that rate: force-closed all at once. */
  forceClosedAtDeadline: number;
  destinations: Destination[];
  /** Free connection slots on the serving nodes, and what the moving connections need with the margin. */
  headroom: { free: number; needed: number; margin: number } | null;
  /** Nodes unavailable now (draining, drained, restarting, down, stale, unknown, or acted on) and after this action. */
  unavailable: { now: string[]; after: number; max: number };
  checks: RuleCheck[];
  /** Every rule passed, or only overridable ones failed and `force` was given. */
  allowed: boolean;
  /** `force` was given and overrode at least one failed rule. */
  forced: boolean;
  /** The first failed rule's message when not allowed. */
  refusal: string | null;
}

export interface ActionStep {
  at: number;
  what: string;
  detail?: Record<string, string | number | boolean | null>;
}

/** Drain progress, from the node's events as the console sees them or from `/admin/status`. */
export interface ActionProgress {
  at: number;
  remaining: number;
  ratePerSec: number;
  /** remaining / rate; null when the rate is 0. */
  etaSeconds: number | null;
  source: 'events' | 'status';
}

/** An action from intent to outcome. */
export interface ActionRecord {
  id: string;
  kind: ActionKind;
  node: string;
  /** One per intent: every (re)try of this action sends the same id, so the node acts once. */
  requestId: string;
  state: ActionState;
  actor: string;
  reason: string;
  /** `force` was asked for (whether or not it overrode anything: see preview.forced). */
  force: boolean;
  params: { deadlineSeconds: number; disconnectRatePerSecond: number };
  preview: ActionPreview;
  steps: ActionStep[];
  progress: ActionProgress | null;
  error: string | null;
  startedAt: number;
  finishedAt: number | null;
  bootIdBefore: string | null;
  bootIdAfter: string | null;
  /** Set when the action is a step of a rolling restart. */
  rolloutId: string | null;
}

const reason = z.string().trim().min(3, 'say why, in at least 3 characters').max(500);

/** What a caller (UI, CLI) asks for. Validated at the boundary; unknown fields are rejected. */
export const actionRequestSchema = z
  .object({
    kind: z.enum(ACTION_KINDS),
    node: z.string().min(1).max(200),
    reason,
    deadlineSeconds: z.number().positive().max(86_400).optional(),
    disconnectRatePerSecond: z.number().positive().max(1_000_000).optional(),
    force: z.boolean().optional(),
  })
  .strict();
export type ActionRequest = z.input<typeof actionRequestSchema>;

/** A rolling restart as asked for. Durations in ms unless the name says seconds. */
export const rolloutRequestSchema = z
  .object({
    reason,
    /** A selection of node ids; default the whole fleet. */
    nodes: z.array(z.string().min(1).max(200)).min(1).max(1000).optional(),
    /** `fewest_connections` first (default), or the order of `nodes`. */
    order: z.enum(['fewest_connections', 'given']).optional(),
    maxUnavailable: z.number().int().min(1).max(1000).optional(),
    deadlineSeconds: z.number().positive().max(86_400).optional(),
    disconnectRatePerSecond: z.number().positive().max(1_000_000).optional(),
    /** Fleet figures must stay under the thresholds this long after a node came back. */
    healthyWindowMs: z.number().int().min(0).max(3_600_000).optional(),
    /** Pub/sub lag p99 (worst node) above this is an SLO breach; default 500 ms. */
    maxLagP99Ms: z.number().positive().max(1e7).optional(),
    /** Fleet reconnects per second above this are a breach; default the fleet's rate at the start + 2 × the disconnect rate + 10. */
    maxReconnectsPerSec: z.number().positive().max(1e9).optional(),
    /** A restarted node must be back (new boot id, serving) within this. */
    comeBackTimeoutMs: z.number().int().positive().max(3_600_000).optional(),
    /** A threshold must be exceeded this long before the rollout pauses. */
    breachForMs: z.number().int().min(0).max(600_000).optional(),
  })
  .strict();
export type RolloutRequest = z.input<typeof rolloutRequestSchema>;

/** Defaults of an action. */
export const ACTION_DEFAULTS = { deadlineSeconds: 120, disconnectRatePerSecond: 50 } as const;

/**
 * A rolling restart's plan and state, as kept in its state file: enough to pick it up
 * after the console itself restarted (which node is where, and the request ids of every
 * intent, so a resumed step is the same request to the node, never a second one).
 */
export type RolloutState = 'running' | 'paused' | 'succeeded' | 'failed' | 'aborted' | 'abandoned';
/** Per node: pending → draining → restarting → settling (healthy window) → done. */
export type NodePhase = 'pending' | 'draining' | 'restarting' | 'settling' | 'done';

export interface RolloutNode {
  id: string;
  phase: NodePhase;
  connectionsAtStart: number;
  drainRequestId: string;
  restartRequestId: string;
  /** The drain was sent (a node seen serving again in the same boot was undrained meanwhile). */
  drainSent: boolean;
  restartSent: boolean;
  bootIdBefore: string | null;
  bootIdAfter: string | null;
  startedAt: number | null;
  finishedAt: number | null;
  actionIds: string[];
}

export interface RolloutSettings {
  order: 'fewest_connections' | 'given';
  maxUnavailable: number;
  deadlineSeconds: number;
  disconnectRatePerSecond: number;
  healthyWindowMs: number;
  maxLagP99Ms: number;
  maxReconnectsPerSec: number;
  comeBackTimeoutMs: number;
  breachForMs: number;
}

export interface RolloutPlan {
  v: 1;
  id: string;
  actor: string;
  reason: string;
  createdAt: number;
  updatedAt: number;
  state: RolloutState;
  /** Why it is paused (an SLO breach with its numbers, a refusal, an operator, an interrupted console). */
  pauseReason: string | null;
  /** Loaded from the state file of a console that stopped while this rollout ran. */
  interrupted: boolean;
  settings: RolloutSettings;
  nodes: RolloutNode[];
  /** The most recent steps (bounded). */
  steps: ActionStep[];
  /** The console process that runs it. */
  owner: { pid: number; host: string } | null;
}


/** One line of the audit log (see src/main/core/commands/auditLog.ts for the chain). */
export interface AuditEntry {
  /** `drain` | `undrain` | `restart` | `rollout_restart`. */
  action: string;
  /** `started` | `refused` | `succeeded` | `failed` | `aborted` | `paused` | `resumed` | `abandoned` | … */
  outcome: string;
  /** The action's (or rollout's) id: the records of one action share it. */
  actionId: string;
  nodes: string[];
  params: Record<string, unknown>;
  reason: string;
  forced?: boolean;
  preview?: unknown;
  result?: unknown;
  error?: string | null;
  startedAt?: number | null;
  finishedAt?: number | null;
  durationMs?: number | null;
}

export interface AuditRecord extends AuditEntry {
  v: 1;
  /** ISO 8601 time of writing. */
  ts: string;
  actor: string;
  host: string;
  pid: number;
  prevHash: string;
  hash: string;
}


// ---- the console API's action operations (validated at the boundary, see bridge.ts) ----

const id = z.string().min(1).max(100);

/** What the operator types to confirm an action on one node: the node's id, in full. */
export function actionConfirmText(node: string): string {
  return node;
}

/** What the operator types to confirm a rolling restart: the word `fleet` and the node count. */
export function rolloutConfirmText(nodeCount: number): string {
  return `fleet ${nodeCount}`;
}

export const confirmActionSchema = z.object({ id, confirmText: z.string().max(300) }).strict();
export type ConfirmActionRequest = z.infer<typeof confirmActionSchema>;

export const abortActionSchema = z.object({ id, reason }).strict();
export type AbortActionRequest = z.infer<typeof abortActionSchema>;

export const startRolloutSchema = z.object({ request: rolloutRequestSchema, confirmText: z.string().max(300) }).strict();
export type StartRolloutRequest = z.input<typeof startRolloutSchema>;

export const ROLLOUT_CONTROLS = ['pause', 'resume', 'abort', 'abandon'] as const;
export const rolloutControlSchema = z.object({ op: z.enum(ROLLOUT_CONTROLS), reason }).strict();
export type RolloutControl = z.infer<typeof rolloutControlSchema>;

/** A rolling restart's dry run: the order, what each node carries, and what would refuse it. */
export interface RolloutPreview {
  nodes: { node: string; connections: number; refusal: string | null }[];
  settings: RolloutSettings;
  /** The first rule that refuses the rollout now, or null when it may start. */
  blocking: string | null;
  /** The first node's full preview (where its connections go). */
  first: ActionPreview | null;
  /** What the operator must type to start it. */
  confirmText: string;
}

export const auditQuerySchema = z
  .object({
    limit: z.number().int().min(1).max(2000).default(200),
    node: z.string().min(1).max(200).optional(),
    actor: z.string().min(1).max(200).optional(),
    action: z.string().min(1).max(50).optional(),
    outcome: z.string().min(1).max(50).optional(),
    /** Matched case-insensitively against the reason, error and action id. */
    text: z.string().min(1).max(200).optional(),
  })
  .strict();
export type AuditQuery = z.input<typeof auditQuerySchema>;

/** Audit records matching a query (newest first) and whether the whole chain is intact. */
export interface AuditPage {
  file: string;
  records: AuditRecord[];
  /** Records matching the query (records holds at most `limit` of them). */
  matched: number;
  total: number;
  verdict: { ok: true } | { ok: false; line: number; reason: string };
}

/** Fleet actions as the UI sees them in every frame (recent ones; full records via getActions). */
export interface CommandsState {
  /** Bumped on every change of an action or the rollout: refetch getActions when it moves. */
  revision: number;
  /** Running actions and those ended in the last 10 minutes, newest first, at most 20, without their previews. */
  actions: Omit<ActionRecord, 'preview'>[];
  /** The rollout with at most its last 20 steps. */
  rollout: RolloutPlan | null;
  /** Why actions cannot be taken here, or null. */
  disabled: string | null;
}

/** Every action this console knows (newest first) and the current or last rollout. */
export interface ActionsPage {
  actions: ActionRecord[];
  rollout: RolloutPlan | null;
  /** Where the audit log is. */
  auditFile: string | null;
}
