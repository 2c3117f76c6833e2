import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';

/**
 * One shared clock for everything that shows "N s ago" or counts down: a single
 * interval for the whole app instead of one per cell, and only the small components
 * that show relative times subscribe to it.
 */
export const clockStore = createStore<{ now: number }>(() => ({ now: Date.now() }));

let timer: ReturnType<typeof setInterval> | undefined;
let users = 0;

/** Starts the 1 Hz tick (reference-counted); returns the stop function. */
export function startClock(): () => void {
  users++;
  clockStore.setState({ now: Date.now() });
  if (!timer) timer = setInterval(() => clockStore.setState({ now: Date.now() }), 1000);
  return () => {
    users--;
    if (users === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The current time, re-rendering once a second. */
export function useNow(): number {
  return useStore(clockStore, (s) => s.now);
}
