import { useCallback, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { UseQueryResult } from '@tanstack/react-query';
import { useShallow } from 'zustand/react/shallow';
import type { PlaybackCommand, PlaybackState, PlaybackStatus, ReplayMarks } from '../../../../shared/replay';
import { useApi, useLive } from '../live';

/** What the session shows: the live fleet, a recording, or nothing. */
export function useSessionMode(): 'live' | 'replay' | 'none' {
  return useLive((s) => s.latest?.frame.session.mode ?? 'none');
}

/** The open recording without its clock: re-renders on a state, speed or loading change, never on a tick. */
export interface ReplayInfo {
  name: string;
  revision: number;
  state: PlaybackState;
  startMs: number;
  endMs: number;
  speed: number;
  error: string | null;
  /** Warnings, one per line (a string so it compares by value). */
  warnings: string;
  /** Chart history loaded so far: null when not preloading. */
  loadedUntilMs: number | null;
  preloadDone: boolean;
  preloading: boolean;
}

export function useReplayInfo(): ReplayInfo | null {
  const info = useLive(
    useShallow((s) => {
      const r = s.latest?.frame.session.mode === 'replay' ? s.latest.frame.session.replay : null;
      if (!r) return { name: null };
      const st = r.status;
      return {
        name: r.name,
        revision: r.revision,
        state: st.state,
        startMs: st.startMs,
        endMs: st.endMs,
        speed: st.speed,
        error: st.error,
        warnings: st.warnings.join('\n'),
        loadedUntilMs: st.preload?.loadedUntilMs ?? null,
        preloadDone: st.preload?.done ?? true,
        preloading: st.preload !== null,
      };
    }),
  );
  return info.name === null ? null : (info as ReplayInfo);
}

/** The replay clock (ms), re-rendering only the component that shows it. */
export function useReplayClock(): number | null {
  return useLive((s) => (s.latest?.frame.session.mode === 'replay' ? (s.latest.frame.session.replay?.status.clockMs ?? null) : null));
}

/** The recording's markers and bookmarks, refetched when the session says they changed. */
export function useMarks(info: Pick<ReplayInfo, 'name' | 'revision'> | null): UseQueryResult<ReplayMarks> {
  const api = useApi();
  return useQuery({
    queryKey: ['replay-marks', info?.name ?? '', info?.revision ?? 0],
    queryFn: async () => {
      const r = await api.getMarks();
      if (!r.ok) throw new Error(r.message);
      return r.value;
    },
    enabled: info !== null,
    staleTime: Infinity,
    retry: false,
  });
}

/** Sends playback commands; the last failure stays readable until the next success. */
export function usePlayback(): { run(cmd: PlaybackCommand): Promise<PlaybackStatus | null>; error: string | null; clearError(): void } {
  const api = useApi();
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async (cmd: PlaybackCommand) => {
      const r = await api.controlPlayback(cmd);
      if (!r.ok) {
        setError(r.message);
        return null;
      }
      setError(null);
      return r.value;
    },
    [api],
  );
  return { run, error, clearError: useCallback(() => setError(null), []) };
}

/** Refetches the marks now (after an edit: the frame with the new revision follows). */
export function useRefreshMarks(): () => void {
  const qc = useQueryClient();
  return useCallback(() => void qc.invalidateQueries({ queryKey: ['replay-marks'] }), [qc]);
}
