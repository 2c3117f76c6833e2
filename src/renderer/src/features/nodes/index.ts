export { NodeTable, ROW_HEIGHT } from './NodeTable';
export { COLUMNS, filterNodes, isProblem, sortNodes } from './nodeColumns';
export type { ColumnKey, HealthFilter, NodeFilter, SortState } from './nodeColumns';
export { Sparkline } from './Sparkline';
