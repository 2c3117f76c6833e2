import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { UseQueryResult } from '@tanstack/react-query';
import type { SeriesMetric, SeriesWindow } from '../../../../shared/api';
import { useApi, useLive, useLiveStore } from '../live';
import type { LiveState } from '../live';

/** How often a live chart asks for a fresh window. */
export const SERIES_REFRESH_MS = 2000;

/**
 * Milliseconds until a chart's next refresh slot: every SERIES_REFRESH_MS of wall time, at
 * the chart's own phase. Charts get different phases (see TimeSeriesChart), so their fresh
 * windows arrive, and are drawn, one at a time instead of all four in the same moment
 * (drawing a chart is the heaviest work on screen). A slot less than a quarter period away
 * is skipped: the chart has just been fetched.
 */
export function untilRefreshSlot(phaseMs: number, now: number = Date.now()): number {
  const p = SERIES_REFRESH_MS;
  const wait = p - ((((now - phaseMs) % p) + p) % p);
  return wait < p / 4 ? wait + p : wait;
}

/**
 * Where a replay's chart window ends (the replay clock), and the query key part that
 * moves with it: while playing, one key per two seconds of wall time at any speed (a
 * seek lands in another one at once); while paused, the clock itself (every seek or
 * step refetches). The chart history loading in the background changes it too. Null
 * outside a replay.
 */
export function replayWindow(s: LiveState): { endMs: number; key: string } | null {
  const f = s.latest?.frame;
  const r = f?.session.replay;
  if (!f || f.session.mode !== 'replay' || !r) return null;
  const endMs = r.status.clockMs || f.ts;
  const moving = r.status.state === 'playing' ? `p${Math.floor(endMs / (SERIES_REFRESH_MS * r.status.speed))}` : `c${endMs}`;
  const loaded = r.status.preload ? (r.status.preload.done ? 'all' : 'part') : 'none';
  return { endMs, key: `${r.name}:${moving}:${loaded}` };
}

/**
 * A chart's series window, `width` buckets wide, for the fleet or some nodes. Live: the
 * window ends now and is refetched every two seconds, at `phaseMs` into each period of
 * wall time (see {@link untilRefreshSlot}). Paused: it ends where the pause
 * (or a clicked event) put it, and nothing is refetched. Replay: it ends at the replay
 * clock (the frame's time, not this page's), refetched as that clock moves.
 */
export function useSeries(metric: SeriesMetric, nodes: readonly string[] | null, width: number, phaseMs = 0): UseQueryResult<SeriesWindow> {
  const api = useApi();
  const store = useLiveStore();
  const paused = useLive((s) => s.paused);
  const endMs = useLive((s) => s.windowEndMs);
  const rangeMs = useLive((s) => s.rangeMs);
  const replayKey = useLive((s) => replayWindow(s)?.key ?? null);
  const req = Math.max(1, Math.min(4000, Math.round(width)));
  const following = !paused && replayKey === null;
  return useQuery({
    queryKey: ['series', metric, nodes ? nodes.join(',') : '*', rangeMs, paused ? endMs : (replayKey ?? 'live'), req],
    queryFn: async () => {
      const s = store.getState();
      const toMs = s.paused && s.windowEndMs !== null ? s.windowEndMs : (replayWindow(s)?.endMs ?? Date.now() + s.clockOffsetMs);
      const r = await api.getSeries({ metric, fromMs: toMs - rangeMs, toMs, width: req, ...(nodes ? { nodes: [...nodes] } : {}) });
      if (!r.ok) throw new Error(r.message);
      return r.value;
    },
    enabled: width > 0,
    // Re-evaluated after every fetch (and render), so the refreshes stay on the chart's slot.
    refetchInterval: following ? () => untilRefreshSlot(phaseMs) : false,
    staleTime: following ? 0 : Infinity,
    placeholderData: keepPreviousData,
    retry: false,
    // A paused window's data is not worth keeping long; a stale live window would only flash on resume.
    gcTime: 5000,
  });
}
