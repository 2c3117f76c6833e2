import { Fragment, useEffect, useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { AuditQuery, AuditRecord } from '../../../../shared/actions';
import { formatClock, formatDuration } from '../../lib/format';
import { Icon } from '../../ui';
import { useApi, useLive } from '../live';
import { outcomeLook } from './actionLook';
import { Modal } from './Modal';
import { useCommands } from './useCommands';

const ACTIONS = ['drain', 'undrain', 'restart', 'rollout_restart'];
const OUTCOMES = ['started', 'refused', 'succeeded', 'failed', 'aborted', 'interrupted', 'paused', 'resumed', 'abandoned'];
const LIMIT = 200;

interface Filter {
  node: string;
  actor: string;
  action: string;
  outcome: string;
  text: string;
}

/**
 * The audit log: who did what to which node, when, why, and how it ended, newest first,
 * filterable; and above all whether the hash chain is intact (or where it broke). Refetched
 * whenever an action or the rollout changes.
 */
export function AuditDialog({ onClose }: { onClose(): void }) {
  const api = useApi();
  const revision = useCommands()?.revision ?? 0;
  const nodeKey = useLive((s) => (s.latest ? s.latest.nodes.map((n) => n.id).join('\n') : ''));
  const [filter, setFilter] = useState<Filter>({ node: '', actor: '', action: '', outcome: '', text: '' });
  // Typed fields are applied after a short pause (one query per thought, not per key).
  const [typed, setTyped] = useState({ actor: '', text: '' });
  useEffect(() => {
    const t = setTimeout(() => setFilter((f) => (f.actor === typed.actor && f.text === typed.text ? f : { ...f, ...typed })), 300);
    return () => clearTimeout(t);
  }, [typed]);

  const query: AuditQuery = {
    limit: LIMIT,
    ...(filter.node ? { node: filter.node } : {}),
    ...(filter.actor.trim() ? { actor: filter.actor.trim() } : {}),
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.outcome ? { outcome: filter.outcome } : {}),
    ...(filter.text.trim() ? { text: filter.text.trim() } : {}),
  };
  const q = useQuery({
    queryKey: ['audit', query, revision],
    retry: false,
    placeholderData: (prev) => prev,
    queryFn: async () => {
      const r = await api.getAudit(query);
      if (!r.ok) throw new Error(r.message);
      return r.value;
    },
  });
  const page = q.data;
  const ids = { node: useId(), actor: useId(), action: useId(), outcome: useId(), text: useId() };
  const filtered = Object.keys(query).length > 1;

  return (
    <Modal
      title={
        <>
          <Icon name="shield" /> Audit log
        </>
      }
      subtitle={page ? <>Every action and outcome, newest first, from <code>{page.file}</code>. Each record carries the hash of the one before it.</> : 'Every action and outcome, newest first.'}
      onClose={onClose}
      size="xl"
      testId="audit-dialog"
      footer={
        <button type="button" className="btn btn-primary" onClick={onClose}>
          Close
        </button>
      }
    >
      {page ? <Verdict verdict={page.verdict} total={page.total} /> : null}
      <div className="audit-filters" role="group" aria-label="Filter the audit records">
        <label htmlFor={ids.node}>
          Node
          <select id={ids.node} value={filter.node} onChange={(e) => setFilter({ ...filter, node: e.target.value })}>
            <option value="">All nodes</option>
            {(nodeKey ? nodeKey.split('\n') : []).map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={ids.actor}>
          Actor
          <input id={ids.actor} value={typed.actor} onChange={(e) => setTyped({ ...typed, actor: e.target.value })} placeholder="user name, exactly" autoComplete="off" />
        </label>
        <label htmlFor={ids.action}>
          Action
          <select id={ids.action} value={filter.action} onChange={(e) => setFilter({ ...filter, action: e.target.value })}>
            <option value="">All actions</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a.replace('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={ids.outcome}>
          Outcome
          <select id={ids.outcome} value={filter.outcome} onChange={(e) => setFilter({ ...filter, outcome: e.target.value })}>
            <option value="">All outcomes</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={ids.text} className="audit-text">
          Text
          <input id={ids.text} type="search" value={typed.text} onChange={(e) => setTyped({ ...typed, text: e.target.value })} placeholder="reason, error, action id…" autoComplete="off" />
        </label>
      </div>
      {q.isError ? (
        <p className="verdict verdict-bad" role="alert">
          <Icon name="down" /> <span><b>Cannot read the audit log:</b> {q.error.message}</span>
        </p>
      ) : null}
      {page ? (
        <>
          <p className="muted" aria-live="polite" data-testid="audit-count">
            {filtered ? `${page.matched} of ${page.total} records match` : `${page.total} records`}
            {page.matched > page.records.length ? ` (the newest ${page.records.length} shown)` : ''}
          </p>
          {page.records.length === 0 ? (
            <p className="muted">{page.total === 0 ? 'No action has been taken yet.' : 'No record matches these filters.'}</p>
          ) : (
            <AuditTable records={page.records} />
          )}
        </>
      ) : !q.isError ? (
        <p className="muted" role="status">
          Reading the audit log…
        </p>
      ) : null}
    </Modal>
  );
}

function Verdict({ verdict, total }: { verdict: { ok: true } | { ok: false; line: number; reason: string }; total: number }) {
  if (verdict.ok) {
    return (
      <p className="verdict verdict-ok" data-testid="audit-verdict" data-ok="true">
        <Icon name="shield" /> <span><b>Chain intact:</b> all {total} records link to the one before; nothing was edited or removed.</span>
      </p>
    );
  }
  return (
    <div className="verdict verdict-bad verdict-big" role="alert" data-testid="audit-verdict" data-ok="false">
      <Icon name="critical" size={22} />
      <div>
        <p className="verdict-head">
          Chain BROKEN at line {verdict.line}: {verdict.reason}
        </p>
        <p>The log was edited, truncated or a line was removed at or before that line. Records from there on cannot be trusted; keep a copy of the file and tell security.</p>
      </div>
    </div>
  );
}

const when = (iso: string): { clock: string; date: string; ms: number } => {
  const ms = Date.parse(iso);
  const d = new Date(ms);
  return { clock: formatClock(ms), date: d.toLocaleDateString('en-CA'), ms };
};

function AuditTable({ records }: { records: readonly AuditRecord[] }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div className="audit-scroll">
      <table className="audit-table">
        <caption className="sr-only">Audit records, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Outcome</th>
            <th scope="col">Reason</th>
            <th scope="col" className="num">
              Took
            </th>
            <th scope="col">
              <span className="sr-only">Details</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {records.map((r, i) => {
            // A tampered log may repeat a line: the position keeps keys unique.
            const key = `${i}:${r.hash}`;
            const t = when(r.ts);
            const look = outcomeLook(r.outcome);
            const expanded = open === key;
            return (
              <Fragment key={key}>
                <tr data-audit-outcome={r.outcome} data-audit-action={r.action}>
                  <td className="audit-when">
                    <time dateTime={r.ts}>
                      {t.clock} <span className="muted">{t.date}</span>
                    </time>
                  </td>
                  <td>
                    <b>{r.actor}</b>
                    <span className="muted"> @{r.host}</span>
                  </td>
                  <td>
                    {r.action.replace('_', ' ')} <b>{r.nodes.join(', ')}</b>
                    {r.forced ? <span className="chip chip-warn">forced</span> : null}
                  </td>
                  <td>
                    <span className={`badge tone-${look.tone}`}>
                      <Icon name={look.icon} size={14} /> <span>{look.label}</span>
                    </span>
                  </td>
                  <td className="audit-reason">
                    “{r.reason}”{r.error ? <span className={`audit-error tone-${look.tone === 'bad' ? 'bad' : 'warn'}`}>{r.error}</span> : null}
                  </td>
                  <td className="num">{r.durationMs === null || r.durationMs === undefined ? '—' : formatDuration(r.durationMs)}</td>
                  <td>
                    <button type="button" className="btn btn-small" aria-expanded={expanded} onClick={() => setOpen(expanded ? null : key)} aria-label={`${expanded ? 'Hide' : 'Show'} details of the ${r.action} ${r.outcome} at ${t.clock}`}>
                      <Icon name="chevron" size={14} className={expanded ? 'rot-90' : undefined} /> Details
                    </button>
                  </td>
                </tr>
                {expanded ? (
                  <tr className="audit-detail">
                    <td colSpan={7}>
                      <AuditDetail r={r} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function AuditDetail({ r }: { r: AuditRecord }) {
  const rows: [string, string][] = [
    ['Action id', r.actionId],
    ['Time', r.ts],
    ['Process', `pid ${r.pid} on ${r.host}`],
    ['Parameters', JSON.stringify(r.params)],
  ];
  if (r.startedAt) rows.push(['Started', new Date(r.startedAt).toISOString()]);
  if (r.finishedAt) rows.push(['Finished', new Date(r.finishedAt).toISOString()]);
  if (r.error) rows.push(['Error', r.error]);
  rows.push(['Hash', r.hash], ['Previous hash', r.prevHash]);
  return (
    <div className="audit-detail-body">
      <dl className="kv">
        {rows.map(([k, v]) => (
          <Fragment key={k}>
            <dt>{k}</dt>
            <dd>
              <code>{v}</code>
            </dd>
          </Fragment>
        ))}
      </dl>
      {r.result !== undefined ? (
        <details>
          <summary>Result</summary>
          <pre className="audit-json">{JSON.stringify(r.result, null, 2)}</pre>
        </details>
      ) : null}
      {r.preview !== undefined ? (
        <details>
          <summary>Dry run the guard rails judged</summary>
          <pre className="audit-json">{JSON.stringify(r.preview, null, 2)}</pre>
        </details>
      ) : null}
    </div>
  );
}
