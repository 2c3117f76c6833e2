import { useRef } from 'react';
import type { ActionKind, CommandsState } from '../../../../shared/actions';
import type { NodeSummary } from '../../../../shared/api';
import { jsonEqual } from '../../lib/jsonEqual';
import { useLive } from '../live';
import type { LiveState } from '../live';

/**
 * Selects from the live state, keeping the previous value while the new one is equal as
 * JSON: frames bring a fresh copy of the session ten times a second, and the actions
 * views should re-render only when what they show changed.
 */
export function useLiveJson<T>(selector: (s: LiveState) => T): T {
  const prev = useRef<{ v: T } | null>(null);
  return useLive((s) => {
    const v = selector(s);
    if (prev.current && jsonEqual(prev.current.v, v)) return prev.current.v;
    prev.current = { v };
    return v;
  });
}

/**
 * The fleet actions of the newest frame (never the paused view: acting is always about
 * now). Null before the first frame or where the session has none.
 */
export function useCommands(): CommandsState | null {
  return useLiveJson((s) => s.latest?.frame.session.commands ?? null);
}

/** Why no action can be taken from this page now, or null. */
export function useActionsBlocked(): string | null {
  return useLive((s) => actionsBlocked(s));
}

export function actionsBlocked(s: LiveState): string | null {
  if (s.link.state !== 'open') return 'not connected to the console: actions wait for the link';
  const f = s.latest?.frame;
  if (!f) return 'no data from the console yet';
  const c = f.session.commands;
  if (c?.disabled) return c.disabled;
  if (!c) return f.session.mode === 'replay' ? 'a replay is open: actions are disabled' : 'this console has no fleet actions (they need a live fleet and a data folder for the audit log)';
  return null;
}

/** Node health each action applies to (the guard rails judge again on the console's view). */
const APPLIES: Record<ActionKind, readonly NodeSummary['health'][]> = {
  drain: ['up'],
  undrain: ['draining', 'drained'],
  restart: ['up', 'draining', 'drained'],
};

/**
 * Why this action cannot be asked for this node now (shown next to the disabled control),
 * or null when it may be previewed. `blocked` is the page-wide reason (useActionsBlocked).
 */
export function nodeActionBlock(kind: ActionKind, n: NodeSummary | undefined, blocked: string | null, running: string | null): string | null {
  if (blocked) return blocked;
  if (!n) return 'the node is no longer in the inventory';
  if (!n.canAdmin) return `the console has no admin token for ${n.id}`;
  if (running) return `${running} is under way on ${n.id}`;
  if (APPLIES[kind].includes(n.health)) return null;
  if (n.health === 'stale' || n.health === 'unknown') return `the console cannot see ${n.id} well enough (${n.health})`;
  if (kind === 'drain' && (n.health === 'draining' || n.health === 'drained')) return `${n.id} is already ${n.health}`;
  if (kind === 'undrain' && n.health === 'up') return `${n.id} is serving: nothing to undrain`;
  return `${n.id} is ${n.health}`;
}

/** The action running on a node now, as words (`a drain`), or null. */
export function runningOn(c: CommandsState | null, node: string): string | null {
  const a = c?.actions.find((x) => x.node === node && x.state === 'running');
  return a ? `a ${a.kind}` : null;
}
