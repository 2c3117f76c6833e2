import { useId, useState } from 'react';
import type { ActionRecord, RolloutControl, RolloutPlan } from '../../../../shared/actions';
import type { Result } from '../../../../shared/api';
import { Icon } from '../../ui';
import type { IconName } from '../../ui';
import { useApi } from '../live';
import { Modal } from './Modal';
import { reasonOk } from './fieldRules';
import { useActionsBlocked, useCommands } from './useCommands';

interface Ask {
  title: string;
  /** What happens, in one or two sentences. */
  effect: string;
  verb: string;
  icon: IconName;
  danger: boolean;
  run(reason: string): Promise<Result<ActionRecord | RolloutPlan>>;
}

/**
 * Asks for the reason of an abort, pause, resume or abandon, says what it will do, and
 * does it. Errors stay in the dialog; on success it closes (the panel shows the new state).
 */
function ReasonDialog({ ask, onClose, testId }: { ask: Ask; onClose(): void; testId: string }) {
  const blocked = useActionsBlocked();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const hint = useId();
  const ok = reasonOk(reason) && !blocked && !busy;
  const submit = async () => {
    if (!ok) return;
    setBusy(true);
    setError(null);
    const r = await ask.run(reason.trim());
    setBusy(false);
    if (r.ok) onClose();
    else setError(r.message);
  };
  return (
    <Modal
      title={
        <>
          <Icon name={ask.icon} /> {ask.title}
        </>
      }
      subtitle={ask.effect}
      onClose={onClose}
      testId={testId}
      footer={
        <>
          <p className="foot-missing" aria-live="polite">
            {blocked ? `Actions are disabled: ${blocked}` : busy ? 'Sending…' : reasonOk(reason) ? '' : 'To continue: a reason of at least 3 characters'}
          </p>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className={ask.danger ? 'btn btn-danger' : 'btn btn-primary'} disabled={!ok} onClick={() => void submit()}>
            <Icon name={ask.icon} /> {ask.verb}
          </button>
        </>
      }
    >
      <form
        className="action-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="form-row">
          <label htmlFor={id} className="form-label">
            Reason <span className="muted">(required, recorded in the audit log)</span>
          </label>
          <textarea id={id} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby={hint} maxLength={500} required />
          <span id={hint} className="form-hint">
            At least 3 characters.
          </span>
        </div>
        {error ? (
          <p className="verdict verdict-bad" role="alert">
            <Icon name="down" /> <span><b>Not done:</b> {error}</span>
          </p>
        ) : null}
      </form>
    </Modal>
  );
}

/** Abort a running drain: the node is undrained; moved connections stay where they went. */
export function AbortActionDialog({ actionId, label, onClose }: { actionId: string; label: string; onClose(): void }) {
  const api = useApi();
  const commands = useCommands();
  const a = commands?.actions.find((x) => x.id === actionId);
  const node = a?.node ?? 'the node';
  return (
    <ReasonDialog
      testId="abort-dialog"
      onClose={onClose}
      ask={{
        title: `Abort the ${label}`,
        effect: `Stops the drain and undrains ${node}: it accepts new clients again. Connections already moved stay where they are.`,
        verb: 'Abort the drain',
        icon: 'stopCircle',
        danger: true,
        run: (reason) => api.abortAction({ id: actionId, reason }),
      }}
    />
  );
}

/** Pause, resume, abort or abandon the rolling restart, with a reason. */
export function RolloutControlDialog({ op, onClose }: { op: RolloutControl['op']; onClose(): void }) {
  const api = useApi();
  const commands = useCommands();
  const plan = commands?.rollout ?? null;
  const midway = plan ? plan.nodes.filter((n) => n.phase !== 'pending' && n.phase !== 'done').map((n) => `${n.id} (${n.phase})`) : [];
  const asks: Record<RolloutControl['op'], Omit<Ask, 'run'>> = {
    pause: { title: 'Pause the rolling restart', verb: 'Pause', icon: 'pause', danger: false, effect: 'No further node starts. A node already draining or restarting is followed to its end (a drain cannot be frozen).' },
    resume: {
      title: plan?.interrupted ? 'Resume the interrupted rolling restart' : 'Resume the rolling restart',
      verb: 'Resume',
      icon: 'play',
      danger: false,
      effect: `Carries on with the next node, picking each node up where it really is${plan?.interrupted ? ' (this rollout was interrupted when its console stopped)' : ''}.`,
    },
    abort: { title: 'Abort the rolling restart', verb: 'Abort the rollout', icon: 'stopCircle', danger: true, effect: 'Stops the rollout for good. A node it drained and has not restarted yet is undrained; restarted nodes stay as they are.' },
    abandon: {
      title: 'Abandon the rolling restart',
      verb: 'Abandon',
      icon: 'stopCircle',
      danger: true,
      effect: `Gives the rollout up without touching any node.${midway.length ? ` Left mid-way: ${midway.join(', ')} — undrain or restart them yourself.` : ' No node is mid-way.'}`,
    },
  };
  return <ReasonDialog testId="rollout-control-dialog" onClose={onClose} ask={{ ...asks[op], run: (reason) => api.controlRollout({ op, reason }) }} />;
}
