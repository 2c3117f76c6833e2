// @vitest-environment jsdom
import { createElement } from 'react';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Console } from '../../../../src/renderer/src/Console';
import { actionsUiStore } from '../../../../src/renderer/src/features/actions';
import { selectionStore } from '../../../../src/renderer/src/features/detail';
import { createLiveStore } from '../../../../src/renderer/src/features/live';
import type { LiveStore } from '../../../../src/renderer/src/features/live';
import type { RolloutControl, StartRolloutRequest } from '../../../../src/shared/actions';
import { fakeLayout, MemoryApi, renderWith } from '../../helpers/renderConsole';
import { action, brief, commands, frameWith, rollout, rolloutPreview, T0 } from './fixtures';

let store: LiveStore;
let api: MemoryApi;
let restoreLayout: () => void;

beforeEach(() => {
  store = createLiveStore();
  store.getState().setLink({ state: 'open', since: 0 });
  api = new MemoryApi();
  restoreLayout = fakeLayout();
  selectionStore.getState().close();
  actionsUiStore.getState().close();
});
afterEach(() => {
  cleanup();
  restoreLayout();
});

const calls = (op: string) => api.calls.filter((c) => c.op === op).map((c) => c.arg);
const panel = () => screen.getByTestId('actions-panel');

/** A drain of gw-1 that the node accepted with 100 connections, at `remaining` left. */
function drain(remaining: number, o: Parameters<typeof action>[0] = {}) {
  return action({
    id: 'd-1',
    state: 'running',
    steps: [
      { at: T0, what: 'asked' },
      { at: T0 + 10, what: 'guard rails passed' },
      { at: T0 + 20, what: 'audited' },
      { at: T0 + 30, what: 'POST /admin/drain', detail: { requestId: 'req-d-1' } },
      { at: T0 + 60, what: 'accepted (HTTP 202)', detail: { state: 'draining', connections: 100, bootId: 'boot-gw-1' } },
    ],
    progress: { at: T0 + 2000, remaining, ratePerSec: 20, etaSeconds: remaining / 20, source: 'events' },
    ...o,
  });
}

describe('progress of actions', () => {
  it('draws a drain’s progress from the frames: moved of the connections at the start, rate, ETA, then drained', () => {
    store.getState().applyFrame(frameWith(commands({ actions: [brief(drain(40))] })));
    renderWith(createElement(Console), store, api);
    const item = panel().querySelector('[data-action-id="d-1"]') as HTMLElement;
    expect(within(item).getByTestId('action-state').textContent).toBe('Running');
    const bar = within(item).getByRole('progressbar', { name: 'Drain of gw-1' });
    expect([bar.getAttribute('aria-valuenow'), bar.getAttribute('aria-valuemax')]).toEqual(['60', '100']);
    expect(bar.getAttribute('aria-valuetext')).toBe('60 of 100 connections moved, 40 left');
    expect(item.textContent).toContain('20.0/s now (asked 50.0/s) · ETA 2 s · deadline 2 min');
    expect(item.textContent).toContain('by alice: “kernel patch”');

    act(() => store.getState().applyFrame(frameWith(commands({ revision: 2, actions: [brief(drain(10))] }), { ts: T0 + 3000 })));
    expect(within(item).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('90');

    const done = drain(0, { state: 'succeeded', finishedAt: T0 + 5000, steps: [...drain(0).steps, { at: T0 + 5000, what: 'succeeded' }] });
    act(() => store.getState().applyFrame(frameWith(commands({ revision: 3, actions: [brief(done)] }), { ts: T0 + 5000 })));
    expect(within(item).getByTestId('action-state').textContent).toBe('Succeeded');
    expect(within(item).getByRole('progressbar').getAttribute('aria-valuetext')).toBe('drained: 100 of 100 connections moved');
    expect(item.textContent).toContain('took 5 s');
    // Every step, behind a disclosure.
    const steps = within(item).getByRole('list', { name: 'Steps of the drain of gw-1' });
    expect(within(steps).getAllByRole('listitem').map((li) => li.querySelector('.step-what')!.textContent)).toEqual(['asked', 'guard rails passed', 'audited', 'POST /admin/drain', 'accepted (HTTP 202)', 'succeeded']);
    expect(steps.textContent).toContain('connections: 100');
    // No abort for a finished drain.
    expect(within(item).queryByRole('button', { name: /Abort/ })).toBeNull();
  });

  it('shows the node’s action in its detail panel too', () => {
    store.getState().applyFrame(frameWith(commands({ actions: [brief(drain(40))] })));
    renderWith(createElement(Console), store, api);
    act(() => selectionStore.getState().open('gw-1'));
    const detail = screen.getByTestId('node-detail');
    expect(within(detail).getByRole('progressbar', { name: 'Drain of gw-1' }).getAttribute('aria-valuenow')).toBe('60');
    // One action per node: the buttons say why they wait.
    expect(within(detail).getByRole('group', { name: 'Actions on gw-1' }).textContent).toContain('a drain is under way on gw-1');
  });

  it('aborts a running drain only with a reason', async () => {
    api.answers.abortAction = () => ({ ok: true, value: drain(40, { state: 'aborted' }) });
    store.getState().applyFrame(frameWith(commands({ actions: [brief(drain(40))] })));
    renderWith(createElement(Console), store, api);
    fireEvent.click(within(panel()).getByRole('button', { name: /Abort drain/ }));
    const d = await screen.findByRole('dialog', { name: 'Abort the drain of gw-1' });
    expect(d.textContent).toContain('undrains gw-1');
    const go = within(d).getByRole('button', { name: 'Abort the drain' }) as HTMLButtonElement;
    expect(go.disabled).toBe(true);
    fireEvent.change(within(d).getByRole('textbox', { name: /^Reason/ }), { target: { value: 'wrong node' } });
    expect(go.disabled).toBe(false);
    fireEvent.click(go);
    await waitFor(() => expect(calls('abortAction')).toEqual([{ id: 'd-1', reason: 'wrong node' }]));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });
});

describe('the rolling restart', () => {
  it('shows nodes done of total, each node’s phase, and Pause asks a reason and calls controlRollout', async () => {
    api.answers.controlRollout = (arg) => ({ ok: true, value: rollout({ state: 'paused', pauseReason: (arg as RolloutControl).reason }) });
    store.getState().applyFrame(frameWith(commands({ rollout: rollout() })));
    renderWith(createElement(Console), store, api);
    const card = screen.getByTestId('rollout-card');
    expect(within(card).getByTestId('rollout-state').textContent).toBe('Running');
    const bar = within(card).getByRole('progressbar', { name: 'Nodes restarted' });
    expect([bar.getAttribute('aria-valuenow'), bar.getAttribute('aria-valuemax')]).toEqual(['1', '3']);
    expect(bar.getAttribute('aria-valuetext')).toBe('1 of 3 nodes restarted; now: gw-2 draining');
    const phases = within(card).getByRole('list', { name: 'Nodes of the rolling restart, in order' });
    expect([...phases.querySelectorAll('li')].map((li) => `${li.getAttribute('data-node')} ${li.querySelector('.badge')!.textContent!.trim()}`)).toEqual(['gw-1 Done', 'gw-2 Draining', 'gw-3 Waiting']);
    expect(within(card).queryByRole('button', { name: /Resume/ })).toBeNull();
    expect(within(card).queryByRole('button', { name: /Abandon/ })).toBeNull();
    fireEvent.click(within(card).getByRole('button', { name: /Pause/ }));
    const d = await screen.findByRole('dialog', { name: 'Pause the rolling restart' });
    const go = within(d).getByRole('button', { name: 'Pause' }) as HTMLButtonElement;
    expect(go.disabled).toBe(true);
    fireEvent.change(within(d).getByRole('textbox', { name: /^Reason/ }), { target: { value: 'lunch rush' } });
    fireEvent.click(go);
    await waitFor(() => expect(calls('controlRollout')).toEqual([{ op: 'pause', reason: 'lunch rush' }]));
  });

  it('a rollout paused by an SLO breach says so by itself; Resume, Abort and Abandon each ask a reason', async () => {
    const breach = 'SLO breach for 2.1 s: lag p99 812 ms on gw-3, over the 500 ms limit';
    const p = rollout({ state: 'paused', pauseReason: breach, steps: [...rollout().steps, { at: T0, what: `paused by itself: ${breach}` }] });
    let answer: { ok: false; code: 'invalid'; message: string } | null = { ok: false, code: 'invalid', message: 'rollout roll-1 is running, not paused' };
    api.answers.controlRollout = (arg) => answer ?? { ok: true, value: rollout({ state: (arg as RolloutControl).op === 'abandon' ? 'abandoned' : 'running' }) };
    store.getState().applyFrame(frameWith(commands({ rollout: p })));
    renderWith(createElement(Console), store, api);
    const card = screen.getByTestId('rollout-card');
    expect(within(card).getByTestId('rollout-state').textContent).toBe('Paused by itself');
    expect(within(card).getByTestId('rollout-pause-reason').textContent).toContain(`Paused by itself: ${breach}`);
    expect(within(card).queryByRole('button', { name: /Pause/ })).toBeNull();
    for (const op of ['resume', 'abort', 'abandon'] as const) {
      answer = op === 'resume' ? { ok: false, code: 'invalid', message: 'rollout roll-1 is running, not paused' } : null;
      fireEvent.click(card.querySelector(`button[data-op="${op}"]`)!);
      const d = await screen.findByRole('dialog');
      fireEvent.change(within(d).getByRole('textbox', { name: /^Reason/ }), { target: { value: `${op} it now` } });
      fireEvent.click(within(d).getAllByRole('button').at(-1)!);
      await waitFor(() => expect(calls('controlRollout').at(-1)).toEqual({ op, reason: `${op} it now` }));
      if (op === 'resume') {
        // An error stays in the dialog.
        expect((await within(d).findByRole('alert')).textContent).toContain('Not done: rollout roll-1 is running, not paused');
        fireEvent.keyDown(d, { key: 'Escape' });
      }
      await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    }
  });

  it('an interrupted rollout after a console restart is shown with Resume and Abandon', () => {
    const p = rollout({ state: 'paused', interrupted: true, pauseReason: 'interrupted: the console running it stopped (last saved 2023-11-14T22:13:20.000Z); resume or abandon it' });
    store.getState().applyFrame(frameWith(commands({ rollout: p })));
    renderWith(createElement(Console), store, api);
    const card = screen.getByTestId('rollout-card');
    expect(within(card).getByTestId('rollout-state').textContent).toBe('Interrupted');
    expect(within(card).getByTestId('rollout-pause-reason').textContent).toContain('Interrupted: interrupted: the console running it stopped');
    expect(within(card).getAllByRole('button').map((b) => b.textContent!.trim()).filter((t) => !t.startsWith('Steps'))).toEqual(['Resume…', 'Abort…', 'Abandon…']);
    // A new rollout waits for this one.
    const start = within(panel()).getByRole('button', { name: /Rolling restart/ }) as HTMLButtonElement;
    expect(start.disabled).toBe(true);
    expect(panel().textContent).toContain('Rolling restart: a rolling restart is interrupted: resume, abort or abandon it first.');
  });

  it('starts a rolling restart after its dry run, a reason and `fleet N` typed', async () => {
    api.answers.previewRollout = () => ({ ok: true, value: rolloutPreview() });
    api.answers.startRollout = () => ({ ok: true, value: rollout() });
    store.getState().applyFrame(frameWith(commands()));
    renderWith(createElement(Console), store, api);
    fireEvent.click(within(panel()).getByRole('button', { name: /Rolling restart/ }));
    const d = await screen.findByRole('dialog', { name: 'Rolling restart of the fleet' });
    const order = await within(d).findByRole('list', { name: 'Order of the restart' });
    expect([...order.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['1gw-1100 connections', '2gw-2200 connections', '3gw-3300 connections']);
    expect(d.textContent).toContain('It may start');
    expect(within(d).getByRole('textbox', { name: /Max unavailable at once/ }).getAttribute('placeholder')).toBe('1 (default)');
    expect(within(d).getByRole('textbox', { name: /Healthy window/ }).getAttribute('placeholder')).toBe('5 (default)');
    expect(within(d).getByText('fleet 3', { selector: 'code' })).toBeTruthy();
    const go = within(d).getByTestId('start-rollout') as HTMLButtonElement;
    fireEvent.change(within(d).getByRole('textbox', { name: /^Reason/ }), { target: { value: 'new gateway build' } });
    fireEvent.change(within(d).getByTestId('confirm-text'), { target: { value: 'fleet 2' } });
    expect(go.disabled).toBe(true);
    fireEvent.change(within(d).getByTestId('confirm-text'), { target: { value: 'fleet 3' } });
    expect(go.disabled).toBe(false);
    fireEvent.click(go);
    await waitFor(() => expect(calls('startRollout')).toEqual([{ request: { reason: 'new gateway build' }, confirmText: 'fleet 3' } satisfies StartRolloutRequest]));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('says which rule blocks a rolling restart and does not let it start', async () => {
    api.answers.previewRollout = () => ({ ok: true, value: rolloutPreview({ blocking: 'gw-2: fresh_view: the console’s view of gw-2 is not fresh: it was last heard from 9.0 s ago' }) });
    store.getState().applyFrame(frameWith(commands()));
    renderWith(createElement(Console), store, api);
    fireEvent.click(within(panel()).getByRole('button', { name: /Rolling restart/ }));
    const d = await screen.findByRole('dialog', { name: 'Rolling restart of the fleet' });
    expect((await within(d).findByTestId('rollout-blocking')).textContent).toContain('Refused now: gw-2: fresh_view');
    fireEvent.change(within(d).getByRole('textbox', { name: /^Reason/ }), { target: { value: 'new gateway build' } });
    fireEvent.change(within(d).getByTestId('confirm-text'), { target: { value: 'fleet 3' } });
    expect((within(d).getByTestId('start-rollout') as HTMLButtonElement).disabled).toBe(true);
  });
});
