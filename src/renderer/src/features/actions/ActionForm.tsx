import { useId } from 'react';
import type { ActionKind, ActionPreview } from '../../../../shared/actions';
import { Icon } from '../../ui';
import { parsePositive, reasonOk } from './fieldRules';

/** What the operator types in the action dialog (numbers as typed: empty = the default). */
export interface ActionFields {
  reason: string;
  deadline: string;
  rate: string;
  force: boolean;
  typed: string;
}

/**
 * The right-hand column of the action dialog: reason, optional deadline and rate, force
 * (only while an overridable rule fails, or once ticked), and the node id to type, with
 * what exactly to type. Enter in a field confirms once everything is in place.
 */
export function ActionForm({ kind, node, p, fields, onChange, expected, error, ready, onSubmit }: {
  kind: ActionKind;
  node: string;
  p: ActionPreview | null;
  fields: ActionFields;
  onChange(f: ActionFields): void;
  expected: string;
  error: string | null;
  ready: boolean;
  onSubmit(): void;
}) {
  const ids = { reason: useId(), reasonHint: useId(), confirm: useId(), confirmHint: useId(), deadline: useId(), rate: useId() };
  const set = (patch: Partial<ActionFields>) => onChange({ ...fields, ...patch });
  const deadline = parsePositive(fields.deadline, 'Deadline', 86_400);
  const rate = parsePositive(fields.rate, 'Disconnect rate', 1_000_000);
  const overridable = p?.checks.filter((c) => !c.ok && c.overridable).map((c) => c.rule) ?? [];
  const shortReason = fields.reason !== '' && !reasonOk(fields.reason);
  return (
    <form
      className="action-form action-side"
      aria-label={`Confirm the ${kind} of ${node}`}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <div className="form-row">
        <label htmlFor={ids.reason} className="form-label">
          Reason <span className="muted">(required, recorded in the audit log with your name)</span>
        </label>
        <textarea id={ids.reason} data-autofocus rows={3} value={fields.reason} onChange={(e) => set({ reason: e.target.value })} aria-describedby={ids.reasonHint} aria-invalid={shortReason} maxLength={500} required />
        <span id={ids.reasonHint} className={`form-hint${shortReason ? ' tone-warn' : ''}`}>
          At least 3 characters: why now, and a ticket if there is one.
        </span>
      </div>
      {kind !== 'undrain' ? (
        <div className="form-grid">
          <div className="form-row">
            <label htmlFor={ids.deadline} className="form-label">
              Deadline <span className="muted">(s, optional)</span>
            </label>
            <input id={ids.deadline} inputMode="decimal" value={fields.deadline} placeholder={`${p?.deadlineSeconds ?? 120} (default)`} onChange={(e) => set({ deadline: e.target.value })} aria-invalid={!deadline.ok} />
            {!deadline.ok ? <span className="form-hint tone-bad">{deadline.message}</span> : <span className="form-hint">Still open then: force-closed.</span>}
          </div>
          <div className="form-row">
            <label htmlFor={ids.rate} className="form-label">
              Disconnect rate <span className="muted">(/s, optional)</span>
            </label>
            <input id={ids.rate} inputMode="decimal" value={fields.rate} placeholder={`${p?.disconnectRatePerSecond ?? 50} (default)`} onChange={(e) => set({ rate: e.target.value })} aria-invalid={!rate.ok} />
            {!rate.ok ? <span className="form-hint tone-bad">{rate.message}</span> : <span className="form-hint">The reconnects the others see.</span>}
          </div>
        </div>
      ) : null}
      {overridable.length > 0 || fields.force ? (
        <div className="form-row force-row">
          <label className="check-label">
            <input type="checkbox" checked={fields.force} onChange={(e) => set({ force: e.target.checked })} />
            <span>
              <b>Force:</b> override the failing {overridable.join(', ') || 'overridable'} check
            </span>
          </label>
          <span className="form-hint tone-warn">Only if you know the other nodes can take the load. Your reason is recorded with the override.</span>
        </div>
      ) : null}
      <div className="form-row confirm-row">
        <label htmlFor={ids.confirm} className="form-label">
          Type <code className="confirm-code">{expected}</code> to confirm
        </label>
        <input id={ids.confirm} className="confirm-input" value={fields.typed} onChange={(e) => set({ typed: e.target.value })} autoComplete="off" spellCheck={false} aria-describedby={ids.confirmHint} data-testid="confirm-text" />
        <span id={ids.confirmHint} className="form-hint">
          The node id exactly as shown: the {kind} goes to that node only.
        </span>
      </div>
      {error ? (
        <p className="verdict verdict-bad" role="alert" data-testid="action-error">
          <Icon name="down" /> <span><b>Not started:</b> {error}</span>
        </p>
      ) : null}
      <button type="submit" hidden disabled={!ready} tabIndex={-1} aria-hidden="true" />
    </form>
  );
}
