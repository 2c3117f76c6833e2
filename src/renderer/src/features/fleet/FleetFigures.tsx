import { memo, useMemo } from 'react';
import type { ReactNode } from 'react';
import type { FleetSummary, NodeHealth, NodeSummary } from '../../../../shared/api';
import { formatCount, formatMs, formatRate } from '../../lib/format';
import { Icon } from '../../ui';
import { useLive } from '../live';
import { listNodes } from './blindSpotText';

/** Lag p99 above this is shown as a warning (the core's breach threshold). */
export const LAG_WARN_MS = 250;

function Figure({ label, testId, value, unit, tone, children }: { label: string; testId: string; value: string; unit?: string; tone?: 'bad' | 'warn'; children?: ReactNode }) {
  return (
    <div className={`figure${tone ? ` figure-${tone}` : ''}`} role="group" aria-label={label}>
      <div className="figure-label">{label}</div>
      <div className="figure-value">
        <span data-testid={testId}>{value}</span>
        {unit ? <span className="figure-unit">{unit}</span> : null}
      </div>
      {children ? <div className="figure-sub">{children}</div> : null}
    </div>
  );
}

function countHealth(nodes: readonly NodeSummary[]): Partial<Record<NodeHealth, number>> {
  const c: Partial<Record<NodeHealth, number>> = {};
  for (const n of nodes) c[n.health] = (c[n.health] ?? 0) + 1;
  return c;
}

/** The fleet's key figures, readable from across the room. */
export const FleetFigures = memo(function FleetFigures() {
  const fleet = useLive((s) => s.view?.fleet);
  const nodes = useLive((s) => s.view?.nodes);
  const counts = useMemo(() => countHealth(nodes ?? []), [nodes]);
  const unseen = useMemo(() => (nodes ?? []).filter((n) => n.health === 'unknown').map((n) => n.id), [nodes]);
  if (!fleet) return null;
  return <Figures fleet={fleet} counts={counts} unseen={unseen} />;
});

function Figures({ fleet: f, counts, unseen }: { fleet: FleetSummary; counts: Partial<Record<NodeHealth, number>>; unseen: readonly string[] }) {
  const notUp = f.nodesTotal - f.nodesUp;
  // Nodes the console cannot read add nothing to the sums: say so rather than show a
  // confident zero. (Down nodes really have no connections; they are counted.)
  const blindAll = f.nodesTotal > 0 && unseen.length === f.nodesTotal;
  const problems = (['down', 'stale', 'unknown', 'restarting'] as const).filter((h) => counts[h]).map((h) => `${counts[h]} ${h}`);
  const spike = f.active.some((e) => e.kind === 'reconnect_spike');
  const lagHigh = f.lagP99Ms !== null && f.lagP99Ms > LAG_WARN_MS;
  const unread = 'cannot read any node';
  return (
    <>
      <section className="figures" aria-label="Fleet figures">
        <Figure label="Nodes up" testId="fleet-nodes-up" value={`${f.nodesUp}`} unit={`of ${f.nodesTotal}`} tone={counts.down ? 'bad' : notUp > 0 ? 'warn' : undefined}>
          {problems.length ? <strong>{problems.join(' · ')}</strong> : f.nodesTotal ? 'all serving' : 'no nodes'}
        </Figure>
        <Figure label="Connections" testId="fleet-connections-total" value={blindAll ? '—' : formatCount(f.connections.total)}>
          {blindAll ? unread : (
            <span className="split-figures">
              <span>
                WS <b data-testid="fleet-conn-ws">{formatCount(f.connections.ws)}</b>
              </span>
              <span>
                SSE <b data-testid="fleet-conn-sse">{formatCount(f.connections.sse)}</b>
              </span>
              <span>
                Poll <b data-testid="fleet-conn-longpoll">{formatCount(f.connections.longpoll)}</b>
              </span>
            </span>
          )}
        </Figure>
        <Figure label="Messages delivered" testId="fleet-delivered" value={blindAll ? '—' : formatRate(f.deliveredPerSec)} unit={blindAll ? undefined : '/s'}>
          {blindAll ? unread : (
            <>
              published <b data-testid="fleet-published">{formatRate(f.publishedPerSec)}</b>/s
            </>
          )}
        </Figure>
        <Figure label="Pub/sub lag p99" testId="fleet-lag-p99" value={blindAll ? '—' : formatMs(f.lagP99Ms)} tone={lagHigh ? 'warn' : undefined}>
          {blindAll ? unread : lagHigh ? `above ${LAG_WARN_MS} ms` : 'worst node'}
        </Figure>
        <Figure label="Reconnects" testId="fleet-reconnects" value={blindAll ? '—' : formatRate(f.reconnectsPerSec)} unit={blindAll ? undefined : '/s'} tone={spike ? 'warn' : undefined}>
          {blindAll ? unread : spike ? 'spike under way' : 'fleet-wide'}
        </Figure>
        <Figure label="Presence online" testId="fleet-presence-online" value={blindAll ? '—' : formatCount(f.presence.online)}>
          {blindAll ? unread : (
            <>
              away <b data-testid="fleet-presence-away">{formatCount(f.presence.away)}</b>
            </>
          )}
        </Figure>
      </section>
      {unseen.length > 0 && !blindAll ? (
        <p className="coverage-note" data-testid="coverage-note">
          <Icon name="eyeOff" size={14} />
          These figures leave out {unseen.length === 1 ? '1 node' : `${unseen.length} nodes`} the console cannot read: {listNodes(unseen, 5)}.
        </p>
      ) : null}
    </>
  );
}
