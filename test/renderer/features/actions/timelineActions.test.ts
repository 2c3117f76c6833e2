// @vitest-environment jsdom
import { createElement } from 'react';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Console } from '../../../../src/renderer/src/Console';
import { createLiveStore } from '../../../../src/renderer/src/features/live';
import type { LiveStore } from '../../../../src/renderer/src/features/live';
import { event, frame } from '../../helpers/frames';
import { fakeLayout, MemoryApi, renderWith } from '../../helpers/renderConsole';
import { commands, FLEET, T0 } from './fixtures';

let store: LiveStore;
let restoreLayout: () => void;
beforeEach(() => {
  store = createLiveStore();
  store.getState().setLink({ state: 'open', since: 0 });
  restoreLayout = fakeLayout();
});
afterEach(() => {
  cleanup();
  restoreLayout();
});

const list = () => screen.getByRole('list', { name: 'Events, newest first' });
const shown = () => within(list()).getAllByRole('listitem').map((li) => li.getAttribute('data-kind'));

describe('fleet actions on the timeline', () => {
  const events = [
    event(1, { ts: T0 + 1000, node: 'gw-1', kind: 'action_running', severity: 'info', title: 'drain of gw-1 by alice: running', reason: 'kernel patch', data: { actionId: 'a1', kind: 'drain', actor: 'alice' } }),
    event(2, { ts: T0 + 2000, node: 'gw-2', kind: 'action_refused', severity: 'warning', title: 'drain of gw-2 by alice: refused', reason: 'max_unavailable: …', data: { actionId: 'a2', kind: 'drain', actor: 'alice' } }),
    event(3, { ts: T0 + 3000, node: 'gw-3', kind: 'action_failed', severity: 'critical', title: 'restart of gw-3 by bob: failed', reason: 'HTTP 401', data: { actionId: 'a3', kind: 'restart', actor: 'bob' } }),
    event(4, { ts: T0 + 4000, node: null, kind: 'rollout_paused', severity: 'warning', title: 'rolling restart paused by itself', reason: 'SLO breach', data: { rolloutId: 'r1' } }),
    event(5, { ts: T0 + 5000, node: 'gw-1', kind: 'action_succeeded', severity: 'info', title: 'undrain of gw-1 by alice: succeeded', reason: 'patched', data: { actionId: 'a4', kind: 'undrain', actor: 'alice' } }),
  ];

  it('tags each action with its kind and filters by node and severity like every event', () => {
    store.getState().applyFrame({ ...frame(FLEET, { ts: T0 + 6000, events }), session: { mode: 'live', commands: commands(), recorder: null, replay: null } });
    renderWith(createElement(Console), store, new MemoryApi());
    const tags = within(list()).getAllByRole('listitem').map((li) => li.querySelector('.event-tag')?.textContent ?? null);
    expect(tags).toEqual(['action', 'rollout', 'action', 'action', 'action']);
    // The icon says which action (the title names it too).
    const icon = (kind: string) => list().querySelector(`[data-kind="${kind}"] .event-tag path`)!.getAttribute('d');
    expect(icon('action_failed')).not.toBe(icon('action_running'));
    expect(icon('action_refused')).toBe(icon('action_running'));
    expect(list().querySelector('[data-kind="action_failed"]')!.textContent).toContain('restart of gw-3 by bob: failed');
    fireEvent.change(screen.getByRole('combobox', { name: 'Show events of' }), { target: { value: 'gw-1' } });
    expect(shown()).toEqual(['action_succeeded', 'action_running']);
    fireEvent.change(screen.getByRole('combobox', { name: 'Show events of' }), { target: { value: 'fleet' } });
    expect(shown()).toEqual(['rollout_paused']);
    fireEvent.change(screen.getByRole('combobox', { name: 'Show events of' }), { target: { value: 'all' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Lowest severity shown' }), { target: { value: 'warning' } });
    expect(shown()).toEqual(['rollout_paused', 'action_failed', 'action_refused']);
  });
});
