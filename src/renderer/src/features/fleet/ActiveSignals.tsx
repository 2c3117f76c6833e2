import { memo } from 'react';
import type { TimelineEvent } from '../../../../shared/api';
import { formatDuration } from '../../lib/format';
import { Icon, SEVERITY_LOOK } from '../../ui';
import { showCharts } from '../charts';
import { useViewNow, useLive, useLiveStore } from '../live';

const EMPTY: readonly TimelineEvent[] = [];

/** Signals open right now (spikes, lag breaches, transport shifts); a click shows that moment on the charts. */
export const ActiveSignals = memo(function ActiveSignals() {
  const active = useLive((s) => s.view?.fleet.active ?? EMPTY);
  if (active.length === 0) return null;
  return (
    <section className="signals" aria-label="Active signals">
      <h2 className="signals-title">Happening now</h2>
      <ul className="signals-list">
        {active.map((e) => (
          <Signal key={e.id} e={e} />
        ))}
      </ul>
    </section>
  );
});

function Signal({ e }: { e: TimelineEvent }) {
  const now = useViewNow();
  const store = useLiveStore();
  const look = SEVERITY_LOOK[e.severity];
  return (
    <li>
      <button type="button" className={`signal tone-${look.tone}`} onClick={() => {
          store.getState().focusAt(e.ts);
          showCharts();
        }} title={`${e.reason} — show on the charts`}>
        <Icon name={look.icon} />
        <span className="signal-title">{e.title}</span>
        <span className="signal-reason">{e.cause ? `after ${e.cause.node} ${e.cause.kind.replace(/_/g, ' ')}` : e.reason}</span>
        <span className="signal-age">for {formatDuration(now - e.ts)}</span>
      </button>
    </li>
  );
}
