// @vitest-environment jsdom
import { createElement } from 'react';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Console } from '../../../../src/renderer/src/Console';
import { actionsUiStore } from '../../../../src/renderer/src/features/actions';
import { selectionStore } from '../../../../src/renderer/src/features/detail';
import { createLiveStore } from '../../../../src/renderer/src/features/live';
import type { LiveStore } from '../../../../src/renderer/src/features/live';
import type { ActionRecord, ActionRequest, ConfirmActionRequest } from '../../../../src/shared/actions';
import { node } from '../../helpers/frames';
import { fakeLayout, MemoryApi, renderWith } from '../../helpers/renderConsole';
import { action, brief, commands, FLEET, frameWith, preview, T0 } from './fixtures';

let store: LiveStore;
let api: MemoryApi;
let restoreLayout: () => void;
let previews: number;

beforeEach(() => {
  store = createLiveStore();
  store.getState().setLink({ state: 'open', since: 0 });
  api = new MemoryApi();
  previews = 0;
  // Every dry run is a new previewed record with the reason it was asked with.
  api.answers.previewAction = (arg) => {
    const req = arg as ActionRequest;
    return { ok: true, value: action({ id: `pv-${++previews}`, kind: req.kind, node: req.node, reason: req.reason, force: req.force === true, preview: preview({ kind: req.kind, node: req.node }) }) };
  };
  restoreLayout = fakeLayout();
  selectionStore.getState().close();
  actionsUiStore.getState().close();
});
afterEach(() => {
  cleanup();
  restoreLayout();
});

const calls = (op: string) => api.calls.filter((c) => c.op === op).map((c) => c.arg);

async function openDrain(id = 'gw-1'): Promise<HTMLElement> {
  fireEvent.click(screen.getByRole('button', { name: `Actions for ${id}` }));
  const menu = screen.getByRole('menu', { name: `Actions for ${id}` });
  fireEvent.click(within(menu).getByRole('menuitem', { name: /^Drain/ }));
  const dialog = await screen.findByRole('dialog', { name: `Drain ${id}` });
  await within(dialog).findByTestId('action-preview');
  return dialog;
}

const reasonBox = (d: HTMLElement) => within(d).getByRole('textbox', { name: /^Reason/ });
const typeBox = (d: HTMLElement) => within(d).getByTestId('confirm-text');
const confirmBtn = (d: HTMLElement) => within(d).getByTestId('confirm-action') as HTMLButtonElement;

describe('the action dialog', () => {
  it('opens from the row menu as a labelled modal and shows the dry run plainly', async () => {
    store.getState().applyFrame(frameWith(commands()));
    renderWith(createElement(Console), store, api);
    const d = await openDrain();
    expect(d.getAttribute('aria-modal')).toBe('true');
    // The dry run was asked first, for exactly this node and action.
    expect(calls('previewAction')[0]).toMatchObject({ kind: 'drain', node: 'gw-1' });
    const p = within(d).getByTestId('action-preview');
    const fact = (id: string) => p.querySelector(`[data-fact="${id}"]`)!.textContent;
    expect(fact('moving')).toBe('Connections moving 100from gw-1 to the serving nodes');
    expect(fact('reconnects')).toContain('≈ 50.0/sdisconnect rate 50.0/s');
    expect(fact('drain-time')).toMatch(/≈ 2 sdeadline 2 min, at \d\d:\d\d:\d\d/);
    expect(fact('force-closed')).toContain('nonethe drain ends before the deadline');
    expect(fact('unavailable')).toContain('0 now → 1at most 1 allowed');
    // Where the connections go, against each node's limit.
    const dest = within(p).getByRole('table');
    expect(dest.querySelector('[data-dest="gw-2"]')!.textContent).toBe('gw-2200250 (+50)1,00025%');
    expect(dest.querySelector('[data-dest="gw-3"]')!.textContent).toContain('35%');
    // Each guard rail with its verdict in words.
    const checks = within(p).getByRole('list', { name: 'Guard rails' });
    expect(within(checks).getAllByRole('listitem').map((li) => li.querySelector('.check-verdict')!.textContent)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(checks.textContent).toContain('120 needed with the 20% margin');
    expect(within(d).getByTestId('preview-verdict').textContent).toContain('Every guard rail passes.');
    // What to type is said exactly.
    expect(within(d).getByText('gw-1', { selector: 'code' })).toBeTruthy();
  });

  it('keeps Confirm disabled until a reason is given and the exact node id is typed, then previews with the reason and confirms that preview', async () => {
    api.answers.confirmAction = (arg) => ({ ok: true, value: action({ id: (arg as ConfirmActionRequest).id, state: 'running', steps: [{ at: T0, what: 'asked' }] }) });
    store.getState().applyFrame(frameWith(commands()));
    renderWith(createElement(Console), store, api);
    const d = await openDrain();
    expect(confirmBtn(d).disabled).toBe(true);
    expect(d.querySelector('.foot-missing')!.textContent).toContain('a reason of at least 3 characters');
    expect(d.querySelector('.foot-missing')!.textContent).toContain('the node id typed exactly: gw-1');
    fireEvent.change(typeBox(d), { target: { value: 'gw-1' } });
    fireEvent.change(reasonBox(d), { target: { value: 'ab' } });
    expect(confirmBtn(d).disabled).toBe(true);
    expect(d.querySelector('.foot-missing')!.textContent).toContain('a reason of at least 3 characters');
    fireEvent.change(reasonBox(d), { target: { value: 'kernel patch CVE-1' } });
    for (const wrong of ['gw-', 'GW-1', 'gw-12', 'gw-2']) {
      fireEvent.change(typeBox(d), { target: { value: wrong } });
      expect(confirmBtn(d).disabled, wrong).toBe(true);
    }
    fireEvent.change(typeBox(d), { target: { value: 'gw-1' } });
    expect(confirmBtn(d).disabled).toBe(false);
    expect(d.querySelector('.foot-missing')!.textContent).toContain('Ready: this sends the drain to gw-1.');
    fireEvent.click(confirmBtn(d));
    await waitFor(() => expect(calls('confirmAction')).toEqual([{ id: 'pv-2', confirmText: 'gw-1' }]));
    expect(calls('previewAction')[1]).toEqual({ kind: 'drain', node: 'gw-1', reason: 'kernel patch CVE-1' });
    expect((await within(d).findByTestId('action-outcome')).textContent).toContain('Started.');
  });

  it('shows a refusal by the guard rails and keeps Confirm disabled', async () => {
    api.answers.previewAction = () => ({
      ok: true,
      value: action({
        id: 'pv-r',
        node: 'gw-2',
        preview: preview({
          node: 'gw-2',
          unavailable: { now: ['gw-1'], after: 2, max: 1 },
          checks: [
            { rule: 'known_node', ok: true, overridable: false, message: 'gw-2 is in the inventory' },
            { rule: 'max_unavailable', ok: false, overridable: false, message: '1 of 3 nodes already unavailable (gw-1 drained); a drain of gw-2 would make 2, more than the 1 allowed at once' },
          ],
          allowed: false,
          refusal: 'max_unavailable: 1 of 3 nodes already unavailable (gw-1 drained); a drain of gw-2 would make 2, more than the 1 allowed at once',
        }),
      }),
    });
    store.getState().applyFrame(frameWith(commands()));
    renderWith(createElement(Console), store, api);
    const d = await openDrain('gw-2');
    const verdict = within(d).getByTestId('preview-verdict');
    expect(verdict.getAttribute('role')).toBe('alert');
    expect(verdict.textContent).toContain('Refused by the guard rails: max_unavailable: 1 of 3 nodes already unavailable (gw-1 drained)');
    const failed = d.querySelector('[data-rule="max_unavailable"]')!;
    expect(failed.getAttribute('data-ok')).toBe('false');
    expect(failed.textContent).toContain('FAIL');
    expect(d.querySelector('[data-fact="unavailable"]')!.textContent).toContain('1 now → 2at most 1 allowed; out now: gw-1');
    // Not overridable: no force offered.
    expect(within(d).queryByRole('checkbox')).toBeNull();
    fireEvent.change(reasonBox(d), { target: { value: 'kernel patch' } });
    fireEvent.change(typeBox(d), { target: { value: 'gw-2' } });
    expect(confirmBtn(d).disabled).toBe(true);
    expect(d.querySelector('.foot-missing')!.textContent).toContain('Refused by max_unavailable: nothing can be sent.');
  });

  it('offers force only for an overridable failing rule, and previews again with it', async () => {
    api.answers.previewAction = (arg) => {
      const force = (arg as ActionRequest).force === true;
      const checks = [{ rule: 'capacity' as const, ok: false, overridable: true, message: 'gw-1 carries 100 connections; with the 20% margin they need 120 free slots, which have 50' }];
      return { ok: true, value: action({ id: `pv-${++previews}`, force, preview: preview({ checks, allowed: force, forced: force, refusal: force ? null : `capacity: ${checks[0].message}` }) }) };
    };
    store.getState().applyFrame(frameWith(commands()));
    renderWith(createElement(Console), store, api);
    const d = await openDrain();
    expect(within(d).getByTestId('preview-verdict').textContent).toContain('Refused by the guard rails: capacity');
    const force = within(d).getByRole('checkbox', { name: /Force: override the failing capacity check/ });
    expect(d.querySelector('.foot-missing')!.textContent).toContain('force, since a rule that may be overridden fails');
    fireEvent.click(force);
    await waitFor(() => expect(calls('previewAction').at(-1)).toMatchObject({ force: true }), { timeout: 3000 });
    await waitFor(() => expect(within(d).getByTestId('preview-verdict').textContent).toContain('Allowed only with force'));
    expect(d.querySelector('[data-rule="capacity"] .check-verdict')!.textContent).toBe('overridden');
    fireEvent.change(reasonBox(d), { target: { value: 'gw-2 and gw-3 were just resized' } });
    fireEvent.change(typeBox(d), { target: { value: 'gw-1' } });
    expect(confirmBtn(d).disabled).toBe(false);
  });

  it('shows a refusal at confirmation time and a failure (wrong admin token) in the dialog, then in the progress list', async () => {
    let answer: ActionRecord = action({ id: 'x', state: 'refused', error: 'max_unavailable: gw-3 went down meanwhile', finishedAt: T0 });
    api.answers.confirmAction = () => ({ ok: true, value: answer });
    store.getState().applyFrame(frameWith(commands()));
    renderWith(createElement(Console), store, api);
    let d = await openDrain();
    fireEvent.change(reasonBox(d), { target: { value: 'kernel patch' } });
    fireEvent.change(typeBox(d), { target: { value: 'gw-1' } });
    fireEvent.click(confirmBtn(d));
    const refused = await within(d).findByTestId('action-outcome');
    expect(refused.getAttribute('role')).toBe('alert');
    expect(refused.textContent).toContain('Refused: nothing was sent. max_unavailable: gw-3 went down meanwhile');
    fireEvent.keyDown(d, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();

    answer = action({ id: 'act-401', state: 'running', steps: [{ at: T0, what: 'asked' }] });
    d = await openDrain();
    fireEvent.change(reasonBox(d), { target: { value: 'kernel patch' } });
    fireEvent.change(typeBox(d), { target: { value: 'gw-1' } });
    fireEvent.click(confirmBtn(d));
    expect((await within(d).findByTestId('action-outcome')).textContent).toContain('Started.');
    const failed = action({ id: 'act-401', state: 'failed', error: 'gw-1 refused the admin token (HTTP 401 unauthorized): check the credentials', finishedAt: T0 + 400, steps: [{ at: T0, what: 'asked' }, { at: T0 + 400, what: 'failed: gw-1 refused the admin token (HTTP 401 unauthorized): check the credentials' }] });
    act(() => store.getState().applyFrame(frameWith(commands({ revision: 2, actions: [brief(failed)] }), { ts: T0 + 500 })));
    const outcome = within(d).getByTestId('action-outcome');
    expect(outcome.getAttribute('role')).toBe('alert');
    expect(outcome.textContent).toContain('Failed: gw-1 refused the admin token (HTTP 401 unauthorized)');
    fireEvent.click(within(d).getByRole('button', { name: 'Close' }));
    const panel = screen.getByTestId('actions-panel');
    const item = panel.querySelector('[data-action-id="act-401"]')!;
    expect(item.getAttribute('data-state')).toBe('failed');
    expect(item.textContent).toContain('Failed: gw-1 refused the admin token (HTTP 401 unauthorized): check the credentials');
  });

  it('shows an error answer of confirmAction (an expired preview) in the dialog', async () => {
    api.answers.confirmAction = () => ({ ok: false, code: 'invalid', message: 'the preview is 130 s old (at most 120 s): preview again, the fleet may have changed' });
    store.getState().applyFrame(frameWith(commands()));
    renderWith(createElement(Console), store, api);
    const d = await openDrain();
    fireEvent.change(reasonBox(d), { target: { value: 'kernel patch' } });
    fireEvent.change(typeBox(d), { target: { value: 'gw-1' } });
    fireEvent.click(confirmBtn(d));
    const err = await within(d).findByTestId('action-error');
    expect(err.getAttribute('role')).toBe('alert');
    expect(err.textContent).toContain('Not started: the preview is 130 s old');
  });

  it('is a real modal: focus starts in it, Tab wraps inside, Escape closes it and focus returns to the row’s button', async () => {
    store.getState().applyFrame(frameWith(commands()));
    renderWith(createElement(Console), store, api);
    const d = await openDrain();
    expect(document.activeElement).toBe(reasonBox(d));
    // The page behind is inert while the dialog is open.
    expect(screen.getByTestId('actions-panel').closest('[inert]')).not.toBeNull();
    const closeBtn = within(d).getByRole('button', { name: 'Close this dialog' });
    closeBtn.focus();
    fireEvent.keyDown(closeBtn, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(confirmBtn(d).disabled ? within(d).getByRole('button', { name: 'Cancel' }) : confirmBtn(d));
    fireEvent.keyDown(document.activeElement!, { key: 'Tab' });
    expect(document.activeElement).toBe(closeBtn);
    fireEvent.keyDown(d, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Actions for gw-1' }));
    expect(screen.getByTestId('actions-panel').closest('[inert]')).toBeNull();
  });

  it('from the detail panel: Escape closes the dialog only, not the detail underneath', async () => {
    store.getState().applyFrame(frameWith(commands()));
    renderWith(createElement(Console), store, api);
    act(() => selectionStore.getState().open('gw-2'));
    const bar = screen.getByRole('group', { name: 'Actions on gw-2' });
    expect((within(bar).getByRole('button', { name: /Undrain/ }) as HTMLButtonElement).disabled).toBe(true);
    expect(bar.textContent).toContain('Undrain unavailable: gw-2 is serving: nothing to undrain');
    fireEvent.click(within(bar).getByRole('button', { name: /^Restart/ }));
    const d = await screen.findByRole('dialog', { name: 'Restart gw-2' });
    await waitFor(() => expect(calls('previewAction')[0]).toMatchObject({ kind: 'restart', node: 'gw-2' }));
    fireEvent.keyDown(d, { key: 'Escape' });
    expect(screen.queryByRole('dialog', { name: 'Restart gw-2' })).toBeNull();
    expect(screen.getByTestId('node-detail')).toBeTruthy();
  });
});

describe('actions disabled', () => {
  const replaying = 'replaying incident.mcap: actions are disabled (close the recording to act on the live fleet)';

  it('during a replay: every control is disabled with the reason in words, and nothing is asked of the console', async () => {
    store.getState().applyFrame(frameWith(commands({ disabled: replaying }), { mode: 'replay' }));
    renderWith(createElement(Console), store, api);
    const panel = screen.getByTestId('actions-panel');
    expect(within(panel).getByTestId('actions-blocked').textContent).toContain(`Actions are disabled: ${replaying}`);
    expect((within(panel).getByRole('button', { name: /Rolling restart/ }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: 'Actions for gw-1' }));
    const menu = screen.getByRole('menu', { name: 'Actions for gw-1' });
    const items = within(menu).getAllByRole('menuitem');
    expect(items.map((i) => i.getAttribute('aria-disabled'))).toEqual(['true', 'true', 'true']);
    for (const i of items) expect(i.textContent).toContain(replaying);
    fireEvent.click(items[0]);
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.keyDown(menu, { key: 'Escape' });
    expect(screen.queryByRole('menu')).toBeNull();

    act(() => selectionStore.getState().open('gw-1'));
    const bar = screen.getByRole('group', { name: 'Actions on gw-1' });
    for (const b of within(bar).getAllByRole('button')) expect((b as HTMLButtonElement).disabled).toBe(true);
    expect(bar.textContent).toContain(`Unavailable: ${replaying}`);
    expect(calls('previewAction')).toEqual([]);
  });

  it('per node: no admin token, or the action does not apply to its state', () => {
    const nodes = [node('gw-1', { canAdmin: false }), node('gw-2', { health: 'drained', reason: 'drained by request' }), node('gw-3', { health: 'stale', reason: 'no fresh data' })];
    store.getState().applyFrame(frameWith(commands(), { nodes }));
    renderWith(createElement(Console), store, api);
    const menuOf = (id: string) => {
      fireEvent.click(screen.getByRole('button', { name: `Actions for ${id}` }));
      const m = screen.getByRole('menu', { name: `Actions for ${id}` });
      const out = Object.fromEntries(within(m).getAllByRole('menuitem').map((i) => [i.getAttribute('data-kind'), i.getAttribute('aria-disabled') === 'true' ? i.querySelector('.row-menu-why')!.textContent : 'enabled']));
      fireEvent.keyDown(m, { key: 'Escape' });
      return out;
    };
    expect(menuOf('gw-1')).toEqual({ drain: 'the console has no admin token for gw-1', undrain: 'the console has no admin token for gw-1', restart: 'the console has no admin token for gw-1' });
    expect(menuOf('gw-2')).toEqual({ drain: 'gw-2 is already drained', undrain: 'enabled', restart: 'enabled' });
    expect(menuOf('gw-3')).toEqual({ drain: 'the console cannot see gw-3 well enough (stale)', undrain: 'the console cannot see gw-3 well enough (stale)', restart: 'the console cannot see gw-3 well enough (stale)' });
  });

  it('the row menu works from the keyboard: ArrowDown opens it on the first enabled item, arrows move, Escape returns', () => {
    store.getState().applyFrame(frameWith(commands(), { nodes: [FLEET[0]] }));
    renderWith(createElement(Console), store, api);
    const btn = screen.getByRole('button', { name: 'Actions for gw-1' });
    btn.focus();
    fireEvent.keyDown(btn, { key: 'ArrowDown' });
    const menu = screen.getByRole('menu', { name: 'Actions for gw-1' });
    expect(btn.getAttribute('aria-expanded')).toBe('true');
    expect(document.activeElement?.getAttribute('data-kind')).toBe('drain');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(document.activeElement?.getAttribute('data-kind')).toBe('undrain');
    expect(document.activeElement?.getAttribute('aria-disabled')).toBe('true');
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(document.activeElement?.getAttribute('data-kind')).toBe('restart');
    fireEvent.keyDown(menu, { key: 'Escape' });
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(btn);
  });
});
