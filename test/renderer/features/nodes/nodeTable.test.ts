// @vitest-environment jsdom
import { createElement } from 'react';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Console } from '../../../../src/renderer/src/Console';
import { selectionStore } from '../../../../src/renderer/src/features/detail';
import { createLiveStore } from '../../../../src/renderer/src/features/live';
import type { LiveStore } from '../../../../src/renderer/src/features/live';
import { filterNodes, sortNodes } from '../../../../src/renderer/src/features/nodes';
import type { NodeSummary } from '../../../../src/shared/api';
import { frame, node } from '../../helpers/frames';
import { fakeLayout, renderWith } from '../../helpers/renderConsole';

const conns = (total: number) => ({ ws: total - 2, sse: 1, longpoll: 1, total });
const FLEET: NodeSummary[] = [
  node('gw-1', { connections: conns(300), region: 'eu-west', lagP99Ms: 12 }),
  node('gw-2', { connections: conns(50), region: 'us-east', health: 'down', reason: 'not reachable: connection refused or reset', lagP99Ms: null }),
  node('gw-10', { connections: conns(120), region: 'us-east', health: 'stale', reason: 'no fresh data' }),
  node('gw-3', { connections: conns(999), region: 'ap-south', lagP99Ms: 400 }),
];

let store: LiveStore;
let restoreLayout: () => void;
beforeEach(() => {
  store = createLiveStore();
  store.getState().setLink({ state: 'open', since: 0 });
  restoreLayout = fakeLayout();
  selectionStore.getState().close();
});
afterEach(() => {
  cleanup();
  restoreLayout();
});

const table = () => screen.getByRole('table', { name: 'Nodes' });
const rowIds = () => [...table().querySelectorAll('tbody tr[data-node]')].map((r) => r.getAttribute('data-node'));
const header = (name: RegExp) => within(table()).getByRole('columnheader', { name });

describe('node sorting and filtering (pure)', () => {
  it('sorts by any column, unknown values last, node ids in numeric order', () => {
    expect(sortNodes(FLEET, { key: 'node', dir: 'asc' }).map((n) => n.id)).toEqual(['gw-1', 'gw-2', 'gw-3', 'gw-10']);
    expect(sortNodes(FLEET, { key: 'connections', dir: 'desc' }).map((n) => n.id)).toEqual(['gw-3', 'gw-1', 'gw-10', 'gw-2']);
    expect(sortNodes(FLEET, { key: 'lag', dir: 'desc' }).map((n) => n.id)).toEqual(['gw-3', 'gw-1', 'gw-10', 'gw-2']);
    expect(sortNodes(FLEET, { key: 'lag', dir: 'asc' }).map((n) => n.id)).toEqual(['gw-10', 'gw-1', 'gw-3', 'gw-2']);
    // Health: problems first.
    expect(sortNodes(FLEET, { key: 'health', dir: 'asc' }).map((n) => n.id)).toEqual(['gw-2', 'gw-10', 'gw-1', 'gw-3']);
  });

  it('filters by words over id, region, health and reason, and by health', () => {
    expect(filterNodes(FLEET, { text: 'us-east', health: 'all' }).map((n) => n.id)).toEqual(['gw-2', 'gw-10']);
    expect(filterNodes(FLEET, { text: 'REFUSED', health: 'all' }).map((n) => n.id)).toEqual(['gw-2']);
    expect(filterNodes(FLEET, { text: 'us-east stale', health: 'all' }).map((n) => n.id)).toEqual(['gw-10']);
    expect(filterNodes(FLEET, { text: '', health: 'problems' }).map((n) => n.id)).toEqual(['gw-2', 'gw-10']);
    expect(filterNodes(FLEET, { text: '', health: 'up' }).map((n) => n.id)).toEqual(['gw-1', 'gw-3']);
    expect(filterNodes(FLEET, { text: '', health: 'all' })).toBe(FLEET);
  });
});

describe('node table', () => {
  it('is a real table: column headers with scope and aria-sort, a row header per node, numbers per transport', () => {
    store.getState().applyFrame(frame(FLEET));
    renderWith(createElement(Console), store);
    const cols = within(table()).getAllByRole('columnheader');
    expect(cols.map((c) => c.getAttribute('scope'))).toEqual(Array(10).fill('col'));
    expect(header(/Health/).getAttribute('aria-sort')).toBe('ascending');
    expect(header(/Connections/).getAttribute('aria-sort')).toBe('none');
    expect(within(table()).getAllByRole('rowheader').length).toBe(4);
    const cell = table().querySelector('[data-testid="node-conn"][data-node="gw-3"]')!;
    expect(cell.textContent).toBe('999 / 10,000');
    const row = table().querySelector('tr[data-node="gw-3"]')!;
    expect(row.querySelector('[data-testid="node-ws"]')!.textContent).toBe('997');
    expect(row.querySelector('[data-testid="node-sse"]')!.textContent).toBe('1');
    expect(row.querySelector('[data-testid="node-longpoll"]')!.textContent).toBe('1');
    // Problems first by default.
    expect(rowIds()).toEqual(['gw-2', 'gw-10', 'gw-1', 'gw-3']);
  });

  it('sorts by a header click, and the other way on a second click', () => {
    store.getState().applyFrame(frame(FLEET));
    renderWith(createElement(Console), store);
    fireEvent.click(within(header(/Connections/)).getByRole('button'));
    expect(header(/Connections/).getAttribute('aria-sort')).toBe('descending');
    expect(header(/Health/).getAttribute('aria-sort')).toBe('none');
    expect(rowIds()).toEqual(['gw-3', 'gw-1', 'gw-10', 'gw-2']);
    fireEvent.click(within(header(/Connections/)).getByRole('button'));
    expect(header(/Connections/).getAttribute('aria-sort')).toBe('ascending');
    expect(rowIds()).toEqual(['gw-2', 'gw-10', 'gw-1', 'gw-3']);
    fireEvent.click(within(header(/^Node/)).getByRole('button'));
    expect(rowIds()).toEqual(['gw-1', 'gw-2', 'gw-3', 'gw-10']);
  });

  it('filters by text and by health, says how many show, and offers to clear', () => {
    store.getState().applyFrame(frame(FLEET));
    renderWith(createElement(Console), store);
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter nodes by text' }), { target: { value: 'us-east' } });
    expect(rowIds()).toEqual(['gw-2', 'gw-10']);
    expect(screen.getByTestId('nodes-count').textContent).toBe('2 of 4');
    fireEvent.change(screen.getByRole('combobox', { name: 'Filter nodes by health' }), { target: { value: 'down' } });
    expect(rowIds()).toEqual(['gw-2']);
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter nodes by text' }), { target: { value: 'nothing-like-this' } });
    expect(rowIds()).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Clear the filter' }));
    expect(rowIds().length).toBe(4);
  });

  it('keeps a frame’s new values in sorted order as they change', () => {
    store.getState().applyFrame(frame(FLEET));
    renderWith(createElement(Console), store);
    fireEvent.click(within(header(/Connections/)).getByRole('button'));
    act(() => store.getState().applyFrame(frame([...FLEET.slice(0, 3), node('gw-3', { connections: conns(5) })], { ts: 1_700_000_001_000 })));
    expect(rowIds()).toEqual(['gw-1', 'gw-10', 'gw-2', 'gw-3']);
    expect(table().querySelector('[data-testid="node-conn"][data-node="gw-3"]')!.textContent).toBe('5 / 10,000');
  });

  it('renders only a window of 1,000 rows, with spacer rows keeping the scroll height', () => {
    const many = Array.from({ length: 1000 }, (_, i) => node(`gw-${i + 1}`));
    store.getState().applyFrame(frame(many));
    renderWith(createElement(Console), store);
    const rendered = rowIds().length;
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(60);
    expect(table().getAttribute('aria-rowcount')).toBe('1001');
    const spacers = table().querySelectorAll('tbody tr.spacer');
    expect(spacers.length).toBe(1);
    expect(parseInt((spacers[0] as HTMLElement).style.height, 10)).toBe((1000 - rendered) * 48);
  });

  it('opens a node’s detail by click or Enter on its row button, and Escape closes it', () => {
    store.getState().applyFrame(frame(FLEET));
    renderWith(createElement(Console), store);
    fireEvent.click(table().querySelector('tr[data-node="gw-3"] td')!);
    const detail = screen.getByTestId('node-detail');
    expect(within(detail).getByRole('heading', { level: 2 }).textContent).toContain('gw-3');
    expect(detail.textContent).toContain('Metrics scrape (/metrics)');
    expect(detail.textContent).toContain('Live events (/events)');
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.queryByTestId('node-detail')).toBeNull();
    // Back on the row it came from.
    expect(document.activeElement?.getAttribute('data-node-open')).toBe('gw-3');

    const button = screen.getByRole('button', { name: 'gw-2, us-east: open details' });
    button.focus();
    fireEvent.click(button); // what Enter/Space do on a button
    expect(within(screen.getByTestId('node-detail')).getByRole('heading', { level: 2 }).textContent).toContain('gw-2');
    expect(screen.getByTestId('node-detail').textContent).toContain('not reachable: connection refused or reset');
    fireEvent.click(screen.getByRole('button', { name: 'Close details of gw-2' }));
    expect(screen.queryByTestId('node-detail')).toBeNull();
  });

  it('moves between rows with the arrow keys, Home and End', async () => {
    store.getState().applyFrame(frame(FLEET));
    renderWith(createElement(Console), store);
    fireEvent.click(within(header(/^Node/)).getByRole('button'));
    const open = (id: string) => table().querySelector<HTMLElement>(`[data-node-open="${id}"]`)!;
    open('gw-1').focus();
    fireEvent.keyDown(open('gw-1'), { key: 'ArrowDown' });
    await waitFor(() => expect(document.activeElement).toBe(open('gw-2')));
    fireEvent.keyDown(open('gw-2'), { key: 'End' });
    await waitFor(() => expect(document.activeElement).toBe(open('gw-10')));
    fireEvent.keyDown(open('gw-10'), { key: 'ArrowDown' });
    await new Promise((r) => setTimeout(r, 50));
    expect(document.activeElement).toBe(open('gw-10'));
    fireEvent.keyDown(open('gw-10'), { key: 'Home' });
    await waitFor(() => expect(document.activeElement).toBe(open('gw-1')));
  });

  it('shows the scrape and stream health of a node in its detail', () => {
    store.getState().applyFrame(frame([node('gw-1', { scrape: { state: 'failing', lastOkAt: null, lastError: 'HTTP 401 Unauthorized', durationMs: 3, samples: 0 }, events: { state: 'stale', lastOkAt: null, lastError: null, durationMs: 0, samples: 17 }, lastSeenAt: null })]));
    renderWith(createElement(Console), store);
    act(() => selectionStore.getState().open('gw-1'));
    const scrape = screen.getByRole('region', { name: 'Metrics scrape (/metrics)' });
    expect(within(scrape).getByTestId('scrape-state').textContent).toBe('Failing');
    expect(scrape.textContent).toContain('HTTP 401 Unauthorized');
    expect(scrape.textContent).toContain('Last successnever');
    const events = screen.getByRole('region', { name: 'Live events (/events)' });
    expect(within(events).getByTestId('events-state').textContent).toBe('Silent');
    expect(events.textContent).toContain('Events received17');
  });
});
