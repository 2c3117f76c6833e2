export { ChartsGrid } from './ChartsGrid';
export { ChartToolbar } from './ChartToolbar';
export { CHARTS_ID, DETAIL_CHARTS_ID, showCharts } from './showCharts';
export { CHARTS, PALETTE } from './chartSpecs';
export type { ChartSpec } from './chartSpecs';
export { spikeBands, spikeLabel, toChartRows } from './seriesRows';
export type { ChartRow, SpikeBand } from './seriesRows';
export { TimeSeriesChart } from './TimeSeriesChart';
export { replayWindow, SERIES_REFRESH_MS, useSeries } from './useSeries';
