/**
 * The replay's playback engine as an explicit state machine (Lichtblick's Player does the
 * same): its states, the moves allowed between them, and what its status reports.
 */

import type { PlaybackState } from '../../../../shared/replay';

export type { PlaybackState, PlaybackStatus } from '../../../../shared/replay';
export { MAX_SPEED, MIN_SPEED } from '../../../../shared/replay';

/** The moves allowed from each state; any other is a programming error. */
export const TRANSITIONS: Record<PlaybackState, readonly PlaybackState[]> = {
  loading: ['paused', 'error'],
  paused: ['playing', 'ended', 'error'],
  playing: ['paused', 'ended', 'error'],
  ended: ['paused', 'playing', 'error'],
  error: [],
};

/** Playback advances in steps this often (ms of wall time). */
export const FRAME_MS = 50;
/** Most main-thread time one playback step may take; past it the clock waits for the feed (playback falls behind rather than freezing the UI). */
export const STEP_BUDGET_MS = 30;

