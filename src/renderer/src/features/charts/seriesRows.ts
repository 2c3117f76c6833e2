import type { SeriesWindow, TimelineEvent } from '../../../../shared/api';

/** One x position of a chart: the bucket time and a value per line label. */
export type ChartRow = { t: number } & Record<string, number>;

/**
 * Turns a series window into chart rows, one per bucket time, taking each bucket's max
 * (spikes survive downsampling; a count's max is what capacity planning needs).
 * Lines of several nodes with the same label are summed.
 */
export function toChartRows(w: SeriesWindow): ChartRow[] {
  const byT = new Map<number, ChartRow>();
  for (const line of w.lines) {
    for (let i = 0; i < line.t.length; i++) {
      const t = line.t[i];
      let row = byT.get(t);
      if (!row) byT.set(t, (row = { t } as ChartRow));
      const v = line.max[i];
      if (Number.isFinite(v)) row[line.label] = (row[line.label] ?? 0) + v;
    }
  }
  return [...byT.values()].sort((a, b) => a.t - b.t);
}

export interface SpikeBand {
  id: number;
  x1: number;
  x2: number;
  label: string;
  open: boolean;
}

/** What caused a spike, in words: "after gw-2 node down", else where it happened. */
export function spikeLabel(e: TimelineEvent): string {
  if (e.cause) return `after ${e.cause.node} ${e.cause.kind.replace(/_/g, ' ')}`;
  return e.node ? `spike on ${e.node}` : 'reconnect spike';
}

/**
 * Bands for the reconnect chart, from `reconnect_spike` events overlapping the window:
 * from the event's start to its end (or now, while it lasts). For one node: its own
 * spikes. For the fleet: fleet-wide spikes, plus node spikes no fleet-wide band covers.
 */
export function spikeBands(events: readonly TimelineEvent[], fromMs: number, toMs: number, now: number, node: string | null): SpikeBand[] {
  const spikes = events.filter((e) => e.kind === 'reconnect_spike' && e.ts < toMs && (e.endTs ?? now) > fromMs);
  let chosen: TimelineEvent[];
  if (node !== null) chosen = spikes.filter((e) => e.node === node);
  else {
    const fleet = spikes.filter((e) => e.node === null);
    const covered = (e: TimelineEvent) => fleet.some((f) => f.ts <= (e.endTs ?? now) && (f.endTs ?? now) >= e.ts);
    chosen = [...fleet, ...spikes.filter((e) => e.node !== null && !covered(e))];
  }
  return chosen
    .map((e) => ({ id: e.id, x1: Math.max(e.ts, fromMs), x2: Math.min(e.endTs ?? now, toMs), label: spikeLabel(e), open: e.endTs === null }))
    .sort((a, b) => a.x1 - b.x1);
}
