import { memo, useMemo } from 'react';
import type { BlindSpot } from '../../../../shared/api';
import { formatAgo } from '../../lib/format';
import { Icon } from '../../ui';
import { useViewNow, useLive } from '../live';
import { groupBlindSpots, listNodes } from './blindSpotText';
import type { BlindGroup } from './blindSpotText';

const EMPTY: readonly BlindSpot[] = [];

/**
 * What the console cannot see. Yellow and striped with an eye-slash, never red: a node
 * the console cannot read may be perfectly healthy; "down" is a different fact, shown
 * in the node table.
 */
export const BlindnessBanner = memo(function BlindnessBanner() {
  const blind = useLive((s) => s.view?.fleet.blind ?? EMPTY);
  const groups = useMemo(() => groupBlindSpots(blind), [blind]);
  if (blind.length === 0) return null;
  const nodes = [...new Set(blind.filter((b) => b.node !== '*').map((b) => b.node))];
  return (
    <section className="blind-banner" aria-labelledby="blind-title" data-testid="blindness-banner">
      <Icon name="eyeOff" size={28} className="blind-icon" />
      <div className="blind-body">
        <h2 id="blind-title" className="blind-title">
          {nodes.length ? `The console cannot see ${nodes.length === 1 ? nodes[0] : `${nodes.length} nodes (${listNodes(nodes, 5)})`}` : 'The console cannot see part of the fleet'}
        </h2>
        <p className="blind-note">This is about the console’s view, not the nodes: they may be serving normally. Check tokens, URLs and the network between the console and them.</p>
        <ul className="blind-list">
          {groups.map((g) => (
            <BlindItem key={g.key} group={g} />
          ))}
        </ul>
      </div>
    </section>
  );
});

function BlindItem({ group }: { group: BlindGroup }) {
  const now = useViewNow();
  return (
    <li data-nodes={group.nodes.join(' ')}>
      <span>{group.text}</span> <span className="blind-since">(since {formatAgo(group.since, now)})</span>
    </li>
  );
}
