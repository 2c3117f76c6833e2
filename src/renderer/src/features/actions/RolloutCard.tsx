import type { RolloutControl, RolloutPlan } from '../../../../shared/actions';
import { formatClock, formatCount, formatDuration } from '../../lib/format';
import { Icon } from '../../ui';
import { useConsoleNow } from '../live';
import { PHASE_LOOK, ROLLOUT_LOOK } from './actionLook';
import { openActionsDialog } from './actionsUiStore';
import { ProgressBar } from './ProgressBar';
import { StepList } from './StepList';

export const ROLLOUT_TITLE_ID = 'rollout-title';

/** Who paused it, from the plan's steps (`paused by itself: …`, `paused by alice: …`). */
function pausedBy(p: RolloutPlan): string {
  if (p.interrupted) return 'Interrupted';
  for (let i = p.steps.length - 1; i >= 0; i--) {
    const w = p.steps[i].what;
    if (w.startsWith('paused by itself')) return 'Paused by itself';
    const m = /^paused by ([^:]+):/.exec(w);
    if (m) return `Paused by ${m[1]}`;
  }
  return 'Paused';
}

/**
 * The rolling restart: nodes done of total as a bar, each node's phase in words, why it is
 * paused (an SLO breach names its numbers), an interrupted rollout after a console restart,
 * and Pause / Resume / Abort / Abandon, each asking for a reason.
 */
export function RolloutCard({ p, blocked }: { p: RolloutPlan; blocked: string | null }) {
  const now = useConsoleNow();
  const look = ROLLOUT_LOOK[p.state];
  const done = p.nodes.filter((n) => n.phase === 'done').length;
  const total = p.nodes.length;
  const current = p.nodes.filter((n) => n.phase !== 'pending' && n.phase !== 'done').map((n) => `${n.id} ${PHASE_LOOK[n.phase].label.toLowerCase()}`);
  const active = p.state === 'running' || p.state === 'paused';
  const controls: { op: RolloutControl['op']; label: string; icon: 'pause' | 'play' | 'stopCircle'; danger: boolean }[] = [];
  if (p.state === 'running') controls.push({ op: 'pause', label: 'Pause…', icon: 'pause', danger: false });
  if (p.state === 'paused') controls.push({ op: 'resume', label: 'Resume…', icon: 'play', danger: false });
  if (active) controls.push({ op: 'abort', label: 'Abort…', icon: 'stopCircle', danger: true });
  if (p.state === 'paused') controls.push({ op: 'abandon', label: 'Abandon…', icon: 'stopCircle', danger: true });
  const barText = `${done} of ${total} nodes restarted${current.length ? `; now: ${current.join(', ')}` : ''}`;
  return (
    <section className={`rollout-card rollout-${p.state}${p.interrupted ? ' is-interrupted' : ''}`} aria-labelledby={ROLLOUT_TITLE_ID} data-testid="rollout-card" data-state={p.state}>
      <div className="action-line">
        <h3 className="action-title" id={ROLLOUT_TITLE_ID} tabIndex={-1}>
          <Icon name="restarting" size={15} /> Rolling restart of {total} nodes
        </h3>
        <span className={`badge tone-${look.tone}`} data-testid="rollout-state">
          <Icon name={look.icon} size={14} />
          <span>{p.state === 'paused' ? pausedBy(p) : look.label}</span>
        </span>
        <span className="muted action-time">
          by {p.actor} · {formatClock(p.createdAt)} · {active ? `for ${formatDuration(now - p.createdAt)}` : `ended ${formatClock(p.updatedAt)}`}
        </span>
        <span className="action-spacer" />
        {controls.map((c) => (
          <button key={c.op} type="button" className={c.danger ? 'btn btn-small btn-danger-outline' : 'btn btn-small'} disabled={blocked !== null} onClick={() => openActionsDialog({ kind: 'rolloutControl', op: c.op })} data-op={c.op}>
            <Icon name={c.icon} size={14} /> {c.label}
          </button>
        ))}
      </div>
      <p className="action-why">
        <span className="muted">why:</span> “{p.reason}”
      </p>
      {p.state === 'paused' && p.pauseReason ? (
        <p className={`verdict ${p.interrupted ? 'verdict-bad' : 'verdict-warn'}`} role="alert" data-testid="rollout-pause-reason">
          <Icon name={p.interrupted ? 'critical' : 'pause'} />
          <span>
            <b>{pausedBy(p)}:</b> {p.pauseReason}
            {p.interrupted ? ' Resume carries on where each node really is; Abandon leaves the nodes as they are.' : ''}
          </span>
        </p>
      ) : null}
      <ProgressBar value={done} max={total} label="Nodes restarted" valueText={barText} tone={p.state === 'succeeded' ? 'ok' : p.state === 'running' ? 'info' : 'warn'} />
      <p className="drain-text">
        <b>{barText}</b>
      </p>
      <ol className="rollout-nodes" aria-label="Nodes of the rolling restart, in order">
        {p.nodes.map((n, i) => {
          const ph = PHASE_LOOK[n.phase];
          return (
            <li key={n.id} data-node={n.id} data-phase={n.phase} className={`rnode phase-${n.phase}`}>
              <span className="order-n">{i + 1}</span>
              <b>{n.id}</b>
              <span className={`badge tone-${ph.tone}`}>
                <Icon name={ph.icon} size={13} />
                <span>{ph.label}</span>
              </span>
              <span className="muted rnode-extra">
                {formatCount(n.connectionsAtStart)} conn.{n.bootIdAfter ? ` · boot ${short(n.bootIdBefore)} → ${short(n.bootIdAfter)}` : ''}
              </span>
            </li>
          );
        })}
      </ol>
      <StepList steps={p.steps} label="Steps of the rolling restart" />
    </section>
  );
}

const short = (id: string | null) => (id ? id.slice(0, 8) : '?');
