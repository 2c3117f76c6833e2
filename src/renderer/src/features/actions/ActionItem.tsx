import { memo } from 'react';
import type { CommandsState } from '../../../../shared/actions';
import { formatClock, formatCount, formatDuration, formatRate } from '../../lib/format';
import { Icon } from '../../ui';
import { useConsoleNow } from '../live';
import { KIND_LOOK, STATE_LOOK } from './actionLook';
import { openActionsDialog } from './actionsUiStore';
import { drainFigures } from './drainProgress';
import { ProgressBar } from './ProgressBar';
import { StepList } from './StepList';

export type ActionBrief = CommandsState['actions'][number];

/**
 * One action as it runs and ends: what, on which node, by whom and why; its state in words;
 * a drain's progress (moved of the connections at the start, rate, ETA); the error if it
 * failed or was refused; every step on demand; Abort for a running drain.
 */
export const ActionItem = memo(function ActionItem({ a, blocked, headingLevel = 3 }: { a: ActionBrief; blocked: string | null; headingLevel?: 3 | 4 }) {
  const kind = KIND_LOOK[a.kind];
  const state = STATE_LOOK[a.state];
  const drain = drainFigures(a);
  const H = headingLevel === 3 ? 'h3' : 'h4';
  const canAbort = a.state === 'running' && a.kind === 'drain';
  return (
    <article className={`action-item state-${a.state}${a.state === 'running' ? '' : ' is-ended'}`} data-action-id={a.id} data-state={a.state} aria-label={`${kind.verb} of ${a.node}: ${state.label.toLowerCase()}`}>
      <div className="action-line">
        <H className="action-title">
          <Icon name={kind.icon} size={15} /> {kind.verb} <span className="action-node">{a.node}</span>
        </H>
        <span className={`badge tone-${state.tone}`} data-testid="action-state">
          <Icon name={state.icon} size={14} className={a.state === 'running' ? 'spin-slow' : undefined} />
          <span>{state.label}</span>
        </span>
        <Timing a={a} />
        {a.force ? <span className="chip chip-warn">with force</span> : null}
        {a.rolloutId ? <span className="chip">rolling restart</span> : null}
        <span className="action-spacer" />
        {canAbort ? (
          <button type="button" className="btn btn-small" disabled={blocked !== null} title={blocked ?? undefined} onClick={() => openActionsDialog({ kind: 'abort', actionId: a.id, label: `${a.kind} of ${a.node}` })}>
            <Icon name="stopCircle" size={14} /> Abort drain…
          </button>
        ) : null}
      </div>
      <p className="action-why">
        <span className="muted">by {a.actor}:</span> “{a.reason}”
      </p>
      {drain ? <DrainBar a={a} d={drain} /> : null}
      {a.error ? (
        <p className={`action-error tone-${a.state === 'failed' ? 'bad' : 'warn'}`} role={a.state === 'failed' || a.state === 'refused' ? 'alert' : undefined}>
          <Icon name={state.icon} size={14} /> <b>{state.label}:</b> {a.error}
        </p>
      ) : null}
      <StepList steps={a.steps} label={`Steps of the ${a.kind} of ${a.node}`} />
    </article>
  );
});

function Timing({ a }: { a: ActionBrief }) {
  const now = useConsoleNow();
  const took = (a.finishedAt ?? now) - a.startedAt;
  return (
    <span className="muted action-time">
      {formatClock(a.startedAt)} · {a.finishedAt === null ? `for ${formatDuration(took)}` : `took ${formatDuration(took)}`}
    </span>
  );
}

function DrainBar({ a, d }: { a: ActionBrief; d: NonNullable<ReturnType<typeof drainFigures>> }) {
  const label = a.kind === 'restart' ? `Drain of ${a.node} before its restart` : `Drain of ${a.node}`;
  const start = d.atStart ?? 0;
  const text = d.done
    ? start === 0
      ? 'drained: it carried no connection'
      : `drained: ${formatCount(start)} of ${formatCount(start)} connections moved`
    : `${formatCount(d.moved)} of ${formatCount(start)} connections moved, ${formatCount(d.remaining)} left`;
  const running = a.state === 'running';
  return (
    <div className="drain" data-testid="drain-progress" data-remaining={d.remaining} data-done={d.done ? 'true' : 'false'}>
      <ProgressBar value={d.done ? Math.max(start, 1) : d.moved} max={Math.max(start, 1)} label={label} valueText={text} tone={d.done ? 'ok' : a.state === 'failed' ? 'bad' : 'info'} />
      <p className="drain-text">
        <b>{text}</b>
        {running ? (
          <span className="muted">
            {' '}
            · {formatRate(d.ratePerSec)}/s now (asked {formatRate(a.params.disconnectRatePerSecond)}/s) · {d.etaSeconds === null ? 'ETA unknown' : `ETA ${formatDuration(d.etaSeconds * 1000)}`} · deadline {formatDuration(a.params.deadlineSeconds * 1000)}
          </span>
        ) : null}
      </p>
    </div>
  );
}
