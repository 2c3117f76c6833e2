import { formatCount } from '../../lib/format';

/**
 * Connections against the node's limit: a bar (with a tone past 80% and 95%) and the
 * numbers. `lastKnown`: the node is not serving live, the figure is its last report.
 */
export function ConnectionBar({ total, limit, known = true, lastKnown = false }: { total: number; limit: number | null; known?: boolean; lastKnown?: boolean }) {
  if (!known) return <span className="conn"><span className="conn-nums muted">no data</span></span>;
  const share = limit ? Math.min(1, total / limit) : null;
  const tone = share === null ? '' : share >= 0.95 ? ' bar-bad' : share >= 0.8 ? ' bar-warn' : '';
  return (
    <span className="conn">
      <span className="conn-nums">
        <b>{formatCount(total)}</b>
        <span className="muted">{limit ? ` / ${formatCount(limit)}` : ' (no limit)'}</span>
      </span>
      {lastKnown ? (
        <span className="conn-last">last known</span>
      ) : share !== null ? (
        <span className={`bar${tone}`} aria-hidden="true">
          <span className="bar-fill" style={{ width: `${(share * 100).toFixed(1)}%` }} />
        </span>
      ) : null}
    </span>
  );
}
