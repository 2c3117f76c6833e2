import { useStore } from 'zustand';
import { Icon } from '../../ui';
import { formatBytes, formatSpan, useSessionMode } from '../replay';
import { recordingUi, useRecorder } from './recordingUi';
import { useRecordingActions } from './useRecordingActions';

/**
 * The top bar's recording controls. Live: "Save last 30 min" (the flight recorder) and
 * Record/Stop with the running recording's size; a recording that stopped by itself
 * (size cap, disk full) says why. Always: the Recordings button (list, open a file).
 */
export function RecorderControls() {
  const mode = useSessionMode();
  const r = useRecorder();
  const { busy, saveFlight, start, stop } = useRecordingActions();
  const drawer = useStore(recordingUi, (s) => s.drawer);
  const live = mode === 'live' && r.available;
  return (
    <div className="recorder" role="group" aria-label="Recording">
      {live && r.flightWindowMs !== null ? (
        <button type="button" className="btn" onClick={() => void saveFlight()} disabled={busy === 'save'} title={`The flight recorder keeps the last ${formatSpan(r.flightWindowMs)} in memory (${formatBytes(r.flightBytes)} now); this saves them to a file`} data-testid="save-flight">
          <Icon name="save" size={14} /> {busy === 'save' ? 'Saving…' : `Save last ${formatSpan(r.flightWindowMs)}`}
        </button>
      ) : null}
      {live && r.recState === 'recording' ? (
        <>
          <span className="rec-on" role="status" data-testid="recording-status">
            <span className="rec-dot" aria-hidden="true" />
            <b>REC</b> <span className="rec-name">{r.recFile}</span> · {formatBytes(r.recBytes)}
          </span>
          <button type="button" className="btn" onClick={() => void stop()} disabled={busy === 'stop'} data-testid="stop-recording">
            <Icon name="stop" size={14} /> Stop
          </button>
        </>
      ) : live ? (
        <>
          {r.recState === 'capped' || r.recState === 'failed' ? (
            <span className="rec-failed" role="alert" title={r.recError ?? undefined} data-testid="recording-status">
              <Icon name="warning" size={14} /> Recording stopped{r.recState === 'capped' ? ' at its size cap' : ''}: {r.recError ?? 'write error'}
            </span>
          ) : null}
          <button type="button" className="btn" onClick={() => void start()} disabled={busy === 'start'} title="Record from now on to a new file in the recordings folder" data-testid="start-recording">
            <Icon name="record" size={14} className="icon-rec" /> Record
          </button>
        </>
      ) : null}
      <button type="button" className="btn" aria-expanded={drawer} aria-controls="recordings-drawer" onClick={() => recordingUi.getState().setDrawer(!drawer)} data-testid="recordings-button">
        <Icon name="folder" size={14} /> Recordings
      </button>
    </div>
  );
}
