import { useStore } from 'zustand';
import { Icon } from '../../ui';
import { OpenStatus, useOpenRecording } from '../replay';
import { recordingUi } from './recordingUi';

/** The last save or stop: the file's name and size (with Open), or why it failed. */
export function RecordingNoticeLine() {
  const n = useStore(recordingUi, (s) => s.notice);
  const { openByName } = useOpenRecording();
  if (!n) return null;
  const dismiss = () => recordingUi.getState().setNotice(null);
  return (
    <div className={n.tone === 'bad' ? 'notice notice-bad' : 'notice notice-ok'} role={n.tone === 'bad' ? 'alert' : 'status'} data-testid="recording-notice">
      <Icon name={n.tone === 'bad' ? 'warning' : 'check'} size={18} />
      <div className="notice-main">{n.text}</div>
      {n.name ? (
        <button
          type="button"
          className="btn"
          onClick={() => {
            const name = n.name!;
            dismiss();
            void openByName(name);
          }}
        >
          <Icon name="history" size={14} /> Open it
        </button>
      ) : null}
      <button type="button" className="btn btn-ghost" onClick={dismiss} aria-label="Dismiss">
        <Icon name="close" size={14} />
      </button>
    </div>
  );
}

/**
 * The lines under the top bar: opening a recording (upload, indexing, or why it failed)
 * and the last save. While the recordings panel is open, it shows the opening itself.
 */
export function RecordingNotices() {
  const drawer = useStore(recordingUi, (s) => s.drawer);
  return (
    <>
      {drawer ? null : <OpenStatus />}
      <RecordingNoticeLine />
    </>
  );
}
