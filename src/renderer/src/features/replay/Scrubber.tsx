import { memo, useCallback, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, PointerEvent, RefObject } from 'react';
import type { Bookmark, Marker } from '../../../../shared/replay';
import { formatClock } from '../../lib/format';
import { SEVERITY_LOOK } from '../../ui';
import { CATEGORY_LOOK, groupMarkers, SHAPE_PATH } from './markerLook';
import { clockText, formatOffset } from './replayFormat';
import { useReplayClock } from './useReplay';

export interface ScrubberProps {
  startMs: number;
  endMs: number;
  markers: readonly Marker[];
  bookmarks: readonly Bookmark[];
  /** Chart history loaded up to here (shaded); null when all is loaded or nothing preloads. */
  loadedUntilMs: number | null;
  /** How much of the chart history is loaded (%), while it loads; null otherwise. */
  loadedPct: number | null;
  /** Where a seek under way will land: shown instead of the clock until the clock gets there. */
  pending: number | null;
  /** Seeks to a time (exact). */
  seek(ts: number): void;
  /** Seeks to a marker's moment. */
  seekMarker(m: Marker): void;
}

/** Keyboard steps of the scrubber (ms). */
export const SCRUB_KEYS = { small: 1000, shift: 10_000, page: 60_000 } as const;

const pct = (ts: number, start: number, end: number): number => (end > start ? Math.min(100, Math.max(0, ((ts - start) / (end - start)) * 100)) : 0);

/**
 * The recording's span as a timeline: marker lanes by category (each with its shape and
 * name), bookmarks, the loaded range, and the replay clock as a playhead. Click or drag
 * anywhere to seek; the track is a slider (arrows ±1 s, Shift ±10 s, Page ±1 min,
 * Home/End). Only the playhead and the track follow the clock; the lanes are drawn once.
 */
export const Scrubber = memo(function Scrubber({ startMs, endMs, markers, bookmarks, loadedUntilMs, loadedPct, pending, seek, seekMarker }: ScrubberProps) {
  const areaRef = useRef<HTMLDivElement>(null);
  const trackRef = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);
  const [hover, setHover] = useState<number | null>(null);
  const lanes = useMemo(() => groupMarkers(markers), [markers]);

  const tsAt = useCallback(
    (clientX: number): number => {
      const r = areaRef.current!.getBoundingClientRect();
      const f = r.width > 0 ? Math.min(1, Math.max(0, (clientX - r.left) / r.width)) : 0;
      return Math.round(startMs + f * (endMs - startMs));
    },
    [startMs, endMs],
  );

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || (e.target as HTMLElement).closest('button')) return;
    e.preventDefault();
    dragging.current = true;
    e.currentTarget.setPointerCapture?.(e.pointerId);
    trackRef.current?.focus();
    seek(tsAt(e.clientX));
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const ts = tsAt(e.clientX);
    if (dragging.current) seek(ts);
    setHover(ts);
  };
  const endDrag = (e: PointerEvent<HTMLDivElement>) => {
    dragging.current = false;
    e.currentTarget.releasePointerCapture?.(e.pointerId);
  };

  return (
    <div className="scrubber" data-testid="scrubber">
      <div className="scrub-labels" aria-hidden="true">
        {lanes.map((l) => (
          <span key={l.category} className={`lane-label mk-${l.category}`}>
            <svg width="11" height="11" viewBox="0 0 12 12">
              <path d={SHAPE_PATH[CATEGORY_LOOK[l.category].shape]} />
            </svg>
            {CATEGORY_LOOK[l.category].label} <span className="lane-count">{l.markers.length}</span>
          </span>
        ))}
        <span className="lane-label lane-time">{lanes.length ? 'Time' : 'No events recorded'}</span>
      </div>
      <div className="scrub-area" ref={areaRef} onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={endDrag} onPointerCancel={endDrag} onPointerLeave={() => setHover(null)}>
        <MarkerLanes lanes={lanes} startMs={startMs} endMs={endMs} seekMarker={seekMarker} />
        <ScrubTrack trackRef={trackRef} startMs={startMs} endMs={endMs} loadedUntilMs={loadedUntilMs} pending={pending} bookmarks={bookmarks} seek={seek} />
        <Axis startMs={startMs} endMs={endMs} loadedPct={loadedPct} />
        <Playhead startMs={startMs} endMs={endMs} pending={pending} />
        {hover !== null ? (
          <div className="scrub-hover" style={{ left: `${pct(hover, startMs, endMs)}%` }} aria-hidden="true">
            <span className={pct(hover, startMs, endMs) > 85 ? 'scrub-hover-time is-left' : 'scrub-hover-time'}>{formatClock(hover)}</span>
          </div>
        ) : null}
      </div>
    </div>
  );
});

/** Markers closer than this on screen are shown together in one tooltip. */
const CLUSTER_PX = 8;

/** One lane per category present; a marker is its shape at its time, with its span when it has one. */
const MarkerLanes = memo(function MarkerLanes({ lanes, startMs, endMs, seekMarker }: { lanes: { category: Marker['category']; markers: Marker[] }[]; startMs: number; endMs: number; seekMarker(m: Marker): void }) {
  const [tip, setTip] = useState<{ at: Marker; near: Marker[] } | null>(null);
  const show = (m: Marker, lane: readonly Marker[], el: HTMLElement) => {
    const width = el.closest('.lane')?.getBoundingClientRect().width ?? 0;
    const near = width > 0 ? (CLUSTER_PX * (endMs - startMs)) / width : 0;
    setTip({ at: m, near: lane.filter((x) => Math.abs(x.ts - m.ts) <= near) });
  };
  const hide = (m: Marker) => setTip((t) => (t?.at === m ? null : t));
  return (
    <div className="lanes">
      {lanes.map((l) => (
        <div key={l.category} className={`lane mk-${l.category}`} role="group" aria-label={`${CATEGORY_LOOK[l.category].label}: ${l.markers.length} event${l.markers.length === 1 ? '' : 's'}`} data-category={l.category}>
          {l.markers.map((m) => {
            const left = pct(m.ts, startMs, endMs);
            const label = `${CATEGORY_LOOK[m.category].one} (${SEVERITY_LOOK[m.severity].label.toLowerCase()}): ${m.title} at ${formatClock(m.ts)}${m.node ? ` (${m.node})` : ''}`;
            return (
              <span key={m.id}>
                {m.endTs !== null && m.endTs > m.ts ? <span className={`mk-span sev-${m.severity}`} style={{ left: `${left}%`, width: `${Math.max(0.3, pct(m.endTs, startMs, endMs) - left)}%` }} aria-hidden="true" /> : null}
                <button
                  type="button"
                  tabIndex={-1}
                  className={`mk sev-${m.severity}`}
                  style={{ left: `${left}%` }}
                  aria-label={label}
                  data-marker-id={m.id}
                  data-kind={m.kind}
                  onClick={() => seekMarker(m)}
                  onPointerEnter={(e) => show(m, l.markers, e.currentTarget)}
                  onPointerLeave={() => hide(m)}
                  onFocus={(e) => show(m, l.markers, e.currentTarget)}
                  onBlur={() => hide(m)}
                >
                  <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">
                    <path d={SHAPE_PATH[CATEGORY_LOOK[m.category].shape]} />
                  </svg>
                </button>
              </span>
            );
          })}
        </div>
      ))}
      {tip ? <MarkerTip at={tip.at} near={tip.near} startMs={startMs} endMs={endMs} /> : null}
    </div>
  );
});

/** What a marker is, in words; markers drawn on top of each other are listed together. */
function MarkerTip({ at, near, startMs, endMs }: { at: Marker; near: readonly Marker[]; startMs: number; endMs: number }) {
  const shown = near.length > 1 ? near : [at];
  const MAX = 6;
  return (
    <div className={pct(at.ts, startMs, endMs) > 70 ? 'mk-tip is-left' : 'mk-tip'} style={{ left: `${pct(at.ts, startMs, endMs)}%` }} role="tooltip" data-testid="marker-tooltip">
      {shown.length > 1 ? <span className="mk-tip-count">{shown.length} events here</span> : null}
      {shown.slice(0, MAX).map((m) => (
        <span key={m.id} className="mk-tip-item">
          <strong>{m.title}</strong>
          <span>
            {SEVERITY_LOOK[m.severity].label} · {CATEGORY_LOOK[m.category].one} · {formatClock(m.ts)}
            {m.endTs !== null ? `–${formatClock(m.endTs)}` : ''}
            {m.node ? ` · ${m.node}` : ''}
          </span>
        </span>
      ))}
      {shown.length > MAX ? <span className="muted">and {shown.length - MAX} more</span> : null}
    </div>
  );
}

/** The slider: the span, what is loaded, what has played, the bookmarks. Follows the clock. */
function ScrubTrack({ trackRef, startMs, endMs, loadedUntilMs, pending, bookmarks, seek }: { trackRef: RefObject<HTMLDivElement | null>; startMs: number; endMs: number; loadedUntilMs: number | null; pending: number | null; bookmarks: readonly Bookmark[]; seek(ts: number): void }) {
  const clock = useReplayClock();
  const at = pending ?? clock ?? startMs;
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const small = e.shiftKey ? SCRUB_KEYS.shift : SCRUB_KEYS.small;
    let to: number | null = null;
    if (e.key === 'ArrowRight' || e.key === 'ArrowUp') to = at + small;
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowDown') to = at - small;
    else if (e.key === 'PageUp') to = at + SCRUB_KEYS.page;
    else if (e.key === 'PageDown') to = at - SCRUB_KEYS.page;
    else if (e.key === 'Home') to = startMs;
    else if (e.key === 'End') to = endMs;
    if (to === null) return;
    e.preventDefault();
    seek(Math.min(endMs, Math.max(startMs, to)));
  };
  return (
    <div
      ref={trackRef}
      className="scrub-track"
      role="slider"
      tabIndex={0}
      aria-label="Replay position"
      aria-valuemin={startMs}
      aria-valuemax={endMs}
      aria-valuenow={Math.round(at)}
      aria-valuetext={clockText(at, startMs)}
      aria-keyshortcuts="ArrowLeft ArrowRight Shift+ArrowLeft Shift+ArrowRight PageUp PageDown Home End"
      aria-busy={pending !== null}
      onKeyDown={onKeyDown}
      data-testid="scrub-track"
    >
      {loadedUntilMs !== null ? <span className="scrub-loaded" style={{ width: `${pct(loadedUntilMs, startMs, endMs)}%` }} title="Chart history loaded so far" /> : null}
      <span className="scrub-played" style={{ width: `${pct(at, startMs, endMs)}%` }} />
      <BookmarkFlags bookmarks={bookmarks} startMs={startMs} endMs={endMs} seek={seek} />
    </div>
  );
}

const BookmarkFlags = memo(function BookmarkFlags({ bookmarks, startMs, endMs, seek }: { bookmarks: readonly Bookmark[]; startMs: number; endMs: number; seek(ts: number): void }) {
  return (
    <>
      {bookmarks.map((b) => (
        <button key={b.id} type="button" tabIndex={-1} className="bm-flag" style={{ left: `${pct(b.ts, startMs, endMs)}%` }} title={`Bookmark at ${formatClock(b.ts)}: ${b.note || '(no note)'}`} aria-label={`Bookmark at ${formatClock(b.ts)}: ${b.note || 'no note'}`} data-bookmark-id={b.id} onClick={() => seek(b.ts)}>
          <svg width="10" height="14" viewBox="0 0 10 14" aria-hidden="true">
            <path d="M1 1h8v12L5 9.5 1 13Z" />
          </svg>
        </button>
      ))}
    </>
  );
});

/** The clock as a line across the lanes and the track. */
function Playhead({ startMs, endMs, pending }: { startMs: number; endMs: number; pending: number | null }) {
  const clock = useReplayClock();
  const at = pending ?? clock;
  if (at === null) return null;
  return <div className={pending !== null ? 'scrub-head is-seeking' : 'scrub-head'} style={{ left: `${pct(at, startMs, endMs)}%` }} aria-hidden="true" data-testid="playhead" />;
}

/** Round times along the span, and the span's length (or, while it loads, how much chart history is loaded). */
const Axis = memo(function Axis({ startMs, endMs, loadedPct }: { startMs: number; endMs: number; loadedPct: number | null }) {
  const ticks = useMemo(() => axisTicks(startMs, endMs), [startMs, endMs]);
  return (
    <div className="scrub-axis">
      {ticks.map((t) => (
        <span key={t} className="tick" style={{ left: `${pct(t, startMs, endMs)}%` }} aria-hidden="true">
          {formatClock(t)}
        </span>
      ))}
      {loadedPct !== null ? (
        <span className="axis-end is-loading" role="status" data-testid="preload-progress">
          <span className="progress" aria-hidden="true">
            <span style={{ width: `${loadedPct}%` }} />
          </span>
          chart history {loadedPct}%
        </span>
      ) : (
        <span className="axis-end" aria-hidden="true">
          {formatOffset(endMs - startMs)} recorded
        </span>
      )}
    </div>
  );
});

/** Three to eight ticks at round wall-clock times inside the span. */
export function axisTicks(startMs: number, endMs: number): number[] {
  const span = endMs - startMs;
  if (span <= 0) return [];
  const steps = [1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000];
  const step = steps.find((s) => span / s <= 7) ?? 43_200_000;
  const out: number[] = [];
  for (let t = Math.ceil(startMs / step) * step; t <= endMs; t += step) {
    // Keep clear of the right end, where the span's length (or the loading) is written.
    if (pct(t, startMs, endMs) <= 84) out.push(t);
  }
  return out;
}
