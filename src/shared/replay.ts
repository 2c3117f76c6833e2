/**
 * Recording and replay shapes the UI receives as they are: playback status, scrubber
 * markers, bookmarks, and the recorder's status. No Node, DOM or electron imports.
 */

import { z } from 'zod';
import type { Severity } from './api';

/** The playback engine's states (an explicit machine: TRANSITIONS in the replay source). */
export type PlaybackState = 'loading' | 'paused' | 'playing' | 'ended' | 'error';

export const MIN_SPEED = 0.25;
export const MAX_SPEED = 64;

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

/** What a scrubber groups markers by. */
export type MarkerCategory = 'spike' | 'drain' | 'restart' | 'health' | 'signal' | 'action' | 'other';

/** A timeline event of the recording, placed on the scrubber (its final state: a spike with its end). */
export interface Marker {
  /** The event's id in the recorded console. */
  id: number;
  ts: number;
  /**
   * From when a replay shows the event on its timeline: when it was first recorded, never
   * before `ts`. Later than `ts` for signals dated from when a condition began (a lag
   * breach is raised seconds after the lag started): a jump to the event lands here.
   */
  shownAt: number;
  endTs: number | null;
  node: string | null;
  kind: string;
  severity: Severity;
  title: string;
  category: MarkerCategory;
}

/** A reviewer's note at a moment of a recording. */
export interface Bookmark {
  id: string;
  /** ms since the epoch, on the recording's clock. */
  ts: number;
  note: string;
  /** ISO time the bookmark was made. */
  createdAt: string;
}

/** Where a recording to a file stands. */
export interface RecordingStatus {
  file: string;
  /** `recording` while chunks go to the file; `stopped` after stopRecording; `capped` at the size cap; `failed` on a write error. */
  state: 'recording' | 'stopped' | 'capped' | 'failed';
  /** Why it stopped, when it was not asked to. */
  error: string | null;
  bytes: number;
  chunks: number;
  fromMs: number | null;
  toMs: number | null;
}

export interface FlightStatus {
  windowMs: number;
  chunks: number;
  /** Compressed bytes held in memory. */
  bytes: number;
  fromMs: number | null;
  toMs: number | null;
}

export interface RecorderStatus {
  flight: FlightStatus | null;
  recording: RecordingStatus | null;
  /** Inputs the recorder failed to record (the console went on regardless), and the last reason. */
  errors: number;
  lastError: string | null;
  /** ms of main-thread time spent in the recorder (taps, encoding, compression, writes). */
  busyMs: number;
}

// ---- the console API's recording and replay operations (validated at the boundary) ----

const MARKER_CATEGORIES = ['spike', 'drain', 'restart', 'health', 'signal', 'action', 'other'] as const;

/** One move of the replay's playback. */
export const playbackCommandSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('play') }).strict(),
  z.object({ op: z.literal('pause') }).strict(),
  z.object({ op: z.literal('step') }).strict(),
  z.object({ op: z.literal('speed'), speed: z.number().min(MIN_SPEED).max(MAX_SPEED) }).strict(),
  /** `exact` replays from the checkpoint before `ts` up to it; otherwise the nearest checkpoint at or before it. */
  z.object({ op: z.literal('seek'), ts: z.number().finite(), exact: z.boolean().optional() }).strict(),
  z.object({ op: z.enum(['next', 'previous']), category: z.enum(MARKER_CATEGORIES).optional() }).strict(),
]);
export type PlaybackCommand = z.infer<typeof playbackCommandSchema>;

const note = z.string().max(10_000);
export const bookmarkEditSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('add'), ts: z.number().finite(), note }).strict(),
  z.object({ op: z.literal('update'), id: z.string().min(1).max(64), note }).strict(),
  z.object({ op: z.literal('remove'), id: z.string().min(1).max(64) }).strict(),
]);
export type BookmarkEdit = z.infer<typeof bookmarkEditSchema>;

/** A file name in the console's recordings folder: no path, no leading dot. */
export const recordingNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,119}$/, 'letters, digits, _ . - only (at most 120), no path');

/** Open a recording: one in the recordings folder (serve mode, uploads), or a path (desktop app only: file picker, drag and drop). */
export const openRecordingSchema = z.union([
  z.object({ name: recordingNameSchema }).strict(),
  z.object({ path: z.string().min(1).max(4096) }).strict(),
]);
export type OpenRecordingRequest = z.infer<typeof openRecordingSchema>;

export const saveRecordingSchema = z.object({ name: recordingNameSchema.optional() }).strict();
export type SaveRecordingRequest = z.infer<typeof saveRecordingSchema>;

/** A recording file in the recordings folder. */
export interface RecordingFileInfo {
  name: string;
  bytes: number;
  modifiedAt: number;
}

/** A file the recorder wrote (a saved flight recording, or a stopped recording). */
export interface SavedRecording {
  name: string;
  bytes: number;
  fromMs: number | null;
  toMs: number | null;
}

/** The open recording, in every frame while one is open. */
export interface ReplayState {
  name: string;
  status: PlaybackStatus;
  /** Bumped when markers or bookmarks change: refetch getMarkers when it moves. */
  revision: number;
}

/** The scrubber's marks: the recording's events and the reviewers' bookmarks. */
export interface ReplayMarks {
  markers: Marker[];
  bookmarks: Bookmark[];
  /** Why bookmarks cannot be saved (a read-only folder), or null. */
  bookmarksError: string | null;
}
