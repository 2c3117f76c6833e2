import type { ConsoleApi } from '../../../../shared/api';
import type { StatusSource } from '../../bridge';
import { TIMELINE_CAP } from './eventList';
import type { LiveStore } from './liveStore';

/**
 * Wires the API to the live store: frames go into the store as they come; whenever the
 * link (re)opens, the timeline's history is fetched and merged, and when a frame says
 * events were left out, the gap is fetched. Returns the function that undoes it all.
 */
export function connectLive(api: ConsoleApi, link: StatusSource, store: LiveStore): () => void {
  let stopped = false;
  let fetching = false;

  const fetchHistory = async (fromMs?: number) => {
    if (fetching) return;
    fetching = true;
    try {
      const r = await api.getTimeline(fromMs === undefined ? { limit: TIMELINE_CAP } : { fromMs, limit: TIMELINE_CAP });
      if (!stopped && r.ok) store.getState().mergeEvents(r.value);
    } finally {
      fetching = false;
    }
  };

  const offFrame = api.onFrame((frame) => {
    const before = store.getState().latest?.frame.ts;
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
