import { useCallback, useState } from 'react';
import type { Bookmark, Marker, ReplayMarks } from '../../../../shared/replay';
import { Icon } from '../../ui';
import { BookmarksPanel } from './BookmarksPanel';
import { PlaybackControls } from './PlaybackControls';
import { Scrubber } from './Scrubber';
import { useMarks, usePlayback, useRefreshMarks, useReplayInfo } from './useReplay';
import type { ReplayInfo } from './useReplay';
import { useSeeker } from './useSeeker';

const NO_MARKERS: readonly Marker[] = [];
const NO_BOOKMARKS: readonly Bookmark[] = [];

/** A marker is shown a second after it began, so it is on the timeline and its effect on screen. */
export const MARKER_LEAD_MS = 1000;

/** The replay's controls under the top bar: playback, the scrubber, bookmarks. Nothing outside a replay. */
export function PlayerBar() {
  const info = useReplayInfo();
  if (!info) return null;
  return <Player info={info} />;
}

function Player({ info }: { info: ReplayInfo }) {
  const marks = useMarks(info);
  const { run, error, clearError } = usePlayback();
  const { seek, pending } = useSeeker(run);
  const refresh = useRefreshMarks();
  const [panel, setPanel] = useState<'closed' | 'open' | 'add'>('closed');
  const closePanel = useCallback(() => setPanel('closed'), []);
  // A second after the event, and never before the timeline holds it (see Marker.shownAt).
  const seekMarker = useCallback((m: Marker) => seek(Math.min(info.endMs, Math.max(m.shownAt, m.ts + MARKER_LEAD_MS))), [seek, info.endMs]);
  const m: ReplayMarks | undefined = marks.data;
  const markers = m?.markers ?? NO_MARKERS;
  const bookmarks = m?.bookmarks ?? NO_BOOKMARKS;
  const warnings = info.warnings ? info.warnings.split('\n') : [];
  const loadingHistory = info.preloading && !info.preloadDone;

  return (
    <section className="player" aria-label="Replay controls" data-testid="player">
      <div className="player-row">
        <PlaybackControls info={info} markers={markers} run={run} />
        <div className="player-end">
          <button type="button" className="btn" onClick={() => setPanel('add')} disabled={info.state === 'error'}>
            <Icon name="bookmark" size={14} /> Add bookmark
          </button>
          <button type="button" className="btn" aria-expanded={panel !== 'closed'} onClick={() => setPanel(panel === 'closed' ? 'open' : 'closed')} data-testid="bookmarks-toggle">
            Bookmarks <span className="count-pill">{bookmarks.length}</span>
          </button>
        </div>
      </div>
      {info.state === 'error' ? (
        <p className="player-error" role="alert">
          <Icon name="critical" size={14} /> This recording cannot be played: {info.error ?? 'unknown error'}
        </p>
      ) : null}
      {error ? (
        <p className="player-error" role="alert">
          <Icon name="warning" size={14} /> {error}{' '}
          <button type="button" className="btn-link" onClick={clearError}>
            Dismiss
          </button>
        </p>
      ) : null}
      {marks.isError ? (
        <p className="player-error" role="alert">
          <Icon name="warning" size={14} /> Markers and bookmarks could not be read: {marks.error.message}
        </p>
      ) : null}
      <Scrubber startMs={info.startMs} endMs={info.endMs} markers={markers} bookmarks={bookmarks} loadedUntilMs={loadingHistory ? info.loadedUntilMs : null} loadedPct={loadingHistory ? preloadPct(info) : null} pending={pending} seek={seek} seekMarker={seekMarker} />
      {warnings.length ? (
        <details className="player-warnings">
          <summary>
            <Icon name="warning" size={14} /> {warnings.length === 1 ? warnings[0] : `${warnings.length} warnings about this recording (parts may be missing)`}
          </summary>
          {warnings.length > 1 ? (
            <ul>
              {warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          ) : null}
        </details>
      ) : null}
      {panel !== 'closed' ? <BookmarksPanel name={info.name} startMs={info.startMs} bookmarks={bookmarks} bookmarksError={m?.bookmarksError ?? null} seek={seek} changed={refresh} close={closePanel} focusNote={panel === 'add'} /> : null}
    </section>
  );
}

function preloadPct(info: ReplayInfo): number {
  if (info.loadedUntilMs === null || info.endMs <= info.startMs) return 0;
  return Math.max(0, Math.min(100, Math.round(((info.loadedUntilMs - info.startMs) / (info.endMs - info.startMs)) * 100)));
}
