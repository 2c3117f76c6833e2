import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import type { ConsoleApi } from '../../../../shared/api';
import type { StatusSource } from '../../bridge';
import { useNow } from '../../lib/clock';
import type { LiveState, LiveStore } from './liveStore';

interface LiveContextValue {
  store: LiveStore;
  api: ConsoleApi;
  link: StatusSource;
}

const Ctx = createContext<LiveContextValue | null>(null);

/** Gives every view the app's live store, its ConsoleApi and its link. */
export function LiveProvider({ store, api, link, children }: LiveContextValue & { children: ReactNode }) {
  return <Ctx.Provider value={{ store, api, link }}>{children}</Ctx.Provider>;
}

function useCtx(): LiveContextValue {
  const v = useContext(Ctx);
  if (!v) throw new Error('LiveProvider is missing above this component');
  return v;
}

/** Selects from the live state; re-renders only when the selected value changes (Object.is). */
export function useLive<T>(selector: (s: LiveState) => T): T {
  return useStore(useCtx().store, selector);
}

export function useLiveStore(): LiveStore {
  return useCtx().store;
}

export function useApi(): ConsoleApi {
  return useCtx().api;
}

export function useLink(): StatusSource {
  return useCtx().link;
}

/** The console's clock (frames carry its time), ticking once a second. */
export function useConsoleNow(): number {
  const now = useNow();
  const offset = useLive((s) => s.clockOffsetMs);
  return now + offset;
}

/**
 * "Now" for what the view shows: the console's clock while live, the frozen frame's time
 * while paused (so "3 s ago" does not grow into a false "stale" on a paused screen), and
 * the replay clock during a replay (the frame's time: a paused replay does not age).
 */
export function useViewNow(): number {
  const now = useConsoleNow();
  const frozen = useLive((s) => (s.paused || s.view?.frame.session.mode === 'replay' ? (s.view?.frame.ts ?? null) : null));
  return frozen ?? now;
}
