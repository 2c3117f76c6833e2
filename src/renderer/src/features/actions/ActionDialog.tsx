import { useEffect, useId, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { ActionKind, ActionRecord, ActionRequest } from '../../../../shared/actions';
import { actionConfirmText } from '../../../../shared/actions';
import { formatCount } from '../../lib/format';
import { HealthBadge, Icon } from '../../ui';
import { useApi, useLive } from '../live';
import { KIND_LOOK } from './actionLook';
import { ActionForm } from './ActionForm';
import type { ActionFields } from './ActionForm';
import { ActionPreviewView } from './ActionPreviewView';
import { Modal } from './Modal';
import { parsePositive, PREVIEW_REASON, reasonOk } from './fieldRules';
import { StartedBody } from './StartedBody';
import { useActionsBlocked } from './useCommands';

/** What changes the dry run (the reason and the typed id do not). */
type DryRunParams = Pick<ActionFields, 'deadline' | 'rate' | 'force'>;
const dryRunOf = (f: ActionFields): DryRunParams => ({ deadline: f.deadline, rate: f.rate, force: f.force });

/**
 * Drain, undrain or restart one node: the dry run first (previewAction) on the left, the
 * reason, optional deadline and rate, force (only while an overridable rule fails) and the
 * node id typed out on the right. Confirm previews once more with exactly what will be sent
 * and confirms that preview (main checks the typed id again). Afterwards the dialog follows
 * the action live until it is closed, so a refusal or a failure shows where it was asked.
 */
export function ActionDialog({ kind, node, onClose }: { kind: ActionKind; node: string; onClose(): void }) {
  const api = useApi();
  const n = useLive((s) => s.latest?.byId.get(node));
  const blocked = useActionsBlocked();
  const look = KIND_LOOK[kind];
  const footId = useId();
  const [fields, setFields] = useState<ActionFields>({ reason: '', deadline: '', rate: '', force: false, typed: '' });
  // The dry run follows the numbers a moment after typing stops.
  const [applied, setApplied] = useState<DryRunParams>(dryRunOf(fields));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<ActionRecord | null>(null);
  const reasonRef = useRef(fields.reason);
  reasonRef.current = fields.reason;
  const closeRef = useRef<HTMLButtonElement>(null);

  const wanted = dryRunOf(fields);
  const wantedKey = JSON.stringify(wanted);
  useEffect(() => {
    const t = setTimeout(() => setApplied(JSON.parse(wantedKey) as DryRunParams), 350);
    return () => clearTimeout(t);
  }, [wantedKey]);
  // Once sent, the form is gone: focus goes to Close (the action goes on either way).
  useEffect(() => {
    if (started) closeRef.current?.focus();
  }, [started]);

  const request = (d: DryRunParams, why: string): ActionRequest | null => {
    const dl = parsePositive(d.deadline, 'Deadline', 86_400);
    const rt = parsePositive(d.rate, 'Disconnect rate', 1_000_000);
    if (!dl.ok || !rt.ok) return null;
    const moves = kind !== 'undrain';
    return {
      kind,
      node,
      reason: why,
      ...(moves && dl.value !== undefined ? { deadlineSeconds: dl.value } : {}),
      ...(moves && rt.value !== undefined ? { disconnectRatePerSecond: rt.value } : {}),
      ...(d.force ? { force: true } : {}),
    };
  };

  const previewReq = request(applied, PREVIEW_REASON);
  const preview = useQuery({
    queryKey: ['actionPreview', kind, node, previewReq?.deadlineSeconds ?? null, previewReq?.disconnectRatePerSecond ?? null, applied.force],
    enabled: previewReq !== null && started === null,
    retry: false,
    gcTime: 0,
    // The last dry run stays on screen while the next one loads (no flicker as numbers are typed).
    placeholderData: (prev) => prev,
    queryFn: async () => {
      const why = reasonOk(reasonRef.current) ? reasonRef.current.trim() : PREVIEW_REASON;
      const r = await api.previewAction({ ...previewReq!, reason: why });
      if (!r.ok) throw new Error(r.message);
      return r.value;
    },
  });
  const p = preview.data?.preview ?? null;
  const expected = actionConfirmText(node);
  const canForce = p !== null && p.checks.some((c) => !c.ok && c.overridable) && !p.checks.some((c) => !c.ok && !c.overridable);
  // Refused by a rule force cannot pass: nothing typed will change that.
  const refusedBy = p && !p.allowed && !canForce ? (p.checks.find((c) => !c.ok && !(c.overridable && fields.force))?.rule ?? 'a guard rail') : null;

  const missing: string[] = [];
  if (blocked) missing.push(`actions are disabled: ${blocked}`);
  if (!p) missing.push(preview.isError ? 'a dry run (it failed, see above)' : 'the dry run (loading)');
  else if (!p.allowed && canForce && !fields.force) missing.push('force, since a rule that may be overridden fails (or cancel)');
  for (const f of [parsePositive(fields.deadline, 'Deadline', 86_400), parsePositive(fields.rate, 'Disconnect rate', 1_000_000)]) if (!f.ok) missing.push(f.message);
  if (!reasonOk(fields.reason)) missing.push('a reason of at least 3 characters');
  if (fields.typed.trim() !== expected) missing.push(`the node id typed exactly: ${expected}`);
  const stale = JSON.stringify(applied) !== wantedKey || preview.isFetching;
  const ready = missing.length === 0 && !refusedBy && !stale && !busy;

  const confirm = async () => {
    const req = request(wanted, fields.reason.trim());
    if (!ready || !req) return;
    setBusy(true);
    setError(null);
    try {
      // Preview exactly what is sent (with the reason), then confirm that preview.
      const pv = await api.previewAction(req);
      if (!pv.ok) return setError(pv.message);
      if (!pv.value.preview.allowed) {
        void preview.refetch();
        return setError(`Refused now: ${pv.value.preview.refusal ?? 'a guard rail failed'}. Nothing was sent.`);
      }
      const r = await api.confirmAction({ id: pv.value.id, confirmText: fields.typed.trim() });
      if (!r.ok) return setError(r.message);
      setStarted(r.value);
    } finally {
      setBusy(false);
    }
  };

  const footNote = ready ? (
    <span className="tone-ok">
      <Icon name="check" size={14} /> Ready: this sends the {kind} to {node}.
    </span>
  ) : busy ? (
    'Sending…'
  ) : refusedBy ? (
    <span className="tone-bad">
      <Icon name="blocked" size={14} /> Refused by {refusedBy}: nothing can be sent. Cancel, or refresh the dry run once the cause is gone.
    </span>
  ) : stale ? (
    'Updating the dry run…'
  ) : (
    <>To confirm: {missing.join(' · ')}</>
  );

  return (
    <Modal
      title={
        <>
          <Icon name={look.icon} /> {look.verb} {node}
        </>
      }
      subtitle={
        n ? (
          <>
            <HealthBadge health={n.health} /> {n.region ?? 'no region'} · {formatCount(n.connections.total)} connections. {look.verb} {look.does}.
          </>
        ) : (
          `${node} is no longer in the inventory.`
        )
      }
      onClose={onClose}
      size="xl"
      testId="action-dialog"
      initialFocus={() => document.querySelector<HTMLElement>('.modal [data-autofocus]')}
      footer={
        started ? (
          <button type="button" className="btn btn-primary" onClick={onClose} ref={closeRef}>
            Close
          </button>
        ) : (
          <>
            <p className="foot-missing" id={footId} aria-live="polite">
              {footNote}
            </p>
            <button type="button" className="btn" onClick={onClose}>
              Cancel
            </button>
            <button type="button" className={kind === 'undrain' ? 'btn btn-primary' : 'btn btn-danger'} disabled={!ready} aria-describedby={footId} onClick={() => void confirm()} data-testid="confirm-action">
              <Icon name={look.icon} /> {look.verb} {node}
            </button>
          </>
        )
      }
    >
      {started ? (
        <StartedBody record={started} />
      ) : (
        <div className="action-layout">
          <div className="action-dryrun">
            {blocked ? (
              <p className="verdict verdict-bad" role="alert">
                <Icon name="blocked" /> <span><b>Actions are disabled:</b> {blocked}</span>
              </p>
            ) : null}
            {preview.isError ? (
              <p className="verdict verdict-bad" role="alert">
                <Icon name="down" /> <span><b>The dry run failed:</b> {preview.error.message}</span>
              </p>
            ) : p ? (
              <ActionPreviewView p={p} force={fields.force} />
            ) : (
              <p className="muted" role="status">
                Asking the console for a dry run of the {kind}…
              </p>
            )}
            {p || preview.isError ? (
              <div className="preview-refresh">
                <button type="button" className="btn btn-small" onClick={() => void preview.refetch()} disabled={preview.isFetching}>
                  <Icon name="restarting" size={14} /> {preview.isError ? 'Try the dry run again' : 'Refresh the dry run'}
                </button>
              </div>
            ) : null}
          </div>
          <ActionForm kind={kind} node={node} p={p} fields={fields} onChange={setFields} expected={expected} error={error} ready={ready} onSubmit={() => void confirm()} />
        </div>
      )}
    </Modal>
  );
}
