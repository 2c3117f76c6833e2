import { useRef, useState } from 'react';
import type { RolloutPlan } from '../../../../shared/actions';
import { Icon } from '../../ui';
import { useConsoleNow } from '../live';
import { ActionAnnouncer } from './ActionAnnouncer';
import { ActionItem } from './ActionItem';
import { openActionsDialog } from './actionsUiStore';
import { RolloutCard } from './RolloutCard';
import { useActionsBlocked, useCommands } from './useCommands';

/** An ended rollout stays on the overview this long (then the audit log has it). */
const ROLLOUT_SHOWN_MS = 10 * 60_000;
/** Ended actions shown before "Show more": what runs matters most, the rest is history. */
const ENDED_SHOWN = 3;

export const ROLLOUT_BUTTON_ID = 'rolling-restart-button';

/** Why a new rolling restart cannot start, or null. */
function rolloutBlock(blocked: string | null, p: RolloutPlan | null): string | null {
  if (blocked) return blocked;
  if (p && (p.state === 'running' || p.state === 'paused')) return `a rolling restart is ${p.interrupted ? 'interrupted' : p.state}: resume, abort or abandon it first`;
  return null;
}

/**
 * Fleet actions on the overview: running and recent actions with their progress, the
 * rolling restart, and the doors to a new rolling restart and to the audit log. Says in
 * words why nothing can be done when that is so (a replay, no fleet, no link).
 */
export function ActionsPanel() {
  const commands = useCommands();
  const blocked = useActionsBlocked();
  const now = useConsoleNow();
  const rolloutBtn = useRef<HTMLButtonElement>(null);
  const [allEnded, setAllEnded] = useState(false);
  const actions = commands?.actions ?? [];
  // Running ones first (each with its progress), then the most recent ended ones.
  const runningList = actions.filter((a) => a.state === 'running');
  const ended = actions.filter((a) => a.state !== 'running');
  const shown = [...runningList, ...(allEnded ? ended : ended.slice(0, ENDED_SHOWN))];
  const p = commands?.rollout ?? null;
  const showRollout = p !== null && (p.state === 'running' || p.state === 'paused' || now - p.updatedAt < ROLLOUT_SHOWN_MS);
  const running = runningList.length;
  const rolloutWhy = rolloutBlock(blocked, p);
  const summary = [running ? `${running} running` : null, actions.length - running ? `${actions.length - running} recent` : null].filter(Boolean).join(' · ');
  return (
    <section className="actions-panel" aria-labelledby="actions-title" data-testid="actions-panel">
      <div className="actions-head">
        <h2 id="actions-title" className="panel-title">
          Fleet actions
        </h2>
        <span className="muted">{summary || 'none in the last 10 minutes'}</span>
        <div className="panel-tools">
          <button type="button" className="btn" id={ROLLOUT_BUTTON_ID} ref={rolloutBtn} disabled={rolloutWhy !== null} aria-describedby={rolloutWhy ? 'rollout-why' : undefined} onClick={() => openActionsDialog({ kind: 'rollout' })}>
            <Icon name="restarting" /> Rolling restart…
          </button>
          <button type="button" className="btn" onClick={() => openActionsDialog({ kind: 'audit' })} disabled={commands === null}>
            <Icon name="shield" /> Audit log
          </button>
        </div>
      </div>
      {blocked ? (
        <p className="actions-blocked" data-testid="actions-blocked">
          <Icon name="blocked" /> <span><b>Actions are disabled:</b> {blocked}</span>
        </p>
      ) : rolloutWhy ? (
        <p className="muted actions-note" id="rollout-why">
          Rolling restart: {rolloutWhy}.
        </p>
      ) : null}
      {blocked ? <span id="rollout-why" className="sr-only">{blocked}</span> : null}
      {showRollout ? <RolloutCard p={p} blocked={blocked} /> : null}
      {actions.length > 0 ? (
        <ol className="action-list" aria-label="Running actions, then the latest ended ones">
          {shown.map((a) => (
            <li key={a.id}>
              <ActionItem a={a} blocked={blocked} />
            </li>
          ))}
        </ol>
      ) : null}
      {ended.length > ENDED_SHOWN ? (
        <button type="button" className="btn-link actions-more" aria-expanded={allEnded} onClick={() => setAllEnded(!allEnded)}>
          {allEnded ? 'Show only the latest ended actions' : `Show ${ended.length - ENDED_SHOWN} earlier actions (last 10 minutes)`}
        </button>
      ) : null}
      {actions.length === 0 && !blocked && !showRollout ? (
        <p className="muted actions-empty">
          Drain, undrain or restart a node from its row menu (<Icon name="more" size={14} className="icon-bold" /> next to its id) or its detail panel.
        </p>
      ) : null}
      <ActionAnnouncer actions={actions} rollout={p} />
    </section>
  );
}
