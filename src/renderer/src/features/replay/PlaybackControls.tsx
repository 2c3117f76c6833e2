import { memo, useMemo, useState } from 'react';
import type { Marker, MarkerCategory, PlaybackCommand, PlaybackStatus } from '../../../../shared/replay';
import { MAX_SPEED, MIN_SPEED } from '../../../../shared/replay';
import { formatClock } from '../../lib/format';
import { Icon } from '../../ui';
import { useLiveStore } from '../live';
import { CATEGORY_LOOK, CATEGORY_ORDER } from './markerLook';
import { formatOffset } from './replayFormat';
import type { ReplayInfo } from './useReplay';
import { useReplayClock } from './useReplay';

/** The speeds offered, 0.25× to 64×. */
export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64].filter((s) => s >= MIN_SPEED && s <= MAX_SPEED);

const STATE_TEXT: Record<ReplayInfo['state'], string> = { loading: 'Loading…', paused: 'Paused', playing: 'Playing', ended: 'Ended', error: 'Cannot play' };

export interface PlaybackControlsProps {
  info: ReplayInfo;
  /** The recording's events (for jumping between events, of one kind or all). */
  markers: readonly Marker[];
  run(cmd: PlaybackCommand): Promise<PlaybackStatus | null>;
}

/** Play/pause, step, previous/next event (of a kind), speed, and where the clock is. */
export const PlaybackControls = memo(function PlaybackControls({ info, markers, run }: PlaybackControlsProps) {
  const [category, setCategory] = useState<MarkerCategory | 'all'>('all');
  const [note, setNote] = useState<string | null>(null);
  const playing = info.state === 'playing';
  const usable = info.state !== 'loading' && info.state !== 'error';
  const store = useLiveStore();
  const categories = useMemo(() => CATEGORY_ORDER.filter((c) => markers.some((m) => m.category === c)), [markers]);
  const jump = async (op: 'next' | 'previous') => {
    // The same rule as the replay source's: the next event after the clock, the previous one before the one at it.
    const clock = store.getState().latest?.frame.session.replay?.status.clockMs ?? info.startMs;
    const of = category === 'all' ? markers : markers.filter((m) => m.category === category);
    const exists = op === 'next' ? of.some((m) => m.shownAt > clock) : of.some((m) => m.shownAt < clock - 1500);
    if (!exists) {
      const kind = category === 'all' ? 'event' : CATEGORY_LOOK[category].one.toLowerCase();
      setNote(`No ${op === 'next' ? 'later' : 'earlier'} ${kind} in this recording.`);
      return;
    }
    setNote(null);
    await run(category === 'all' ? { op } : { op, category });
  };
  return (
    <div className="player-controls">
      <button type="button" className="btn btn-primary player-play" disabled={!usable} onClick={() => void run({ op: playing ? 'pause' : 'play' })} data-testid="play-pause">
        <Icon name={playing ? 'pause' : 'play'} size={14} /> {playing ? 'Pause' : info.state === 'ended' ? 'Play again' : 'Play'}
      </button>
      <button type="button" className="btn" disabled={!usable} onClick={() => void run({ op: 'step' })} title="One second forward, then paused">
        <Icon name="stepForward" size={14} /> Step 1 s
      </button>
      <div className="btn-group" role="group" aria-label="Jump between events">
        <button type="button" className="btn" disabled={!usable} onClick={() => void jump('previous')} aria-label={`Previous ${category === 'all' ? 'event' : CATEGORY_LOOK[category].one.toLowerCase()}`}>
          <Icon name="skipBack" size={14} /> Previous
        </button>
        <label className="field">
          <span className="sr-only">Events to jump between</span>
          <select value={category} onChange={(e) => setCategory(e.target.value as MarkerCategory | 'all')}>
            <option value="all">All events</option>
            {categories.map((c) => (
              <option key={c} value={c}>
                {CATEGORY_LOOK[c].glyph} {CATEGORY_LOOK[c].label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn" disabled={!usable} onClick={() => void jump('next')} aria-label={`Next ${category === 'all' ? 'event' : CATEGORY_LOOK[category].one.toLowerCase()}`}>
          Next <Icon name="skipForward" size={14} />
        </button>
      </div>
      <label className="field player-speed">
        <span>Speed</span>
        <select value={String(info.speed)} onChange={(e) => void run({ op: 'speed', speed: Number(e.target.value) })} disabled={info.state === 'error'}>
          {(SPEEDS.includes(info.speed) ? SPEEDS : [...SPEEDS, info.speed].sort((a, b) => a - b)).map((s) => (
            <option key={s} value={String(s)}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      <ClockReadout startMs={info.startMs} endMs={info.endMs} />
      <span className={`player-state state-${info.state}`} data-testid="playback-state">
        {info.state === 'playing' ? <span className="play-dot" aria-hidden="true" /> : null}
        {STATE_TEXT[info.state]}
        {info.state === 'playing' && info.speed !== 1 ? ` at ${info.speed}×` : ''}
      </span>
      {note ? (
        <span className="player-note" role="status">
          {note}
        </span>
      ) : null}
    </div>
  );
});

/** The replay clock, large, with how far into the recording it is. Re-renders alone on each tick. */
function ClockReadout({ startMs, endMs }: { startMs: number; endMs: number }) {
  const clock = useReplayClock() ?? startMs;
  return (
    <span className="player-clock" data-testid="replay-clock">
      <b>{formatClock(clock)}</b>
      <span className="muted">
        {formatOffset(clock - startMs)} / {formatOffset(endMs - startMs)}
      </span>
    </span>
  );
}
