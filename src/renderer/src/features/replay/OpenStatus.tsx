import { useStore } from 'zustand';
import { Icon } from '../../ui';
import { openStore } from './openRecording';
import { formatBytes } from './replayFormat';

/** Where opening a recording stands: the upload's progress, the indexing, or why it failed. */
export function OpenStatus() {
  const open = useStore(openStore, (s) => s.open);
  if (open.phase === 'idle') return null;
  if (open.phase === 'error') {
    return (
      <div className="notice notice-bad" role="alert" data-testid="open-error">
        <Icon name="critical" size={18} />
        <div>
          <strong>Could not open {open.file ?? 'the recording'}.</strong> {open.message}
        </div>
        <button type="button" className="btn btn-ghost" onClick={() => openStore.getState().set({ phase: 'idle' })} aria-label="Dismiss">
          <Icon name="close" size={14} />
        </button>
      </div>
    );
  }
  const uploading = open.phase === 'uploading';
  const pct = uploading && open.total > 0 ? Math.min(100, Math.round((open.sent / open.total) * 100)) : null;
  return (
    <div className="notice" role="status" data-testid="open-progress">
      <Icon name={uploading ? 'upload' : 'history'} size={18} className={uploading ? undefined : 'spin-slow'} />
      <div className="notice-main">
        {uploading ? (
          <>
            <strong>Uploading {open.file}</strong> {formatBytes(open.sent)} of {formatBytes(open.total)}
            {pct !== null ? ` (${pct}%)` : ''}
          </>
        ) : (
          <>
            <strong>Opening {open.file}</strong> reading its index and markers…
          </>
        )}
        <span className={pct === null ? 'progress is-indeterminate' : 'progress'} role="progressbar" aria-label={uploading ? 'Upload' : 'Opening'} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct ?? undefined}>
          <span style={pct !== null ? { width: `${pct}%` } : undefined} />
        </span>
      </div>
    </div>
  );
}
