/**
 * Operation names and IPC channel names, with no dependencies at all: the sandboxed
 * preload imports this (a sandboxed preload can require only 'electron', and the zod
 * schemas in bridge.ts would drag the zod package along).
 */
export const OPERATION_NAMES = [
  'getSeries', 'getTimeline', 'getInventory',
  'previewAction', 'confirmAction', 'abortAction', 'previewRollout', 'startRollout', 'controlRollout', 'getActions', 'getAudit',
  'saveFlightRecording', 'startRecording', 'stopRecording', 'listRecordings',
  'openRecording', 'closeRecording', 'controlPlayback', 'getMarks', 'editBookmark',
  'setFocus',
] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];

/** IPC channel of an operation; `switchboard:frame` carries pushed frames. */
export const ipcChannel = (op: OperationName | 'frame' | 'frames:subscribe' | 'frames:unsubscribe'): string => `switchboard:${op}`;
