import { useCallback, useMemo, useState } from 'react';
import type { Severity, TimelineEvent } from '../../../../shared/api';
import { showCharts } from '../charts';
import { useLive, useLiveStore } from '../live';
import { EventItem } from './EventItem';
import { filterEvents } from './filterEvents';
import type { EventFilter } from './filterEvents';

const PAGE = 150;

/** Every event, newest first, filterable by node and severity; a click focuses the charts there. */
export function TimelinePanel() {
  const events = useLive((s) => s.shownEvents);
  // A string, so the node list (and the select) re-render only when the fleet's members change.
  const nodeKey = useLive((s) => (s.view ? s.view.nodes.map((n) => n.id).join('\n') : ''));
  const paused = useLive((s) => s.paused);
  const held = useLive((s) => s.paused && s.events[0] !== s.shownEvents[0]);
  const store = useLiveStore();
  const [filter, setFilter] = useState<EventFilter>({ node: 'all', minSeverity: 'info' });
  const [limit, setLimit] = useState(PAGE);
  const shown = useMemo(() => filterEvents(events, filter), [events, filter]);
  const nodeIds = useMemo(() => (nodeKey ? nodeKey.split('\n') : []), [nodeKey]);
  const onFocus = useCallback(
    (e: TimelineEvent) => {
      store.getState().focusAt(e.ts);
      showCharts();
    },
    [store],
  );
  const set = (f: Partial<EventFilter>) => {
    setFilter({ ...filter, ...f });
    setLimit(PAGE);
  };

  return (
    <section className="panel timeline-panel" aria-labelledby="timeline-title">
      <div className="panel-head">
        <h2 id="timeline-title" className="panel-title">
          Timeline
        </h2>
        <span className="muted">{shown.length === events.length ? `${events.length}` : `${shown.length} of ${events.length}`}</span>
        <div className="panel-tools">
          <label className="field">
            <span className="sr-only">Show events of</span>
            <select value={filter.node} onChange={(e) => set({ node: e.target.value })}>
              <option value="all">All nodes</option>
              <option value="fleet">Fleet-wide only</option>
              {nodeIds.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="sr-only">Lowest severity shown</span>
            <select value={filter.minSeverity} onChange={(e) => set({ minSeverity: e.target.value as Severity })}>
              <option value="info">All severities</option>
              <option value="warning">Warnings and critical</option>
              <option value="critical">Critical only</option>
            </select>
          </label>
        </div>
      </div>
      {paused && held ? <p className="timeline-held">Paused: newer events are held back until you resume.</p> : null}
      <div className="timeline-scroll">
        {shown.length === 0 ? (
          <p className="timeline-empty">{events.length === 0 ? 'No events yet. Node restarts, spikes and lag breaches will appear here.' : 'No event matches this filter.'}</p>
        ) : (
          <ol className="events" aria-label="Events, newest first">
            {shown.slice(0, limit).map((e) => (
              <EventItem key={e.id} e={e} onFocus={onFocus} />
            ))}
          </ol>
        )}
        {shown.length > limit ? (
          <button type="button" className="btn btn-block" onClick={() => setLimit(limit + PAGE)}>
            Show {Math.min(PAGE, shown.length - limit)} older events
          </button>
        ) : null}
      </div>
    </section>
  );
}
