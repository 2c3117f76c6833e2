// @vitest-environment jsdom
import { createElement } from 'react';
import { cleanup, render, screen } from '@testing-library/react';
import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../../../src/renderer/src/App';
import { Console } from '../../../../src/renderer/src/Console';
import { createLiveStore } from '../../../../src/renderer/src/features/live';
import { frame } from '../../helpers/frames';
import { renderWith } from '../../helpers/renderConsole';

afterEach(cleanup);

describe('screens that guide', () => {
  it('without a token: explains which link to open, and shows no data', () => {
    const store = createLiveStore();
    render(createElement(App, { choice: { kind: 'no-token' }, store, queryClient: new QueryClient() }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('This page needs the link printed by switchboard serve');
    expect(screen.getByTestId('needs-link').textContent).toContain('#token=…');
    expect(screen.queryByTestId('fleet-nodes-up')).toBeNull();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('a refused token before any data: the same explanation, with the server’s reason', () => {
    const store = createLiveStore();
    store.getState().setLink({ state: 'refused', retryAt: Date.now() + 9000, attempt: 1, reason: 'the console did not accept this page’s session token' });
    renderWith(createElement(Console), store);
    expect(screen.getByTestId('needs-link').textContent).toContain('The console did not accept this page: the console did not accept this page’s session token.');
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('connecting: says so until the first frame', () => {
    const store = createLiveStore();
    renderWith(createElement(Console), store);
    expect(screen.getByTestId('connecting').textContent).toContain('Connecting to the console…');
    store.getState().setLink({ state: 'open', since: 0 });
    cleanup();
    renderWith(createElement(Console), store);
    expect(screen.getByTestId('connecting').textContent).toContain('Waiting for the first picture of the fleet…');
  });

  it('no fleet: the three ways to start one, as commands', () => {
    const store = createLiveStore();
    store.getState().setLink({ state: 'open', since: 0 });
    store.getState().applyFrame(frame([], { source: { kind: 'none', name: 'no fleet', capabilities: { seek: false, speed: false, actions: false } } }));
    renderWith(createElement(Console), store);
    const empty = screen.getByTestId('empty-fleet');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('No fleet to watch yet');
    const commands = [...empty.querySelectorAll('pre code')].map((c) => c.textContent);
    expect(commands).toEqual(['npx switchboard serve --demo', 'npx switchboard serve --fleet fleet.json', 'npx switchboard serve --prometheus URL']);
    expect(empty.textContent).toContain('Run the demo fleet');
    expect(empty.textContent).toContain('Open a file_sd file');
    expect(empty.textContent).toContain('Point at Prometheus');
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('an inventory with no nodes: says which, and why when it failed to load', () => {
    const store = createLiveStore();
    store.getState().setLink({ state: 'open', since: 0 });
    store.getState().applyFrame(frame([], { fleet: { blind: [{ node: '*', what: 'inventory', reason: 'fleet.json: not valid JSON at line 3', since: 0 }] } }));
    renderWith(createElement(Console), store);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('The fleet “fleet.json” has no nodes');
    expect(screen.getByTestId('empty-fleet').textContent).toContain('The inventory could not be loaded: fleet.json: not valid JSON at line 3');
  });
});
