/**
 * The replay's playback engine as an explicit state machine (Lichtblick's Player does the
 * same): its states, the moves allowed between them, and what its status reports.
 */

/** The playback engine's states (an explicit machine: see TRANSITIONS). */
export type PlaybackState = 'loading' | 'paused' | 'playing' | 'ended' | 'error';

/** The moves allowed from each state; any other is a programming error. */
export const TRANSITIONS: Record<PlaybackState, readonly PlaybackState[]> = {
  loading: ['paused', 'error'],
  paused: ['playing', 'ended', 'error'],
  playing: ['paused', 'ended', 'error'],
  ended: ['paused', 'playing', 'error'],
  error: [],
};

export const MIN_SPEED = 0.25;
export const MAX_SPEED = 64;
/** Playback advances in steps this often (ms of wall time). */
export const FRAME_MS = 50;
/** Most main-thread time one playback step may take; past it the clock waits for the feed (playback falls behind rather than freezing the UI). */
export const STEP_BUDGET_MS = 30;

export interface PlaybackStatus {
  state: PlaybackState;
  /** The replay clock: ms since the epoch, on the recording's time. */
  clockMs: number;
  startMs: number;
  endMs: number;
  speed: number;
  /** Why loading failed (state `error`). */
  error: string | null;
  /** What is missing or was skipped (cut-off file, corrupted chunks, a bad bookmarks file). */
  warnings: string[];
  /** Chart history loaded so far (see HistoryLoader); null when not preloading. */
  preload: { loadedUntilMs: number | null; done: boolean } | null;
}
