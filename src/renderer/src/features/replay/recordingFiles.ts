import { createContext, useContext } from 'react';
import type { Result } from '../../../../shared/api';

/** A file the console's recordings folder received. */
export interface UploadedRecording {
  name: string;
  bytes: number;
}

export type UploadProgress = (sent: number, total: number) => void;

/**
 * How this page hands a recording file to the console: the browser uploads it to serve
 * mode's recordings folder (then opens it by name); the desktop app knows the file's
 * path (from the preload) and opens it in place.
 */
export type RecordingFiles =
  | { kind: 'upload'; upload(file: Blob, name: string, onProgress: UploadProgress): Promise<Result<UploadedRecording>> }
  | { kind: 'path'; pathForFile(file: File): string }
  | { kind: 'none'; why: string };

export const NO_FILES: RecordingFiles = { kind: 'none', why: 'this console cannot receive files' };

const FilesContext = createContext<RecordingFiles>(NO_FILES);

export const RecordingFilesProvider = FilesContext.Provider;

export function useRecordingFiles(): RecordingFiles {
  return useContext(FilesContext);
}

/** What the desktop app's preload exposes as `window.switchboardFiles`. */
export interface PreloadFiles {
  pathForFile(file: File): string;
}

/** The way the page at hand opens files: by path in the desktop app, by upload in a browser tab of serve mode. */
export function recordingFilesFor(choice: { kind: 'electron' } | { kind: 'serve'; origin: string; token: string } | { kind: 'no-token' }, preload: PreloadFiles | undefined, upload: (origin: string, token: string) => RecordingFiles): RecordingFiles {
  if (choice.kind === 'electron') return preload ? { kind: 'path', pathForFile: (f) => preload.pathForFile(f) } : { kind: 'none', why: 'this app cannot read file paths (preload without switchboardFiles)' };
  if (choice.kind === 'serve') return upload(choice.origin, choice.token);
  return NO_FILES;
}
