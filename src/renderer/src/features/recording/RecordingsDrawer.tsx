import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useStore } from 'zustand';
import { formatClock } from '../../lib/format';
import { Icon } from '../../ui';
import { useApi, useLive } from '../live';
import { formatBytes, formatDate, formatSpan, OpenFileButton, OpenStatus, useOpenRecording, useRecordingFiles, useSessionMode } from '../replay';
import { recordingUi, useRecorder } from './recordingUi';
import { useRecordingActions } from './useRecordingActions';

/**
 * Recordings, in a panel over the right of the page: open a file (picker or drop), save
 * the flight recorder or record (live), and the recordings folder with an Open button
 * for each. Escape or Close puts focus back where it was.
 */
export function RecordingsDrawer() {
  const open = useStore(recordingUi, (s) => s.drawer);
  if (!open) return null;
  return <Drawer />;
}

function Drawer() {
  const panel = useRef<HTMLElement>(null);
  const close = () => recordingUi.getState().setDrawer(false);
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    panel.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) recordingUi.getState().setDrawer(false);
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      opener?.focus();
    };
  }, []);
  return (
    <aside className="detail recordings-drawer" id="recordings-drawer" role="dialog" aria-modal="false" aria-labelledby="recordings-title" ref={panel} tabIndex={-1} data-testid="recordings-drawer">
      <header className="detail-head">
        <h2 id="recordings-title" className="detail-title">
          Recordings
        </h2>
        <button type="button" className="btn btn-ghost" onClick={close} aria-label="Close recordings">
          <Icon name="close" /> <span className="btn-label">Close</span> <kbd>Esc</kbd>
        </button>
      </header>
      <div className="detail-body">
        <OpenSection />
        <RecordSection />
        <FolderSection />
      </div>
    </aside>
  );
}

function OpenSection() {
  const files = useRecordingFiles();
  return (
    <section className="rec-section" aria-labelledby="rec-open-title">
      <h3 id="rec-open-title" className="section-title">
        Open a recording
      </h3>
      <div className="rec-open-row">
        <OpenFileButton onOpened={() => recordingUi.getState().setDrawer(false)} />
        {files.kind !== 'none' ? <span className="muted">or drop a .mcap file anywhere on this window.</span> : null}
      </div>
      <OpenStatus />
      <p className="muted rec-hint">
        {files.kind === 'upload' ? 'The file is uploaded to the console’s recordings folder, then replayed. ' : files.kind === 'path' ? 'The file is replayed where it is. ' : ''}
        Every view shows the recording until you go back to live.
      </p>
    </section>
  );
}

function RecordSection() {
  const mode = useSessionMode();
  const r = useRecorder();
  const { busy, saveFlight, start, stop } = useRecordingActions();
  const [name, setName] = useState('');
  if (!r.available || mode !== 'live') {
    return mode === 'replay' && r.recState === 'recording' ? (
      <p className="muted">
        The live fleet is still being recorded to {r.recFile} ({formatBytes(r.recBytes)}): go back to live to stop it.
      </p>
    ) : null;
  }
  const held = r.flightFromMs !== null && r.flightToMs !== null ? r.flightToMs - r.flightFromMs : 0;
  return (
    <section className="rec-section" aria-labelledby="rec-record-title">
      <h3 id="rec-record-title" className="section-title">
        Record the live fleet
      </h3>
      {r.flightWindowMs !== null ? (
        <div className="rec-card">
          <p>
            <b>Flight recorder</b>: always on, keeps the last {formatSpan(r.flightWindowMs)} in memory. Holding {formatSpan(held)} now ({formatBytes(r.flightBytes)}).
          </p>
          <button type="button" className="btn btn-primary" onClick={() => void saveFlight()} disabled={busy === 'save'}>
            <Icon name="save" size={14} /> Save last {formatSpan(r.flightWindowMs)}
          </button>
        </div>
      ) : null}
      <div className="rec-card">
        {r.recState === 'recording' ? (
          <>
            <p>
              <span className="rec-dot" aria-hidden="true" /> <b>Recording</b> to {r.recFile}: {formatBytes(r.recBytes)}
              {r.recFromMs !== null ? ` since ${formatClock(r.recFromMs)}` : ''}.
            </p>
            <button type="button" className="btn" onClick={() => void stop()} disabled={busy === 'stop'}>
              <Icon name="stop" size={14} /> Stop recording
            </button>
          </>
        ) : (
          <>
            {r.recState === 'capped' || r.recState === 'failed' ? (
              <p className="rec-failed" role="alert">
                <Icon name="warning" size={14} /> The recording to {r.recFile} stopped{r.recState === 'capped' ? ' at its size cap' : ''}: {r.recError ?? 'write error'}. What was written ({formatBytes(r.recBytes)}) is readable.
              </p>
            ) : null}
            <form
              className="rec-start"
              onSubmit={(e) => {
                e.preventDefault();
                void start(name.trim() || undefined).then((ok) => ok && setName(''));
              }}
            >
              <label className="field">
                <span>Recording name</span>
                <input value={name} onChange={(e) => setName(e.target.value)} placeholder="session-<time> when empty" pattern="[A-Za-z0-9_][A-Za-z0-9_.\-]*" title="letters, digits, _ . - only" maxLength={115} />
              </label>
              <button type="submit" className="btn" disabled={busy === 'start'}>
                <Icon name="record" size={14} className="icon-rec" /> Start recording
              </button>
            </form>
          </>
        )}
      </div>
      {r.lastError ? <p className="muted">The recorder last failed to record an input: {r.lastError}</p> : null}
    </section>
  );
}

function FolderSection() {
  const api = useApi();
  const { openByName } = useOpenRecording();
  const current = useLive((s) => (s.latest?.frame.session.mode === 'replay' ? (s.latest.frame.session.replay?.name ?? null) : null));
  const list = useQuery({
    queryKey: ['recordings'],
    queryFn: async () => {
      const r = await api.listRecordings();
      if (!r.ok) throw new Error(r.message);
      return r.value;
    },
    retry: false,
    staleTime: 0,
  });
  const [opening, setOpening] = useState<string | null>(null);
  return (
    <section className="rec-section" aria-labelledby="rec-folder-title">
      <div className="rec-section-head">
        <h3 id="rec-folder-title" className="section-title">
          In the recordings folder {list.data ? <span className="muted">{list.data.length}</span> : null}
        </h3>
        <button type="button" className="btn btn-ghost" onClick={() => void list.refetch()}>
          Refresh
        </button>
      </div>
      {list.isError ? (
        <p className="tone-warn">The recordings folder cannot be listed: {list.error.message}</p>
      ) : !list.data ? (
        <p className="muted">Loading…</p>
      ) : list.data.length === 0 ? (
        <p className="muted">No recordings yet. Save the flight recorder or record, and they appear here.</p>
      ) : (
        <table className="rec-list" data-testid="recordings-list">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col">Saved</th>
              <th scope="col">
                <span className="sr-only">Open</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((f) => (
              <tr key={f.name} data-recording={f.name}>
                <th scope="row" className="rec-file">
                  {f.name}
                </th>
                <td className="num">{formatBytes(f.bytes)}</td>
                <td>
                  {formatDate(f.modifiedAt)} {formatClock(f.modifiedAt)}
                </td>
                <td>
                  {current === f.name ? (
                    <span className="muted">open now</span>
                  ) : (
                    <button
                      type="button"
                      className="btn"
                      disabled={opening !== null}
                      aria-label={`Open ${f.name}`}
                      onClick={() => {
                        setOpening(f.name);
                        void openByName(f.name).then((r) => {
                          setOpening(null);
                          if (r.ok) recordingUi.getState().setDrawer(false);
                        });
                      }}
                    >
                      <Icon name="history" size={14} /> {opening === f.name ? 'Opening…' : 'Open'}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
