import type { LiveFrame } from '../../../../src/shared/api';
import type { Bookmark, Marker, PlaybackStatus, RecorderStatus, ReplayMarks } from '../../../../src/shared/replay';
import { frame, node } from '../../helpers/frames';

/** A recording of ten minutes from this time. */
export const START = Date.UTC(2024, 4, 1, 10, 0, 0);
export const END = START + 10 * 60_000;

export function status(o: Partial<PlaybackStatus> = {}): PlaybackStatus {
  return { state: 'paused', clockMs: START + 60_000, startMs: START, endMs: END, speed: 1, error: null, warnings: [], preload: { loadedUntilMs: END, done: true }, ...o };
}

/** A frame of a replay of `incident.mcap` at the status's clock. */
export function replayFrame(o: { status?: Partial<PlaybackStatus>; revision?: number; name?: string; seq?: number } = {}): LiveFrame {
  const st = status(o.status);
  return frame([node('gw-1', {}, st.clockMs), node('gw-2', {}, st.clockMs)], {
    ts: st.clockMs,
    ...(o.seq !== undefined ? { seq: o.seq } : {}),
    source: { kind: 'replay', name: `recording ${o.name ?? 'incident.mcap'}`, capabilities: { seek: true, speed: true, actions: false } },
    session: { mode: 'replay', commands: null, recorder: null, replay: { name: o.name ?? 'incident.mcap', status: st, revision: o.revision ?? 0 } },
  });
}

export function recorder(o: Partial<RecorderStatus> = {}): RecorderStatus {
  return { flight: { windowMs: 30 * 60_000, chunks: 100, bytes: 2_345_678, fromMs: START, toMs: START + 12 * 60_000 }, recording: null, errors: 0, lastError: null, busyMs: 0, ...o };
}

/** A live frame with the recorder's status. */
export function liveFrame(rec: RecorderStatus | null = recorder()): LiveFrame {
  return frame([node('gw-1'), node('gw-2')], { session: { mode: 'live', commands: null, recorder: rec, replay: null } });
}

export function marker(id: number, o: Partial<Marker> = {}): Marker {
  const ts = o.ts ?? START + id * 30_000;
  // Shown from its own time unless a test says otherwise (a signal raised after its ts).
  return { id, ts, shownAt: ts, endTs: null, node: 'gw-2', kind: 'node_down', severity: 'critical', title: `gw-2 down (${id})`, category: 'health', ...o };
}

export function bookmark(id: string, ts: number, note: string): Bookmark {
  return { id, ts, note, createdAt: '2024-05-01T12:00:00.000Z' };
}

export function marks(o: Partial<ReplayMarks> = {}): ReplayMarks {
  return {
    markers: [
      marker(1, { kind: 'reconnect_spike', category: 'spike', severity: 'warning', title: 'Reconnect spike on the fleet', node: null, endTs: START + 50_000 }),
      marker(2),
      marker(3, { kind: 'restarted', category: 'restart', severity: 'info', title: 'gw-2 restarted' }),
      marker(12, { kind: 'drain_started', category: 'drain', severity: 'info', title: 'gw-1 drain started', node: 'gw-1' }),
    ],
    bookmarks: [],
    bookmarksError: null,
    ...o,
  };
}
