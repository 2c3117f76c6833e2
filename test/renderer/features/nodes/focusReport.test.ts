// @vitest-environment jsdom
import { createElement } from 'react';
import { act, cleanup } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NodeTable } from '../../../../src/renderer/src/features/nodes';
import { openNode, selectionStore } from '../../../../src/renderer/src/features/detail';
import { createLiveStore } from '../../../../src/renderer/src/features/live';
import type { LiveStore } from '../../../../src/renderer/src/features/live';
import { frame, node } from '../../helpers/frames';
import { MemoryApi, fakeLayout, renderWith } from '../../helpers/renderConsole';

let store: LiveStore;
let restoreLayout: () => void;
beforeEach(() => {
  store = createLiveStore();
  store.getState().setLink({ state: 'open', since: 0 });
  restoreLayout = fakeLayout(600);
  selectionStore.getState().close();
});
afterEach(() => {
  cleanup();
  restoreLayout();
});

const focusCalls = (api: MemoryApi) => api.calls.filter((c) => c.op === 'setFocus').map((c) => (c.arg as { nodes: string[] }).nodes);

describe('the nodes on screen are reported for hybrid sources', () => {
  it('reports the visible rows once they settle, and the open node first', async () => {
    const api = new MemoryApi();
    api.answers.setFocus = () => ({ ok: true, value: null });
    const nodes = Array.from({ length: 300 }, (_, i) => node(`gw-${i + 1}`));
    act(() => store.getState().applyFrame(frame(nodes)));
    renderWith(createElement(NodeTable), store, api);
    await vi.waitFor(() => expect(focusCalls(api).length).toBeGreaterThan(0), { timeout: 3000 });
    const first = focusCalls(api).at(-1)!;
    // Virtualized: only the rows on screen (plus overscan), never all 300.
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(60);
    expect(first).toContain('gw-1');

    act(() => openNode('gw-250'));
    await vi.waitFor(() => expect(focusCalls(api).at(-1)?.[0]).toBe('gw-250'), { timeout: 3000 });
  });
});
