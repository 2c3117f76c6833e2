// @vitest-environment jsdom
import { createElement } from 'react';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Console } from '../../../../src/renderer/src/Console';
import { actionsUiStore } from '../../../../src/renderer/src/features/actions';
import { createLiveStore } from '../../../../src/renderer/src/features/live';
import type { LiveStore } from '../../../../src/renderer/src/features/live';
import type { AuditPage, AuditQuery, AuditRecord } from '../../../../src/shared/actions';
import { fakeLayout, MemoryApi, renderWith } from '../../helpers/renderConsole';
import { auditPage, auditRecord, commands, frameWith, T0 } from './fixtures';

let store: LiveStore;
let api: MemoryApi;
let restoreLayout: () => void;

const RECORDS: AuditRecord[] = [
  auditRecord({ ts: new Date(T0 + 30_000).toISOString(), action: 'undrain', outcome: 'succeeded', nodes: ['gw-1'], reason: 'patched', durationMs: 40 }),
  auditRecord({ ts: new Date(T0 + 20_000).toISOString(), action: 'drain', outcome: 'refused', nodes: ['gw-2'], reason: 'second node', error: 'max_unavailable: 1 of 3 nodes already unavailable (gw-1 drained)', durationMs: 0 }),
  auditRecord({ ts: new Date(T0 + 10_000).toISOString(), action: 'drain', outcome: 'failed', nodes: ['gw-3'], actor: 'bob', reason: 'disk', error: 'gw-3 refused the admin token (HTTP 401)', durationMs: 1200 }),
  auditRecord({ ts: new Date(T0).toISOString(), action: 'drain', outcome: 'succeeded', nodes: ['gw-1'], reason: 'kernel patch', durationMs: 65_000 }),
];

/** The core's filtering, as the audit query does it (newest first already). */
function answer(q: AuditQuery, verdict: AuditPage['verdict'] = { ok: true }) {
  const text = q.text?.toLowerCase();
  const m = RECORDS.filter((r) => (!q.node || r.nodes.includes(q.node)) && (!q.actor || r.actor === q.actor) && (!q.action || r.action === q.action) && (!q.outcome || r.outcome === q.outcome))
    .filter((r) => !text || [r.reason, r.error ?? '', r.actionId].some((s) => s.toLowerCase().includes(text)));
  return { ok: true as const, value: auditPage(m, { total: RECORDS.length, verdict }) };
}

beforeEach(() => {
  store = createLiveStore();
  store.getState().setLink({ state: 'open', since: 0 });
  api = new MemoryApi();
  restoreLayout = fakeLayout();
  actionsUiStore.getState().close();
});
afterEach(() => {
  cleanup();
  restoreLayout();
});

const queries = () => api.calls.filter((c) => c.op === 'getAudit').map((c) => c.arg as AuditQuery);
const rows = (d: HTMLElement) => [...d.querySelectorAll('tbody tr[data-audit-outcome]')].map((tr) => `${tr.getAttribute('data-audit-action')} ${tr.getAttribute('data-audit-outcome')}`);

async function openAudit(): Promise<HTMLElement> {
  fireEvent.click(within(screen.getByTestId('actions-panel')).getByRole('button', { name: /Audit log/ }));
  const d = await screen.findByRole('dialog', { name: 'Audit log' });
  await within(d).findByTestId('audit-verdict');
  return d;
}

describe('the audit view', () => {
  it('lists who did what, when, why and how it ended, newest first, and says the chain is intact', async () => {
    api.answers.getAudit = (q) => answer(q as AuditQuery);
    store.getState().applyFrame(frameWith(commands()));
    renderWith(createElement(Console), store, api);
    const d = await openAudit();
    expect(queries()[0]).toEqual({ limit: 200 });
    const verdict = within(d).getByTestId('audit-verdict');
    expect(verdict.getAttribute('data-ok')).toBe('true');
    expect(verdict.textContent).toContain('Chain intact: all 4 records link to the one before');
    expect(rows(d)).toEqual(['undrain succeeded', 'drain refused', 'drain failed', 'drain succeeded']);
    const table = within(d).getByRole('table');
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['When', 'Who', 'What', 'Outcome', 'Reason', 'Took', 'Details']);
    const failed = table.querySelector('tr[data-audit-outcome="failed"]')!;
    expect(failed.textContent).toContain('bob @console-host');
    expect(failed.textContent).toContain('drain gw-3');
    expect(failed.textContent).toContain('“disk”gw-3 refused the admin token (HTTP 401)');
    expect(failed.textContent).toContain('1 s');
    expect(table.querySelector('tr[data-audit-outcome="succeeded"]:last-of-type')!.textContent).toContain('1 min 5 s');
    // Details on demand.
    fireEvent.click(within(failed as HTMLElement).getByRole('button', { name: /Show details of the drain failed/ }));
    expect(within(d).getByText('act-9', { selector: 'code' })).toBeTruthy();
    expect(d.textContent).toContain('pid 42 on console-host');
  });

  it('filters by node, actor, action, outcome and free text (asking the console each time)', async () => {
    api.answers.getAudit = (q) => answer(q as AuditQuery);
    store.getState().applyFrame(frameWith(commands()));
    renderWith(createElement(Console), store, api);
    const d = await openAudit();
    fireEvent.change(within(d).getByRole('combobox', { name: 'Node' }), { target: { value: 'gw-1' } });
    await waitFor(() => expect(rows(d)).toEqual(['undrain succeeded', 'drain succeeded']));
    expect(queries().at(-1)).toEqual({ limit: 200, node: 'gw-1' });
    expect(within(d).getByTestId('audit-count').textContent).toBe('2 of 4 records match');
    fireEvent.change(within(d).getByRole('combobox', { name: 'Action' }), { target: { value: 'drain' } });
    await waitFor(() => expect(rows(d)).toEqual(['drain succeeded']));
    fireEvent.change(within(d).getByRole('combobox', { name: 'Node' }), { target: { value: '' } });
    fireEvent.change(within(d).getByRole('combobox', { name: 'Outcome' }), { target: { value: 'failed' } });
    await waitFor(() => expect(rows(d)).toEqual(['drain failed']));
    expect(queries().at(-1)).toEqual({ limit: 200, action: 'drain', outcome: 'failed' });
    fireEvent.change(within(d).getByRole('combobox', { name: 'Outcome' }), { target: { value: '' } });
    fireEvent.change(within(d).getByRole('textbox', { name: 'Actor' }), { target: { value: 'bob' } });
    await waitFor(() => expect(queries().at(-1)).toEqual({ limit: 200, action: 'drain', actor: 'bob' }));
    await waitFor(() => expect(rows(d)).toEqual(['drain failed']));
    fireEvent.change(within(d).getByRole('textbox', { name: 'Actor' }), { target: { value: '' } });
    fireEvent.change(within(d).getByRole('searchbox', { name: 'Text' }), { target: { value: 'MAX_UNAVAILABLE' } });
    await waitFor(() => expect(rows(d)).toEqual(['drain refused']));
    expect(queries().at(-1)).toEqual({ limit: 200, action: 'drain', text: 'MAX_UNAVAILABLE' });
    fireEvent.change(within(d).getByRole('searchbox', { name: 'Text' }), { target: { value: 'nothing like this' } });
    await waitFor(() => expect(d.textContent).toContain('No record matches these filters.'));
  });

  it('says prominently where the chain is broken', async () => {
    api.answers.getAudit = (q) => answer(q as AuditQuery, { ok: false, line: 3, reason: 'hash mismatch: the record was edited' });
    store.getState().applyFrame(frameWith(commands()));
    renderWith(createElement(Console), store, api);
    const d = await openAudit();
    const verdict = within(d).getByTestId('audit-verdict');
    expect(verdict.getAttribute('role')).toBe('alert');
    expect(verdict.getAttribute('data-ok')).toBe('false');
    expect(verdict.textContent).toContain('Chain BROKEN at line 3: hash mismatch: the record was edited');
  });

  it('reads the log again when an action changes (the revision moves)', async () => {
    api.answers.getAudit = (q) => answer(q as AuditQuery);
    store.getState().applyFrame(frameWith(commands({ revision: 5 })));
    renderWith(createElement(Console), store, api);
    await openAudit();
    const before = queries().length;
    store.getState().applyFrame(frameWith(commands({ revision: 6 }), { ts: T0 + 1000 }));
    await waitFor(() => expect(queries().length).toBe(before + 1));
  });

  it('explains an unreadable log', async () => {
    api.answers.getAudit = () => ({ ok: false, code: 'unavailable', message: 'cannot read the audit log /x/audit.jsonl: EACCES' });
    store.getState().applyFrame(frameWith(commands()));
    renderWith(createElement(Console), store, api);
    fireEvent.click(within(screen.getByTestId('actions-panel')).getByRole('button', { name: /Audit log/ }));
    const d = await screen.findByRole('dialog', { name: 'Audit log' });
    expect((await within(d).findByRole('alert')).textContent).toContain('Cannot read the audit log: cannot read the audit log /x/audit.jsonl: EACCES');
  });
});
