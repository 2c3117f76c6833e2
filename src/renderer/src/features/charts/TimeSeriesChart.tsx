import { memo, useDeferredValue, useId, useMemo } from 'react';
import { useStore } from 'zustand';
import type { TimelineEvent } from '../../../../shared/api';
import { formatClockShort } from '../../lib/format';
import { useLive } from '../live';
import { themeStore } from '../theme';
import type { ChartSpec } from './chartSpecs';
import { CHARTS, PALETTE } from './chartSpecs';
import { ChartLegend } from './ChartLegend';
import { ChartPlot } from './ChartPlot';
import { PanelSourceCaption } from './PanelSourceCaption';
import { spikeBands, toChartRows } from './seriesRows';
import { useElementWidth } from './useElementWidth';
import { SERIES_REFRESH_MS, useSeries } from './useSeries';

export const CHART_HEIGHT = 168;
const EMPTY: readonly TimelineEvent[] = [];

/**
 * Where in each refresh period a chart asks for its fresh window: the four charts a
 * quarter period apart, a node's detail charts an eighth further (so they fall between
 * the overview's): one chart is redrawn at a time, never eight in one task.
 */
export function refreshPhaseMs(spec: ChartSpec, node: string | null): number {
  const slot = SERIES_REFRESH_MS / CHARTS.length;
  const i = Math.max(0, CHARTS.findIndex((c) => c.id === spec.id));
  return i * slot + (node === null ? 0 : slot / 2);
}

/** One chart of the fleet (node = null) or of one node, fed by getSeries at its own pixel width. */
export const TimeSeriesChart = memo(function TimeSeriesChart({ spec, node }: { spec: ChartSpec; node: string | null }) {
  const titleId = useId();
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const nodes = useMemo(() => (node ? [node] : null), [node]);
  const q = useSeries(spec.metric, nodes, width, refreshPhaseMs(spec, node));
  const colors = PALETTE[useStore(themeStore, (s) => s.theme)];
  const events = useLive((s) => (spec.spikes ? s.shownEvents : EMPTY));
  const focusTs = useLive((s) => s.focusTs);
  // A fresh window is drawn at transition priority: live frames (the table, the figures)
  // never wait behind it.
  const w = useDeferredValue(q.data);
  const rows = useMemo(() => (w ? toChartRows(w) : []), [w]);
  const bands = useMemo(() => (w && spec.spikes ? spikeBands(events, w.fromMs, w.toMs, w.toMs, node) : []), [w, spec.spikes, events, node]);
  // A console that started a minute ago has a minute of history: show that minute across
  // the chart instead of squeezed against the right edge of an empty window.
  const firstT = rows.length ? rows[0].t : null;
  const partial = w !== undefined && firstT !== null && firstT > w.fromMs + (w.toMs - w.fromMs) * 0.05;
  const fromMs = partial && firstT !== null ? firstT : (w?.fromMs ?? 0);

  return (
    <figure className="chart" aria-labelledby={titleId} data-chart={spec.id}>
      <figcaption className="chart-head">
        <h3 id={titleId} className="chart-title">
          {spec.title}
          {partial && firstT !== null ? <span className="chart-since">since {formatClockShort(firstT)}</span> : null}
        </h3>
        <ChartLegend spec={spec} rows={rows} colors={colors} />
        <PanelSourceCaption panel={spec.metric} />
      </figcaption>
      <div ref={ref} className="chart-body" style={{ height: CHART_HEIGHT }}>
        {width > 0 && w && rows.length > 0 ? (
          <ChartPlot spec={spec} rows={rows} fromMs={fromMs} toMs={w.toMs} bands={bands} focusTs={focusTs} colors={colors} width={width} height={CHART_HEIGHT} />
        ) : (
          <div className="chart-placeholder">{q.isError ? `Cannot load this chart: ${q.error.message}` : w ? 'No data in this window yet.' : 'Loading…'}</div>
        )}
      </div>
      {q.isError && w ? <p className="chart-error">Not refreshed: {q.error.message}</p> : null}
    </figure>
  );
});
