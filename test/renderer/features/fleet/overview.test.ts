// @vitest-environment jsdom
import { createElement } from 'react';
import { act, cleanup, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Console } from '../../../../src/renderer/src/Console';
import { createLiveStore } from '../../../../src/renderer/src/features/live';
import type { LiveStore } from '../../../../src/renderer/src/features/live';
import { frame, node } from '../../helpers/frames';
import { fakeLayout, renderWith } from '../../helpers/renderConsole';

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

const text = (testId: string) => screen.getByTestId(testId).textContent;
const row = (id: string) => document.querySelector<HTMLElement>(`tr[data-node="${id}"]`)!;

describe('fleet overview', () => {
  it('shows the key figures of the frame', () => {
    store.getState().applyFrame(
      frame(
        [
          node('gw-1', { connections: { ws: 700, sse: 200, longpoll: 100, total: 1000 }, deliveredPerSec: 1234.5, publishedPerSec: 12.25, lagP99Ms: 42, reconnectsPerSec: 1.5, presence: { online: 800, away: 150 } }),
          node('gw-2', { connections: { ws: 7, sse: 2, longpoll: 1, total: 10 }, deliveredPerSec: 10, publishedPerSec: 0.5, lagP99Ms: 3, reconnectsPerSec: 0, presence: { online: 9, away: 1 } }),
        ],
        { fleet: { nodesUp: 2, nodesTotal: 2 } },
      ),
    );
    renderWith(createElement(Console), store);
    expect(text('fleet-nodes-up')).toBe('2');
    expect(screen.getByRole('group', { name: 'Nodes up' }).textContent).toContain('of 2');
    expect(text('fleet-connections-total')).toBe('1,010');
    expect(text('fleet-conn-ws')).toBe('707');
    expect(text('fleet-conn-sse')).toBe('202');
    expect(text('fleet-conn-longpoll')).toBe('101');
    expect(text('fleet-delivered')).toBe('1,245');
    expect(text('fleet-published')).toBe('12.8');
    expect(text('fleet-lag-p99')).toBe('42 ms');
    expect(text('fleet-reconnects')).toBe('1.5');
    expect(text('fleet-presence-online')).toBe('809');
    expect(text('fleet-presence-away')).toBe('151');
    expect(screen.getByTestId('link-state').textContent).toContain('Live');
  });

  it('tells blindness (yellow banner, about the console) apart from down (a node fact, in the table)', () => {
    const blindSince = 1_700_000_000_000 - 120_000;
    store.getState().applyFrame(
      frame(
        [
          node('gw-1'),
          node('gw-2', { health: 'unknown', reason: 'the console cannot read this node (see blind spots)', scrape: { state: 'failing', lastOkAt: null, lastError: 'HTTP 401 Unauthorized', durationMs: 2, samples: 0 } }),
          node('gw-3', { health: 'down', reason: 'not reachable: connection refused or reset', connections: { ws: 0, sse: 0, longpoll: 0, total: 0 } }),
        ],
        { fleet: { nodesUp: 1, nodesTotal: 3, blind: [{ node: 'gw-2', what: 'metrics', reason: 'HTTP 401 Unauthorized', since: blindSince }] } },
      ),
    );
    renderWith(createElement(Console), store);
    const banner = screen.getByTestId('blindness-banner');
    expect(within(banner).getByRole('heading').textContent).toBe('The console cannot see gw-2');
    expect(banner.textContent).toContain('The console cannot read metrics of gw-2: HTTP 401 Unauthorized');
    expect(banner.textContent).toContain('(since 2 min ago)');
    expect(banner.textContent).not.toContain('gw-3');
    expect(banner.textContent).not.toMatch(/down/i);

    // Down: red row, the word and its reason in the table; not in the banner.
    expect(row('gw-3').className).toContain('health-down');
    expect(within(row('gw-3')).getByText('Down')).toBeTruthy();
    expect(row('gw-3').textContent).toContain('not reachable: connection refused or reset');
    expect(row('gw-3').textContent).not.toContain('not visible');
    // Blind: unknown, with the eye-slash marker, never red.
    expect(row('gw-2').className).not.toContain('health-down');
    expect(row('gw-2').textContent).toContain('Unknown');
    expect(row('gw-2').textContent).toContain('not visible');
    expect(screen.getByRole('group', { name: 'Nodes up' }).className).toContain('figure-bad');
    // The sums leave gw-2 out, and say so.
    expect(screen.getByTestId('coverage-note').textContent).toBe('These figures leave out 1 node the console cannot read: gw-2.');
    expect(row('gw-2').textContent).toContain('console cannot read it: HTTP 401 Unauthorized');
    // A down node's figures are its last known ones.
    expect(row('gw-3').className).toContain('is-last-known');
    expect(row('gw-3').textContent).toContain('last known');
  });

  it('shows no figures at all when the console cannot read any node', () => {
    const blind = { state: 'failing' as const, lastOkAt: null, lastError: 'HTTP 401', durationMs: 1, samples: 0 };
    store.getState().applyFrame(
      frame(['gw-1', 'gw-2'].map((id) => node(id, { health: 'unknown', reason: 'the console cannot read this node (see blind spots)', connections: { ws: 0, sse: 0, longpoll: 0, total: 0 }, lastSeenAt: null, scrape: blind, events: blind })), {
        fleet: { nodesUp: 0, nodesTotal: 2, blind: ['gw-1', 'gw-2'].map((n) => ({ node: n, what: 'metrics' as const, reason: 'HTTP 401', since: 0 })) },
      }),
    );
    renderWith(createElement(Console), store);
    expect(text('fleet-connections-total')).toBe('—');
    expect(text('fleet-delivered')).toBe('—');
    expect(screen.getByRole('group', { name: 'Connections' }).textContent).toContain('cannot read any node');
    expect(screen.getByTestId('blindness-banner').textContent).toContain('The console cannot read metrics of gw-1 and gw-2: HTTP 401');
    // Never heard from: no numbers, not zeros.
    expect(row('gw-1').querySelector('[data-testid="node-ws"]')!.textContent).toBe('—');
    expect(row('gw-1').querySelector('[data-testid="node-conn"]')!.textContent).toBe('no data');
  });

  it('shows no banner when the console sees everything', () => {
    store.getState().applyFrame(frame([node('gw-1'), node('gw-2')]));
    renderWith(createElement(Console), store);
    expect(screen.queryByTestId('blindness-banner')).toBeNull();
    expect(row('gw-1').textContent).toContain('Up');
  });

  it('names an inventory that cannot be loaded in the banner', () => {
    store.getState().applyFrame(frame([node('gw-1')], { fleet: { blind: [{ node: '*', what: 'inventory', reason: '/etc/sb/fleet.json, entry 1, field targets[0]: must include a port', since: 1_700_000_000_000 }] } }));
    renderWith(createElement(Console), store);
    expect(screen.getByTestId('blindness-banner').textContent).toContain('The console cannot load the fleet inventory: /etc/sb/fleet.json, entry 1, field targets[0]: must include a port');
  });

  it('Pause freezes the figures while frames keep arriving; Resume shows the latest', () => {
    store.getState().applyFrame(frame([node('gw-1', { connections: { ws: 1, sse: 0, longpoll: 0, total: 1 } })]));
    renderWith(createElement(Console), store);
    act(() => screen.getAllByRole('button', { name: /^Pause$/ })[0].click());
    expect(screen.getByTestId('paused-note').textContent).toContain('Paused');
    act(() => store.getState().applyFrame(frame([node('gw-1', { connections: { ws: 50, sse: 0, longpoll: 0, total: 50 } })], { ts: 1_700_000_001_000 })));
    expect(text('fleet-connections-total')).toBe('1');
    expect(row('gw-1').querySelector('[data-testid="node-conn"]')!.getAttribute('data-value')).toBe('1');
    expect(store.getState().latest!.fleet.connections.total).toBe(50);
    act(() => screen.getByRole('button', { name: /Resume live/ }).click());
    expect(text('fleet-connections-total')).toBe('50');
    expect(row('gw-1').querySelector('[data-testid="node-conn"]')!.getAttribute('data-value')).toBe('50');
  });

  it('says the link is lost (with the retry countdown) and that the figures are frozen', () => {
    store.getState().applyFrame(frame([node('gw-1')]));
    renderWith(createElement(Console), store);
    act(() => store.getState().setLink({ state: 'lost', retryAt: Date.now() + 4000, attempt: 2, since: Date.now(), lastError: 'the connection was cut (no close frame)' }));
    const banner = screen.getByTestId('link-lost');
    expect(banner.textContent).toContain('Connection to the console lost.');
    expect(banner.textContent).toContain('and not live.');
    expect(document.querySelector('.app')!.className).toContain('is-stale');
    expect(banner.textContent).toMatch(/Retrying in [34] s\./);
    expect(banner.textContent).toContain('the connection was cut (no close frame)');
    expect(screen.getByRole('button', { name: 'Retry now' })).toBeTruthy();
    expect(screen.getByTestId('link-state').textContent).toContain('Disconnected');
  });
});
