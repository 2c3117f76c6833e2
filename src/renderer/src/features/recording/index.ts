export { RecorderControls } from './RecorderControls';
export { RecordingNoticeLine, RecordingNotices } from './RecordingNoticeLine';
export { RecordingsDrawer } from './RecordingsDrawer';
export { baseName, recordingUi, useRecorder } from './recordingUi';
export type { RecorderView, RecordingNotice } from './recordingUi';
export { useRecordingActions } from './useRecordingActions';
