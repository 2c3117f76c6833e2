import type { SourceHealth } from '../../../../shared/api';
import { formatAgo, formatClock, formatCount, formatMs } from '../../lib/format';
import { Icon } from '../../ui';
import type { IconName, Tone } from '../../ui';
import { useViewNow } from '../live';

const STATE_LOOK: Record<SourceHealth['state'], { label: string; icon: IconName; tone: Tone }> = {
  ok: { label: 'Reading', icon: 'check', tone: 'ok' },
  failing: { label: 'Failing', icon: 'down', tone: 'bad' },
  stale: { label: 'Silent', icon: 'stale', tone: 'warn' },
  idle: { label: 'Not started', icon: 'unknown', tone: 'muted' },
};

/** How the console reads one source of a node: the scrape of /metrics, or the /events stream. */
export function SourceHealthCard({ title, kind, h, lastHeardAt = null }: { title: string; kind: 'scrape' | 'events'; h: SourceHealth; lastHeardAt?: number | null }) {
  const now = useViewNow();
  const look = STATE_LOOK[h.state];
  // The stream's status is reported on state changes; the node's last event is fresher.
  const lastOk = kind === 'events' && lastHeardAt !== null ? Math.max(lastHeardAt, h.lastOkAt ?? 0) : h.lastOkAt;
  return (
    <section className="source-card" aria-label={title} data-source={kind}>
      <h4 className="source-title">{title}</h4>
      <p className={`badge tone-${look.tone}`}>
        <Icon name={look.icon} size={14} /> <span data-testid={`${kind}-state`}>{look.label}</span>
      </p>
      <dl className="kv">
        <dt>Last success</dt>
        <dd>{lastOk === null ? 'never' : `${formatAgo(lastOk, now)} (${formatClock(lastOk)})`}</dd>
        <dt>Last error</dt>
        <dd className={h.lastError ? 'tone-bad' : 'muted'}>{h.lastError ?? 'none'}</dd>
        {kind === 'scrape' ? (
          <>
            <dt>Duration</dt>
            <dd>{formatMs(h.durationMs)}</dd>
            <dt>Samples</dt>
            <dd>{formatCount(h.samples)}</dd>
          </>
        ) : (
          <>
            <dt>Events received</dt>
            <dd>{h.samples === 0 && h.state === 'ok' ? 'not counted yet' : formatCount(h.samples)}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
