import { useEffect, useState } from 'react';
import { Icon } from '../../ui';
import { useApi } from '../live';
import { formatRecordedSpan } from './replayFormat';
import { useReplayInfo } from './useReplay';

/**
 * The top bar's REPLAY state: a word, an icon and a striped band (not colour alone) that
 * say this is a recording, which one and when it was made, and the way back to live.
 */
export function ReplayBanner() {
  const info = useReplayInfo();
  const api = useApi();
  const [error, setError] = useState<string | null>(null);
  const [closing, setClosing] = useState(false);
  const name = info?.name ?? null;
  // The window's title says it too (task bars, tab strips, screenshots of the whole screen).
  useEffect(() => {
    if (name === null || typeof document === 'undefined') return;
    const before = document.title;
    document.title = `REPLAY · ${name} — Switchboard`;
    return () => {
      document.title = before;
    };
  }, [name]);
  if (!info) return null;
  const back = async () => {
    setClosing(true);
    const r = await api.closeRecording();
    setClosing(false);
    setError(r.ok ? null : r.message);
  };
  return (
    <div className="replay-banner" role="region" aria-label="Replay of a recording" data-testid="replay-banner">
      <span className="replay-badge">
        <Icon name="history" size={16} /> REPLAY
      </span>
      <span className="replay-what" title={info.name}>
        <b className="replay-name">{info.name}</b>
        <span className="replay-sep" aria-hidden="true">
          {' '}
          ·{' '}
        </span>
        <span>recorded {info.endMs > 0 ? formatRecordedSpan(info.startMs, info.endMs) : '(loading)'}</span>
        <span className="sr-only">. Not live: nothing here is happening now.</span>
      </span>
      {error ? (
        <span className="replay-error" role="alert">
          {error}
        </span>
      ) : null}
      <button type="button" className="btn btn-back" onClick={() => void back()} disabled={closing} data-testid="back-to-live">
        <Icon name="live" size={16} /> Back to live
      </button>
    </div>
  );
}
