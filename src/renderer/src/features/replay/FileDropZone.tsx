import { useEffect, useState } from 'react';
import { Icon } from '../../ui';
import { useOpenRecording } from './openRecording';
import { useRecordingFiles } from './recordingFiles';

const hasFiles = (e: DragEvent): boolean => Array.from(e.dataTransfer?.types ?? []).includes('Files');

/**
 * Drag and drop of a recording anywhere on the window: while a file is dragged over, the
 * page says what dropping it does; a drop opens it (upload or path, as the file picker).
 * A drop never navigates away from the console.
 */
export function FileDropZone() {
  const files = useRecordingFiles();
  const { openFile } = useOpenRecording();
  const [over, setOver] = useState(false);

  useEffect(() => {
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      setOver(true);
    };
    const overFn = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = files.kind === 'none' ? 'none' : 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setOver(false);
      const f = e.dataTransfer?.files?.[0];
      if (f && files.kind !== 'none') void openFile(f);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', overFn);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', overFn);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [files, openFile]);

  if (!over) return null;
  return (
    <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
      <div className="drop-card">
        <Icon name="upload" size={40} />
        <p className="drop-title">{files.kind === 'none' ? 'This console cannot open dropped files' : 'Drop the recording to replay it'}</p>
        <p className="muted">{files.kind === 'upload' ? 'It is uploaded to the console’s recordings folder, then opened.' : files.kind === 'path' ? 'It is opened where it is.' : files.why}</p>
      </div>
    </div>
  );
}
