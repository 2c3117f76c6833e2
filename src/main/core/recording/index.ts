/**
 * Recording: the recorder (taps a console core, flight recorder, named recordings to
 * MCAP files), the reader (opens a recording, rebuilds the index of a cut-off file,
 * decodes it back into the core's inputs) and the OpenMetrics export. The door other
 * parts of the console use; files behind it may move. Byte layout: FORMAT.md.
 */
export { Recorder, DEFAULT_FLIGHT_WINDOW_MS } from './recorder';
export type { FlightStatus, RecorderOptions, RecorderStatus } from './recorder';
export type { RecordingStatus } from './recordingSession';
export { RecordingFile } from './reader/recordingFile';
export type { ChunkRead } from './reader/recordingFile';
export type { ChannelInfo, ChunkInfo, OpenProgress, ProgressFn, SparseMessage } from './reader/layout';
export { RecordingDecoder } from './reader/recordingDecoder';
export type { NodeSnapshot, ReplayInput } from './reader/replayInput';
export { exportOpenMetrics } from './exportOpenMetrics';
export type { ExportOptions, ExportSummary } from './exportOpenMetrics';
export { snapshotNode, restoreNode } from './checkpoint';
export { ENCODING, FORMAT_VERSION, PROFILE } from './format';
export { CONSOLE_VERSION } from './consoleVersion';
export { RecordingClock } from './recordingClock';
