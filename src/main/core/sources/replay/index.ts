/**
 * The replay source: a recording played into a console core through the same Ingest path
 * as live sources, with an explicit playback state machine, seeks, markers and bookmarks;
 * and the data API over it for the shell and serve mode. Files behind it may move.
 */
export { ReplaySource } from './replaySource';
export type { ReplayOptions } from './replaySource';
export { MAX_SPEED, MIN_SPEED, TRANSITIONS } from './playbackState';
export type { PlaybackState, PlaybackStatus } from './playbackState';
export type { SeekMode } from './planSeek';
export { ReplayConsole } from './replayConsole';
export { Bookmarks, bookmarksPath, bookmarksFileSchema } from './bookmarks';
export type { Bookmark } from './bookmarks';
export { buildMarkers, markerCategory } from './markers';
export type { Marker, MarkerCategory } from './markers';
