import type { ConsoleApi, LiveFrame } from '../../../../shared/api';
import type { StatusSource } from '../../bridge';
import { TIMELINE_CAP } from './eventList';
import type { LiveStore } from './liveStore';

/**
 * Whether a frame starts a new picture rather than continuing the previous one: the
 * session switched between live and a recording (or to another recording), or a replay
 * seek replaced the replaying core (its frames count from 1 again; its clock may go
 * back). Timeline ids are per core, so events of the old picture must not mix with it.
 */
export function startsOver(prev: LiveFrame | null, f: LiveFrame): boolean {
  if (!prev) return false;
  if (prev.session.mode !== f.session.mode) return true;
  if ((prev.session.replay?.name ?? null) !== (f.session.replay?.name ?? null)) return true;
  // A re-sent frame (only the session part changed) has the same seq; a new core's count restarts.
  if (f.seq < prev.seq) return true;
  return f.session.mode === 'replay' && f.ts < prev.ts;
}

/**
 * Wires the API to the live store: frames go into the store as they come; whenever the
 * link (re)opens, the timeline's history is fetched and merged, and when a frame says
 * events were left out, the gap is fetched. A frame that starts a new picture (see
 * {@link startsOver}) replaces the old one and its events, and the timeline of the new
 * source is fetched. Returns the function that undoes it all.
 */
export function connectLive(api: ConsoleApi, link: StatusSource, store: LiveStore): () => void {
  let stopped = false;
  let fetching = false;
  /** Bumped by every new picture: a history answer for an older one is dropped. */
  let epoch = 0;

  const fetchHistory = async (fromMs?: number, force = false) => {
    if (fetching && !force) return;
    fetching = true;
    const mine = epoch;
    try {
      const r = await api.getTimeline(fromMs === undefined ? { limit: TIMELINE_CAP } : { fromMs, limit: TIMELINE_CAP });
      if (!stopped && r.ok && mine === epoch) store.getState().mergeEvents(r.value);
    } finally {
      if (mine === epoch) fetching = false;
    }
  };

  const offFrame = api.onFrame((frame) => {
    const prev = store.getState().latest?.frame ?? null;
    if (startsOver(prev, frame)) {
      epoch++;
      fetching = false;
      store.getState().startOver(frame);
      void fetchHistory(undefined, true);
      return;
    }
    const before = prev?.ts;
    store.getState().applyFrame(frame);
    if (frame.droppedEvents > 0) void fetchHistory(before !== undefined ? before - 1000 : undefined);
  });
  const onStatus = () => {
    const s = link.status();
    store.getState().setLink(s);
    if (s.state === 'open') void fetchHistory();
  };
  const offStatus = link.onStatus(onStatus);
  onStatus();

  return () => {
    stopped = true;
    offFrame();
    offStatus();
  };
}
