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
