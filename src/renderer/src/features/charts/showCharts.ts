/** Element ids of the chart sections: the overview's and the node detail's. */
export const CHARTS_ID = 'charts';
export const DETAIL_CHARTS_ID = 'detail-charts';

/**
 * Brings a chart section into view (after an event was clicked, the charts show its
 * moment; they must not be off screen). Smooth only when motion is welcome.
 */
export function showCharts(id: string = CHARTS_ID): void {
  const el = typeof document !== 'undefined' ? document.getElementById(id) : null;
  if (!el || typeof el.scrollIntoView !== 'function') return;
  const calm = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
  el.scrollIntoView({ block: 'nearest', behavior: calm ? 'auto' : 'smooth' });
}
