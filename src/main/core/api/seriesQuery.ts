import type { SeriesLine, SeriesRequest, SeriesWindow } from '../../../shared/api';
import { TRANSPORTS, VIEW } from '../ingest/viewSeries';
import { minMaxBuckets, sumAtSteps } from '../store';
import type { MinMaxBuckets, SeriesReader, SeriesStore } from '../store';

/** Which view series make up each chart metric, and how lines combine fleet-wide. */
const LINES: Record<SeriesRequest['metric'], { label: string; key: string; fleet: 'sum' | 'max' }[]> = {
  connections: TRANSPORTS.map((t) => ({ label: t, key: VIEW.connections(t), fleet: 'sum' as const })),
  delivered: [{ label: 'delivered', key: VIEW.delivered, fleet: 'sum' }],
  published: [{ label: 'published', key: VIEW.published, fleet: 'sum' }],
  reconnects: [{ label: 'reconnects', key: VIEW.reconnects, fleet: 'sum' }],
  dropped: [{ label: 'dropped', key: VIEW.dropped, fleet: 'sum' }],
  lag: [
    { label: 'p50', key: VIEW.lag('p50'), fleet: 'max' },
    { label: 'p99', key: VIEW.lag('p99'), fleet: 'max' },
  ],
  presence: [
    { label: 'online', key: VIEW.presence('online'), fleet: 'sum' },
    { label: 'away', key: VIEW.presence('away'), fleet: 'sum' },
  ],
};

/**
 * Answers a chart's request: per node (or fleet-wide) lines reduced to the chart's
 * pixel width as min/max buckets. Fleet-wide rates and counts are summed at regular
 * steps; lag is the worst node's (a p99 cannot be summed, and the worst is what matters).
 * When the core keeps the fleet's own series (`fleetTarget`), fleet lines read it directly instead of summing every node's series per request.
 */
export function querySeries(store: SeriesStore, req: SeriesRequest, nodeIds: readonly string[], fleetTarget?: string): SeriesWindow {
  const lines: SeriesLine[] = [];
  const { fromMs, toMs, width } = req;
  for (const spec of LINES[req.metric]) {
    if (req.nodes) {
      for (const node of req.nodes) {
        const s = store.get(node, spec.key);
        if (s) lines.push(toLine(node, spec.label, minMaxBuckets(s, fromMs, toMs, width)));
      }
      continue;
    }
    // The fleet's own series (kept once a second by the core) when there is one…
    const kept = fleetTarget ? store.get(fleetTarget, spec.key) : undefined;
    if (kept && kept.length > 0) {
      lines.push(toLine(null, spec.label, minMaxBuckets(kept, fromMs, toMs, width)));
      continue;
    }
    // …else computed from the nodes' series (a core that does not tick, e.g. in tests).
    const series = nodeIds.map((id) => store.get(id, spec.key)).filter((s): s is SeriesReader => s !== undefined);
    if (series.length === 0) continue;
    if (spec.fleet === 'sum') {
      const step = Math.max(store.resolutionMs, Math.ceil((toMs - fromMs) / (width * 2)));
      lines.push(toLine(null, spec.label, minMaxBuckets(sumAtSteps(series, fromMs, toMs, step), fromMs, toMs, width)));
    } else {
      lines.push(toLine(null, spec.label, maxOf(series.map((s) => minMaxBuckets(s, fromMs, toMs, width)), fromMs, toMs, width)));
    }
  }
  return { metric: req.metric, fromMs, toMs, lines };
}

/** Per pixel column, the largest min and max over several lines' buckets. */
function maxOf(parts: MinMaxBuckets[], fromMs: number, toMs: number, width: number): MinMaxBuckets {
  const span = (toMs - fromMs) / width;
  const min = new Float64Array(width).fill(NaN);
  const max = new Float64Array(width).fill(NaN);
  for (const p of parts) {
    for (let i = 0; i < p.t.length; i++) {
      const k = Math.min(width - 1, Math.round((p.t[i] - fromMs) / span));
      if (!(min[k] >= p.min[i])) min[k] = p.min[i];
      if (!(max[k] >= p.max[i])) max[k] = p.max[i];
    }
  }
  const t: number[] = [];
  const mn: number[] = [];
  const mx: number[] = [];
  for (let k = 0; k < width; k++) {
    if (Number.isNaN(max[k])) continue;
    t.push(fromMs + k * span);
    mn.push(min[k]);
    mx.push(max[k]);
  }
  return { t: Float64Array.from(t), min: Float64Array.from(mn), max: Float64Array.from(mx) };
}

function toLine(node: string | null, label: string, b: MinMaxBuckets): SeriesLine {
  return { node, label, t: Array.from(b.t), min: Array.from(b.min), max: Array.from(b.max) };
}
