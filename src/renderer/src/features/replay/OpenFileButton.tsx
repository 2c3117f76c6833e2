import { useRef } from 'react';
import { Icon } from '../../ui';
import { useOpenRecording } from './openRecording';
import { useRecordingFiles } from './recordingFiles';

/** "Choose a .mcap file…": the browser's file picker; the file is uploaded (serve mode) or opened by path (desktop app). */
export function OpenFileButton({ onOpened }: { onOpened?: () => void }) {
  const files = useRecordingFiles();
  const { openFile } = useOpenRecording();
  const input = useRef<HTMLInputElement>(null);
  if (files.kind === 'none') return <p className="muted">Opening files is not possible here: {files.why}.</p>;
  return (
    <label className="btn btn-primary file-button">
      <input
        ref={input}
        type="file"
        accept=".mcap"
        className="sr-only"
        data-testid="open-file-input"
        onChange={(e) => {
          const f = e.target.files?.[0];
          // The same file may be picked again after a failure.
          e.target.value = '';
          if (f) void openFile(f).then((r) => r.ok && onOpened?.());
        }}
      />
      <Icon name="folder" size={14} /> Choose a .mcap file…
    </label>
  );
}
