import { useEffect, useId, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { RolloutRequest } from '../../../../shared/actions';
import { formatCount, formatDuration } from '../../lib/format';
import { Icon } from '../../ui';
import { useApi } from '../live';
import { Destinations } from './Destinations';
import { Modal } from './Modal';
import { parsePositive, PREVIEW_REASON, reasonOk } from './fieldRules';
import { useActionsBlocked } from './useCommands';

/** The settings an operator may change, as typed (empty = the default the preview shows). */
interface Fields {
  maxUnavailable: string;
  deadline: string;
  rate: string;
  healthyWindowS: string;
  maxLagP99Ms: string;
  maxReconnects: string;
}
const EMPTY: Fields = { maxUnavailable: '', deadline: '', rate: '', healthyWindowS: '', maxLagP99Ms: '', maxReconnects: '' };

type Parsed = { ok: true; req: Omit<RolloutRequest, 'reason'> } | { ok: false; message: string };

function parseFields(f: Fields): Parsed {
  const checks = {
    maxUnavailable: parsePositive(f.maxUnavailable, 'Max unavailable', 1000),
    deadline: parsePositive(f.deadline, 'Deadline per node', 86_400),
    rate: parsePositive(f.rate, 'Disconnect rate', 1_000_000),
    healthy: parsePositive(f.healthyWindowS, 'Healthy window', 3600),
    lag: parsePositive(f.maxLagP99Ms, 'Max lag p99', 1e7),
    reconnects: parsePositive(f.maxReconnects, 'Max reconnects', 1e9),
  };
  for (const c of Object.values(checks)) if (!c.ok) return c;
  const v = (c: ReturnType<typeof parsePositive>) => (c.ok ? c.value : undefined);
  const mu = v(checks.maxUnavailable);
  if (mu !== undefined && !Number.isInteger(mu)) return { ok: false, message: 'Max unavailable: a whole number' };
  const hw = v(checks.healthy);
  return {
    ok: true,
    req: {
      ...(mu !== undefined ? { maxUnavailable: mu } : {}),
      ...(v(checks.deadline) !== undefined ? { deadlineSeconds: v(checks.deadline) } : {}),
      ...(v(checks.rate) !== undefined ? { disconnectRatePerSecond: v(checks.rate) } : {}),
      ...(hw !== undefined ? { healthyWindowMs: Math.round(hw * 1000) } : {}),
      ...(v(checks.lag) !== undefined ? { maxLagP99Ms: v(checks.lag) } : {}),
      ...(v(checks.reconnects) !== undefined ? { maxReconnectsPerSec: v(checks.reconnects) } : {}),
    },
  };
}

/**
 * A rolling restart of the whole fleet: its dry run (the order with each node's
 * connections, the settings, the rule that blocks it now if any, where the first node's
 * connections go), a reason, and `fleet N` typed out to start it.
 */
export function RolloutDialog({ onClose, returnFocus }: { onClose(): void; returnFocus(): HTMLElement | null }) {
  const api = useApi();
  const blocked = useActionsBlocked();
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [applied, setApplied] = useState<Fields>(EMPTY);
  const [reason, setReason] = useState('');
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reasonRef = useRef(reason);
  reasonRef.current = reason;
  const ids = { reason: useId(), confirm: useId(), missing: useId() };

  useEffect(() => {
    const t = setTimeout(() => setApplied(fields), 350);
    return () => clearTimeout(t);
  }, [fields]);

  const parsed = parseFields(fields);
  const appliedParsed = parseFields(applied);
  const preview = useQuery({
    queryKey: ['rolloutPreview', JSON.stringify(appliedParsed.ok ? appliedParsed.req : null)],
    enabled: appliedParsed.ok,
    retry: false,
    gcTime: 0,
    placeholderData: (prev) => prev,
    queryFn: async () => {
      const why = reasonOk(reasonRef.current) ? reasonRef.current.trim() : PREVIEW_REASON;
      const r = await api.previewRollout({ ...(appliedParsed.ok ? appliedParsed.req : {}), reason: why });
      if (!r.ok) throw new Error(r.message);
      return r.value;
    },
  });
  const p = preview.data ?? null;
  const expected = p?.confirmText ?? null;

  const missing: string[] = [];
  if (blocked) missing.push(`actions are disabled: ${blocked}`);
  if (!p) missing.push(preview.isError ? 'a dry run (it failed, see above)' : 'the dry run (loading)');
  else if (p.blocking) missing.push('no blocking rule (see above)');
  if (!parsed.ok) missing.push(parsed.message);
  if (!reasonOk(reason)) missing.push('a reason of at least 3 characters');
  if (expected === null || typed.trim() !== expected) missing.push(expected ? `typing exactly: ${expected}` : 'the text to type (after the dry run)');
  const stale = JSON.stringify(applied) !== JSON.stringify(fields) || preview.isFetching;
  const ready = missing.length === 0 && !stale && !busy;

  const start = async () => {
    if (!ready || !parsed.ok) return;
    setBusy(true);
    setError(null);
    const r = await api.startRollout({ request: { ...parsed.req, reason: reason.trim() }, confirmText: typed.trim() });
    setBusy(false);
    if (r.ok) onClose();
    else setError(r.message);
  };

  const s = p?.settings;
  const set = (k: keyof Fields) => (e: { target: { value: string } }) => setFields({ ...fields, [k]: e.target.value });
  const n = p?.nodes.length ?? 0;
  return (
    <Modal
      title={
        <>
          <Icon name="restarting" /> Rolling restart of the fleet
        </>
      }
      subtitle="Each node in turn: drain → restart → back with a new boot id → a healthy window → the next. Pauses by itself on an SLO breach."
      onClose={onClose}
      size="lg"
      testId="rollout-dialog"
      initialFocus={() => document.getElementById(ids.reason)}
      returnFocus={returnFocus}
      footer={
        <>
          <p className="foot-missing" id={ids.missing} aria-live="polite">
            {ready ? (
              <span className="tone-ok">
                <Icon name="check" size={14} /> Ready: this restarts {n} nodes, one after the other.
              </span>
            ) : busy ? (
              'Starting…'
            ) : stale ? (
              'Updating the dry run…'
            ) : (
              <>To start: {missing.join(' · ')}</>
            )}
          </p>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-danger" disabled={!ready} aria-describedby={ids.missing} onClick={() => void start()} data-testid="start-rollout">
            <Icon name="restarting" /> Restart {n || ''} nodes
          </button>
        </>
      }
    >
      {blocked ? (
        <p className="verdict verdict-bad" role="alert">
          <Icon name="blocked" /> <span><b>Actions are disabled:</b> {blocked}</span>
        </p>
      ) : null}
      {preview.isError ? (
        <p className="verdict verdict-bad" role="alert">
          <Icon name="down" /> <span><b>The dry run failed:</b> {preview.error.message}</span>
        </p>
      ) : !p ? (
        <p className="muted" role="status">
          Asking the console for a dry run…
        </p>
      ) : (
        <section className="preview" aria-label="Dry run of the rolling restart" data-testid="rollout-preview">
          {p.blocking ? (
            <p className="verdict verdict-bad" role="alert" data-testid="rollout-blocking">
              <Icon name="blocked" /> <span><b>Refused now:</b> {p.blocking}</span>
            </p>
          ) : (
            <p className="verdict verdict-ok">
              <Icon name="check" /> <span><b>It may start:</b> the first node passes every guard rail; each later node is judged again when its turn comes.</span>
            </p>
          )}
          <h3 className="section-title">Order</h3>
          <ol className="rollout-order" aria-label="Order of the restart">
            {p.nodes.map((x, i) => (
              <li key={x.node} data-node={x.node}>
                <span className="order-n">{i + 1}</span>
                <b>{x.node}</b>
                <span className="muted">{formatCount(x.connections)} connections</span>
                {x.refusal ? (
                  <span className="tone-warn order-refusal">
                    <Icon name="warning" size={14} /> now: {x.refusal}
                  </span>
                ) : null}
              </li>
            ))}
          </ol>
          {p.first ? (
            <>
              <h3 className="section-title">Where the connections of {p.first.node} go first</h3>
              <Destinations p={p.first} />
            </>
          ) : null}
        </section>
      )}
      <form
        className="action-form"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <fieldset className="settings">
          <legend>Settings (empty = the default shown)</legend>
          <div className="form-grid form-grid-3">
            <Field label="Max unavailable at once" unit="nodes" value={fields.maxUnavailable} placeholder={s?.maxUnavailable} onChange={set('maxUnavailable')} />
            <Field label="Deadline per node" unit="s" value={fields.deadline} placeholder={s?.deadlineSeconds} onChange={set('deadline')} />
            <Field label="Disconnect rate" unit="/s" value={fields.rate} placeholder={s?.disconnectRatePerSecond} onChange={set('rate')} />
            <Field label="Healthy window" unit="s" value={fields.healthyWindowS} placeholder={s ? s.healthyWindowMs / 1000 : undefined} onChange={set('healthyWindowS')} />
            <Field label="Pause above lag p99" unit="ms" value={fields.maxLagP99Ms} placeholder={s?.maxLagP99Ms} onChange={set('maxLagP99Ms')} />
            <Field label="Pause above fleet reconnects" unit="/s" value={fields.maxReconnects} placeholder={s?.maxReconnectsPerSec} onChange={set('maxReconnects')} />
          </div>
          {s ? (
            <p className="form-hint">
              Order: {s.order === 'given' ? 'as given' : 'fewest connections first'}. A threshold must be exceeded for {formatDuration(s.breachForMs)} to pause; a restarted node must be back within {formatDuration(s.comeBackTimeoutMs)}.
            </p>
          ) : null}
          {!parsed.ok ? <p className="form-hint tone-bad">{parsed.message}</p> : null}
        </fieldset>
        <div className="form-row">
          <label htmlFor={ids.reason} className="form-label">
            Reason <span className="muted">(required, recorded in the audit log with your name)</span>
          </label>
          <textarea id={ids.reason} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} required />
        </div>
        <div className="form-row confirm-row">
          <label htmlFor={ids.confirm} className="form-label">
            Type <code className="confirm-code">{expected ?? 'fleet N'}</code> to confirm
          </label>
          <input id={ids.confirm} className="confirm-input" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} data-testid="confirm-text" />
          <span className="form-hint">The word fleet and the number of nodes that will restart.</span>
        </div>
        {error ? (
          <p className="verdict verdict-bad" role="alert" data-testid="rollout-error">
            <Icon name="down" /> <span><b>Not started:</b> {error}</span>
          </p>
        ) : null}
        <button type="submit" hidden disabled={!ready} tabIndex={-1} aria-hidden="true" />
      </form>
    </Modal>
  );
}

function Field({ label, unit, value, placeholder, onChange }: { label: string; unit: string; value: string; placeholder: number | undefined; onChange(e: { target: { value: string } }): void }) {
  const id = useId();
  return (
    <div className="form-row">
      <label htmlFor={id} className="form-label">
        {label} <span className="muted">({unit})</span>
      </label>
      <input id={id} inputMode="decimal" value={value} placeholder={placeholder === undefined ? '' : `${placeholder} (default)`} onChange={onChange} />
    </div>
  );
}
