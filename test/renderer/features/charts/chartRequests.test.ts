// @vitest-environment jsdom
import { createElement } from 'react';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Console } from '../../../../src/renderer/src/Console';
import { selectionStore } from '../../../../src/renderer/src/features/detail';
import { createLiveStore } from '../../../../src/renderer/src/features/live';
import type { LiveStore } from '../../../../src/renderer/src/features/live';
import { frame, node } from '../../helpers/frames';
import { fakeLayout, MemoryApi, renderWith } from '../../helpers/renderConsole';

let store: LiveStore;
let api: MemoryApi;
let restore: () => void;
const rect = Element.prototype.getBoundingClientRect;

beforeEach(() => {
  store = createLiveStore();
  store.getState().setLink({ state: 'open', since: 0 });
  api = new MemoryApi();
  const restoreLayout = fakeLayout();
  // Each chart box is 643 px wide; the chart asks for 640 buckets (8 px steps).
  Element.prototype.getBoundingClientRect = () => ({ width: 643, height: 170, x: 0, y: 0, top: 0, left: 0, right: 643, bottom: 170, toJSON: () => ({}) });
  restore = () => {
    restoreLayout();
    Element.prototype.getBoundingClientRect = rect;
  };
  selectionStore.getState().close();
});
afterEach(() => {
  cleanup();
  restore();
});

const metrics = () => [...new Set(api.seriesRequests.map((r) => r.metric))].sort();

describe('charts ask for series windows', () => {
  it('at their pixel width, for the chosen range, refetched while live and not while paused', async () => {
    const now = Date.now();
    store.getState().applyFrame(frame([node('gw-1'), node('gw-2')], { ts: now }));
    renderWith(createElement(Console), store, api);
    await waitFor(() => expect(metrics()).toEqual(['connections', 'lag', 'presence', 'reconnects']));
    for (const r of api.seriesRequests) {
      expect(r.width).toBe(640);
      expect(r.toMs - r.fromMs).toBe(5 * 60_000);
      expect(r.nodes).toBeUndefined();
      expect(Math.abs(r.toMs - now)).toBeLessThan(5000);
    }
    // Live: a fresh window every two seconds.
    const before = api.seriesRequests.length;
    await waitFor(() => expect(api.seriesRequests.length).toBeGreaterThanOrEqual(before + 4), { timeout: 4000 });

    fireEvent.click(screen.getByRole('button', { name: '15 min' }));
    await waitFor(() => expect(api.seriesRequests.some((r) => r.toMs - r.fromMs === 15 * 60_000)).toBe(true));
    expect(screen.getByRole('button', { name: '15 min' }).getAttribute('aria-pressed')).toBe('true');

    fireEvent.click(screen.getAllByRole('button', { name: /^Pause$/ })[0]);
    await waitFor(() => expect(api.seriesRequests.some((r) => r.toMs === now)).toBe(true));
    const paused = api.seriesRequests.length;
    await new Promise((r) => setTimeout(r, 2600));
    expect(api.seriesRequests.length).toBe(paused);
  }, 15_000);

  it('for one node in its detail', async () => {
    store.getState().applyFrame(frame([node('gw-1'), node('gw-2')], { ts: Date.now() }));
    renderWith(createElement(Console), store, api);
    act(() => selectionStore.getState().open('gw-2'));
    await waitFor(() => expect(api.seriesRequests.filter((r) => r.nodes?.[0] === 'gw-2').map((r) => r.metric).sort()).toEqual(['connections', 'lag', 'presence', 'reconnects']));
    expect(api.seriesRequests.find((r) => r.nodes)!.nodes).toEqual(['gw-2']);
    await waitFor(() => expect(api.timelineQueries).toContainEqual({ nodes: ['gw-2'], limit: 500 }));
  });
});
