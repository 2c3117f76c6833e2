import { formatClock } from '../../lib/format';
import { Icon } from '../../ui';
import { CHART_RANGES, useLive, useLiveStore } from '../live';

const RANGE_LABEL: Record<number, string> = { [5 * 60_000]: '5 min', [15 * 60_000]: '15 min', [60 * 60_000]: '1 hour' };

/** Time range and Pause/Resume. Paused, it says so loudly and what it is holding back. Replaying, it says the charts follow the replay clock. */
export function ChartToolbar() {
  const store = useLiveStore();
  const rangeMs = useLive((s) => s.rangeMs);
  const paused = useLive((s) => s.paused);
  const endMs = useLive((s) => s.windowEndMs);
  const waiting = useLive((s) => s.framesSincePause > 0);
  // During a replay the charts follow the replay clock; playback has its own pause.
  const replay = useLive((s) => s.latest?.frame.session.mode === 'replay');
  return (
    <div className={paused ? 'chart-toolbar is-paused' : 'chart-toolbar'}>
      <div className="segmented" role="group" aria-label="Time range">
        {CHART_RANGES.map((r) => (
          <button key={r} type="button" aria-pressed={rangeMs === r} className={rangeMs === r ? 'seg is-on' : 'seg'} onClick={() => store.getState().setRange(r)}>
            {RANGE_LABEL[r]}
          </button>
        ))}
      </div>
      {paused ? (
        <>
          <span className="paused-note" role="status" data-testid="paused-note">
            <Icon name="pause" size={14} /> Paused{endMs !== null ? ` — showing up to ${formatClock(endMs)}` : ''}
            {waiting ? ' · new data keeps arriving in the background' : ''}
          </span>
          <button type="button" className="btn btn-primary" onClick={() => store.getState().resume()}>
            <Icon name="play" size={14} /> {replay ? 'Follow the replay clock' : 'Resume live'}
          </button>
        </>
      ) : replay ? (
        <span className="live-note replay-note" role="status">
          <Icon name="history" size={14} /> Charts follow the replay clock
        </span>
      ) : (
        <>
          <span className="live-note" role="status">
            <span className="live-dot" aria-hidden="true" /> Live
          </span>
          <button type="button" className="btn" onClick={() => store.getState().pause()}>
            <Icon name="pause" size={14} /> Pause
          </button>
        </>
      )}
    </div>
  );
}
