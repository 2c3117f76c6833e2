// @vitest-environment jsdom
import { createElement } from 'react';
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHARTS, TimeSeriesChart } from '../../../../src/renderer/src/features/charts';
import { freshnessText } from '../../../../src/renderer/src/features/charts/PanelSourceCaption';
import { createLiveStore } from '../../../../src/renderer/src/features/live';
import type { LiveStore } from '../../../../src/renderer/src/features/live';
import type { PanelSource } from '../../../../src/shared/api';
import { frame, node } from '../../helpers/frames';
import { renderWith } from '../../helpers/renderConsole';

let store: LiveStore;
beforeEach(() => {
  store = createLiveStore();
  store.getState().setLink({ state: 'open', since: 0 });
});
afterEach(cleanup);

const connections = CHARTS.find((c) => c.metric === 'connections')!;
const WS_QUERY = '# connectionsWs: open WebSocket connections now\nsum by (instance) (realtime_connections{transport="ws"})';
const SSE_QUERY = '# connectionsSse: open SSE connections now\nsum by (instance) (realtime_connections{transport="sse"})';
const prom = (freshnessMs: number | null): PanelSource[] => [
  { panel: 'connections', source: 'prometheus', freshnessMs, queries: [WS_QUERY, SSE_QUERY] },
  { panel: 'lag', source: 'prometheus', freshnessMs, queries: ['# lagP99\nhistogram_quantile(0.99, x)'] },
];

function chart() {
  return screen.getByRole('figure', { name: /Connections by transport/ });
}

describe('chart captions: source, freshness and PromQL', () => {
  it('says "Prometheus · 3 s ago" under the title and reveals the PromQL on request, accessibly', () => {
    store.getState().applyFrame(frame([node('gw-1')], { panels: prom(3200) }));
    renderWith(createElement(TimeSeriesChart, { spec: connections, node: null }), store);
    const fig = within(chart());
    expect(fig.getByText('Prometheus · 3 s ago')).toBeTruthy();

    const toggle = fig.getByRole('button', { name: 'Show query' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    const pre = document.getElementById(toggle.getAttribute('aria-controls')!)!;
    expect(pre.tagName).toBe('PRE');
    expect(pre.hidden).toBe(true);

    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(toggle.textContent).toBe('Hide query');
    expect(pre.hidden).toBe(false);
    expect(pre.textContent).toBe(`${WS_QUERY}\n\n${SSE_QUERY}`);
    expect(fig.getByLabelText('PromQL behind this chart')).toBe(pre);

    // Freshness follows the frames; the open query stays open.
    act(() => store.getState().applyFrame(frame([node('gw-1')], { panels: prom(800) })));
    expect(fig.getByText('Prometheus · 1 s ago')).toBeTruthy();
    expect(pre.hidden).toBe(false);

    fireEvent.click(toggle);
    expect(pre.hidden).toBe(true);
    expect(toggle.textContent).toBe('Show query');
  });

  it('direct sources: "direct · 1 s ago", and no query button (there is no PromQL)', () => {
    store.getState().applyFrame(frame([node('gw-1')], { panels: [{ panel: 'connections', source: 'direct', freshnessMs: 1000, queries: [] }] }));
    renderWith(createElement(TimeSeriesChart, { spec: connections, node: null }), store);
    const fig = within(chart());
    expect(fig.getByText('direct · 1 s ago')).toBeTruthy();
    expect(fig.queryByRole('button', { name: /query/ })).toBeNull();
    expect(chart().querySelector('pre')).toBeNull();
  });

  it('says nothing when the frame has no source for the panel', () => {
    store.getState().applyFrame(frame([node('gw-1')], { panels: [] }));
    renderWith(createElement(TimeSeriesChart, { spec: connections, node: null }), store);
    expect(chart().querySelector('.chart-source')).toBeNull();
  });

  it('freshness in words', () => {
    expect([freshnessText(null), freshnessText(0), freshnessText(3400), freshnessText(89_000), freshnessText(5 * 60_000)]).toEqual(['no data yet', '0 s ago', '3 s ago', '89 s ago', '5 min ago']);
  });
});
