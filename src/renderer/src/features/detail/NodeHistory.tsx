import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { TimelineEvent } from '../../../../shared/api';
import { DETAIL_CHARTS_ID, showCharts } from '../charts';
import { mergeEventList, useApi, useLive, useLiveStore } from '../live';
import { EventItem } from '../timeline';

/** A node's lifecycle and signals: its history from the core, plus what arrived live since. */
export function NodeHistory({ node }: { node: string }) {
  const api = useApi();
  const store = useLiveStore();
  const q = useQuery({
    queryKey: ['timeline', node],
    queryFn: async () => {
      const r = await api.getTimeline({ nodes: [node], limit: 500 });
      if (!r.ok) throw new Error(r.message);
      return r.value;
    },
    staleTime: 30_000,
  });
  const live = useLive((s) => s.shownEvents);
  const events = useMemo(() => {
    const mine = live.filter((e) => e.node === node);
    return mergeEventList(mergeEventList([], q.data ?? [], 500), mine, 500);
  }, [live, q.data, node]);
  const onFocus = (e: TimelineEvent) => {
    store.getState().focusAt(e.ts);
    showCharts(DETAIL_CHARTS_ID);
  };
  return (
    <section className="detail-section" aria-labelledby="node-history-title">
      <h3 id="node-history-title" className="section-title">
        History of {node}
      </h3>
      {q.isError ? <p className="tone-bad">Cannot load the older history: {q.error.message}</p> : null}
      {events.length === 0 ? (
        <p className="muted">{q.isPending ? 'Loading…' : 'Nothing has happened to this node yet.'}</p>
      ) : (
        <ol className="events" aria-label={`Events of ${node}, newest first`}>
          {events.map((e) => (
            <EventItem key={e.id} e={e} onFocus={onFocus} />
          ))}
        </ol>
      )}
    </section>
  );
}
