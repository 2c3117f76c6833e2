import type { ActionKind, ActionState, NodePhase, RolloutState, RuleName } from '../../../../shared/actions';
import type { IconName, Tone } from '../../ui';

/** How each action kind is named and drawn (the verb for buttons, the noun for lists). */
export const KIND_LOOK: Record<ActionKind, { verb: string; icon: IconName; /** What it does, in one line, for the dialog. */ does: string }> = {
  drain: { verb: 'Drain', icon: 'draining', does: 'stops new clients and moves its connections to the other nodes at a set rate' },
  undrain: { verb: 'Undrain', icon: 'undrain', does: 'accepts new clients again; no connection moves' },
  restart: { verb: 'Restart', icon: 'restarting', does: 'drains it, then the process exits and comes back with a new boot id' },
};

/** Action states: words, icon and tone (colour never alone). */
export const STATE_LOOK: Record<ActionState, { label: string; icon: IconName; tone: Tone }> = {
  previewed: { label: 'Previewed', icon: 'info', tone: 'muted' },
  refused: { label: 'Refused', icon: 'blocked', tone: 'warn' },
  running: { label: 'Running', icon: 'restarting', tone: 'info' },
  succeeded: { label: 'Succeeded', icon: 'check', tone: 'ok' },
  failed: { label: 'Failed', icon: 'down', tone: 'bad' },
  aborted: { label: 'Aborted', icon: 'stopCircle', tone: 'warn' },
};

export const ROLLOUT_LOOK: Record<RolloutState, { label: string; icon: IconName; tone: Tone }> = {
  running: { label: 'Running', icon: 'restarting', tone: 'info' },
  paused: { label: 'Paused', icon: 'pause', tone: 'warn' },
  succeeded: { label: 'Succeeded', icon: 'check', tone: 'ok' },
  failed: { label: 'Failed', icon: 'down', tone: 'bad' },
  aborted: { label: 'Aborted', icon: 'stopCircle', tone: 'warn' },
  abandoned: { label: 'Abandoned', icon: 'stopCircle', tone: 'muted' },
};

export const PHASE_LOOK: Record<NodePhase, { label: string; icon: IconName; tone: Tone }> = {
  pending: { label: 'Waiting', icon: 'stale', tone: 'muted' },
  draining: { label: 'Draining', icon: 'draining', tone: 'info' },
  restarting: { label: 'Restarting', icon: 'restarting', tone: 'info' },
  settling: { label: 'Healthy window', icon: 'stale', tone: 'info' },
  done: { label: 'Done', icon: 'check', tone: 'ok' },
};

/** Guard rails by the names an operator reads (the rule id stays visible next to it). */
export const RULE_LABEL: Record<RuleName, string> = {
  input: 'Request',
  known_node: 'Known node',
  admin_token: 'Admin token',
  fresh_view: 'Fresh view of the node',
  node_state: 'Node state',
  one_action_per_node: 'One action per node',
  max_unavailable: 'Max unavailable',
  capacity: 'Capacity',
};

/** Audit outcomes: words and tone. Unknown outcomes (a newer console) show as they are. */
export function outcomeLook(outcome: string): { label: string; icon: IconName; tone: Tone } {
  switch (outcome) {
    case 'succeeded':
      return { label: 'succeeded', icon: 'check', tone: 'ok' };
    case 'failed':
      return { label: 'failed', icon: 'down', tone: 'bad' };
    case 'refused':
      return { label: 'refused', icon: 'blocked', tone: 'warn' };
    case 'aborted':
    case 'abandoned':
    case 'interrupted':
      return { label: outcome, icon: 'stopCircle', tone: 'warn' };
    case 'paused':
      return { label: outcome, icon: 'pause', tone: 'warn' };
    case 'started':
    case 'resumed':
      return { label: outcome, icon: 'play', tone: 'info' };
    default:
      return { label: outcome, icon: 'info', tone: 'muted' };
  }
}
