// @vitest-environment jsdom
import { createElement } from 'react';
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Console } from '../../../../src/renderer/src/Console';
import { createLiveStore } from '../../../../src/renderer/src/features/live';
import type { LiveStore } from '../../../../src/renderer/src/features/live';
import { event, frame, node } from '../../helpers/frames';
import { fakeLayout, renderWith } from '../../helpers/renderConsole';

const T0 = 1_700_000_000_000;
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
const titles = () => within(list()).getAllByRole('listitem').map((li) => li.querySelector('.event-title')!.firstChild!.textContent);

describe('timeline', () => {
  const events = [
    event(1, { ts: T0 + 1000, node: 'gw-2', kind: 'node_down', severity: 'critical', title: 'gw-2 down', reason: 'not reachable' }),
    event(2, { ts: T0 + 3000, node: null, kind: 'reconnect_spike', severity: 'warning', title: 'Reconnect spike on the fleet', reason: '40/s', cause: { node: 'gw-2', kind: 'node_down', ts: T0 + 1000 } }),
    event(3, { ts: T0 + 9000, node: 'gw-2', kind: 'restarted', severity: 'info', title: 'gw-2 restarted', reason: 'new boot' }),
  ];

  it('lists every event newest first, filterable by severity and node', () => {
    store.getState().applyFrame(frame([node('gw-1'), node('gw-2')], { ts: T0 + 10_000, events }));
    renderWith(createElement(Console), store);
    expect(titles()).toEqual(['gw-2 restarted', 'Reconnect spike on the fleet', 'gw-2 down']);
    expect(list().textContent).toContain('ongoing');
    fireEvent.change(screen.getByRole('combobox', { name: 'Lowest severity shown' }), { target: { value: 'warning' } });
    expect(titles()).toEqual(['Reconnect spike on the fleet', 'gw-2 down']);
    fireEvent.change(screen.getByRole('combobox', { name: 'Lowest severity shown' }), { target: { value: 'critical' } });
    expect(titles()).toEqual(['gw-2 down']);
    fireEvent.change(screen.getByRole('combobox', { name: 'Lowest severity shown' }), { target: { value: 'info' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Show events of' }), { target: { value: 'fleet' } });
    expect(titles()).toEqual(['Reconnect spike on the fleet']);
    fireEvent.change(screen.getByRole('combobox', { name: 'Show events of' }), { target: { value: 'gw-1' } });
    expect(screen.getByText('No event matches this filter.')).toBeTruthy();
  });

  it('a click on an event focuses the charts on its moment and pauses; new events wait until resume', () => {
    store.getState().applyFrame(frame([node('gw-1'), node('gw-2')], { ts: T0 + 10_000, events }));
    renderWith(createElement(Console), store);
    fireEvent.click(screen.getByRole('button', { name: /gw-2 down at/ }));
    expect(store.getState().paused).toBe(true);
    expect(store.getState().focusTs).toBe(T0 + 1000);
    expect(screen.getByTestId('paused-note').textContent).toMatch(/Paused — showing up to \d\d:\d\d:\d\d/);
    act(() => store.getState().applyFrame(frame([node('gw-1'), node('gw-2')], { ts: T0 + 11_000, events: [event(4, { ts: T0 + 10_500, title: 'gw-1 drain started' })] })));
    expect(titles()).toEqual(['gw-2 restarted', 'Reconnect spike on the fleet', 'gw-2 down']);
    expect(screen.getByText('Paused: newer events are held back until you resume.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /Resume live/ }));
    expect(titles()[0]).toBe('gw-1 drain started');
  });

  it('explains an empty timeline', () => {
    store.getState().applyFrame(frame([node('gw-1')]));
    renderWith(createElement(Console), store);
    expect(screen.getByText('No events yet. Node restarts, spikes and lag breaches will appear here.')).toBeTruthy();
  });
});
