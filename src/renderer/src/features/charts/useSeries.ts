import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { UseQueryResult } from '@tanstack/react-query';
import type { SeriesMetric, SeriesWindow } from '../../../../shared/api';
import { useApi, useLive, useLiveStore } from '../live';

/** How often a live chart asks for a fresh window. */
export const SERIES_REFRESH_MS = 2000;

/**
 * A chart's series window, `width` buckets wide, for the fleet or some nodes. Live: the
 * window ends now and is refetched every two seconds. Paused: it ends where the pause
 * (or a clicked event) put it, and nothing is refetched.
 */
export function useSeries(metric: SeriesMetric, nodes: readonly string[] | null, width: number): UseQueryResult<SeriesWindow> {
  const api = useApi();
  const store = useLiveStore();
  const paused = useLive((s) => s.paused);
  const endMs = useLive((s) => s.windowEndMs);
  const rangeMs = useLive((s) => s.rangeMs);
  const req = Math.max(1, Math.min(4000, Math.round(width)));
  return useQuery({
    queryKey: ['series', metric, nodes ? nodes.join(',') : '*', rangeMs, paused ? endMs : 'live', req],
    queryFn: async () => {
      const s = store.getState();
      const toMs = s.paused && s.windowEndMs !== null ? s.windowEndMs : Date.now() + s.clockOffsetMs;
      const r = await api.getSeries({ metric, fromMs: toMs - rangeMs, toMs, width: req, ...(nodes ? { nodes: [...nodes] } : {}) });
      if (!r.ok) throw new Error(r.message);
      return r.value;
    },
    enabled: width > 0,
    refetchInterval: paused ? false : SERIES_REFRESH_MS,
    staleTime: paused ? Infinity : 0,
    placeholderData: keepPreviousData,
    retry: false,
    // A paused window's data is not worth keeping long; a stale live window would only flash on resume.
    gcTime: 5000,
  });
}
