import { memo } from 'react';
import type { KeyboardEvent } from 'react';
import type { NodeSummary } from '../../../../shared/api';
import { formatCount, formatMs, formatRate } from '../../lib/format';
import { HealthBadge } from '../../ui';
import { RowActionsMenu } from '../actions';
import { LAG_WARN_MS } from '../fleet';
import { ConnectionBar } from './ConnectionBar';
import { LastSeen } from './LastSeen';
import { Sparkline } from './Sparkline';

export interface NodeRowProps {
  node: NodeSummary;
  spark: readonly number[] | undefined;
  /** Why the console cannot read this node (a blind spot), or null. */
  blindReason: string | null;
  selected: boolean;
  /** Position among the filtered rows (for aria-rowindex and arrow keys). */
  index: number;
  onOpen(id: string): void;
  onKeyNav(e: KeyboardEvent<HTMLElement>, index: number): void;
}

/**
 * One node. Memoized: the store keeps an unchanged node as the same object, so a frame
 * re-renders only the rows whose node (or sparkline) actually changed.
 */
export const NodeRow = memo(function NodeRow({ node: n, spark, blindReason, selected, index, onOpen, onKeyNav }: NodeRowProps) {
  const lagWarn = n.lagP99Ms !== null && n.lagP99Ms > LAG_WARN_MS;
  // Figures of a node that is not serving live are its last known ones; a node never
  // heard from has none at all (not zeros).
  const live = n.health === 'up' || n.health === 'draining' || n.health === 'drained';
  const heard = n.lastSeenAt !== null || n.scrape.lastOkAt !== null;
  const count = (x: number) => (heard ? formatCount(x) : '—');
  const reason = blindReason ? `console cannot read it: ${blindReason}` : n.drain ? `${n.reason} — ${formatCount(n.drain.remaining)} left at ${formatRate(n.drain.ratePerSec)}/s` : n.reason;
  return (
    <tr className={`node-row health-${n.health}${live ? '' : ' is-last-known'}${selected ? ' is-selected' : ''}`} data-node={n.id} aria-rowindex={index + 2} onClick={() => onOpen(n.id)}>
      <th scope="row" className="cell-node">
        <button
          type="button"
          className="row-open"
          data-node-open={n.id}
          onClick={(e) => {
            e.stopPropagation();
            onOpen(n.id);
          }}
          onKeyDown={(e) => onKeyNav(e, index)}
          aria-label={`${n.id}${n.region ? `, ${n.region}` : ''}: open details`}
        >
          <span className="node-id">{n.id}</span>
          <span className="node-region">{n.region ?? 'no region'}</span>
        </button>
        <RowActionsMenu node={n.id} />
      </th>
      <td className="cell-health">
        <HealthBadge health={n.health} blind={blindReason !== null} />
        <span className="health-reason" title={reason}>
          {reason}
        </span>
      </td>
      <td className="num" data-testid="node-conn" data-node={n.id} data-value={n.connections.total}>
        <ConnectionBar total={n.connections.total} limit={n.limit} known={heard} lastKnown={!live && heard} />
      </td>
      <td className="num" data-testid="node-ws">
        {count(n.connections.ws)}
      </td>
      <td className="num" data-testid="node-sse">
        {count(n.connections.sse)}
      </td>
      <td className="num" data-testid="node-longpoll">
        {count(n.connections.longpoll)}
      </td>
      <td className="num">{heard ? formatRate(n.deliveredPerSec) : '—'}</td>
      <td className={lagWarn ? 'num tone-warn' : 'num'}>{formatMs(n.lagP99Ms)}</td>
      <td className="num cell-reconnects">
        <Sparkline values={heard ? (spark ?? []) : []} />
        <span className="reconnect-rate">{heard ? formatRate(n.reconnectsPerSec) : '—'}</span>
      </td>
      <td className="num">
        <LastSeen at={n.lastSeenAt} />
      </td>
    </tr>
  );
});
