import { memo } from 'react';
import type { TimelineEvent } from '../../../../shared/api';
import { formatClock, formatDuration } from '../../lib/format';
import { Icon, SEVERITY_LOOK } from '../../ui';
import { timelineActionTag } from '../actions';

const SPANS = new Set(['reconnect_spike', 'lag_breach', 'transport_shift']);

/** One timeline event as a button: a click shows its moment on the charts. */
export const EventItem = memo(function EventItem({ e, onFocus }: { e: TimelineEvent; onFocus(e: TimelineEvent): void }) {
  const look = SEVERITY_LOOK[e.severity];
  // Fleet actions and rolling restarts carry a tag: what someone did, not what the console saw.
  const tag = timelineActionTag(e);
  const span = e.endTs !== null ? `lasted ${formatDuration(e.endTs - e.ts)}` : SPANS.has(e.kind) ? 'ongoing' : null;
  return (
    <li className={`event sev-${e.severity}`} data-event-id={e.id} data-kind={e.kind}>
      <button type="button" className="event-btn" onClick={() => onFocus(e)} aria-label={`${look.label}: ${e.title} at ${formatClock(e.ts)}. Show this moment on the charts`}>
        <span className="event-time">{formatClock(e.ts)}</span>
        <span className={`event-sev tone-${look.tone}`}>
          <Icon name={look.icon} size={14} />
          <span>{look.label}</span>
        </span>
        <span className="event-main">
          <span className="event-title">
            {tag ? (
              <span className="event-tag">
                <Icon name={tag.icon} size={12} />
                {tag.label}
              </span>
            ) : null}
            {e.title}
            {span ? <span className={span === 'ongoing' ? 'event-span is-open' : 'event-span'}>{span}</span> : null}
          </span>
          <span className="event-reason">{e.reason}</span>
        </span>
      </button>
    </li>
  );
});
