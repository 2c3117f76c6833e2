import type { NodeSummary } from '../../../../shared/api';
import { formatCount, formatMs, formatRate } from '../../lib/format';

/** The node's own figures, in a definition grid. */
export function NodeFacts({ n }: { n: NodeSummary }) {
  const facts: [string, string][] = [
    ['Connections', `${formatCount(n.connections.total)}${n.limit ? ` of ${formatCount(n.limit)}` : ''}`],
    ['WebSocket · SSE · Long-poll', `${formatCount(n.connections.ws)} · ${formatCount(n.connections.sse)} · ${formatCount(n.connections.longpoll)}`],
    ['Delivered / published', `${formatRate(n.deliveredPerSec)}/s · ${formatRate(n.publishedPerSec)}/s`],
    ['Pub/sub lag p50 · p99', `${formatMs(n.lagP50Ms)} · ${formatMs(n.lagP99Ms)}`],
    ['Reconnects', `${formatRate(n.reconnectsPerSec)}/s`],
    ['Presence online · away', `${formatCount(n.presence.online)} · ${formatCount(n.presence.away)}`],
    ['Bus link', n.busConnected === null ? 'unknown' : n.busConnected ? 'connected' : 'DISCONNECTED'],
    ['Boot id', n.bootId ?? 'unknown'],
  ];
  if (n.drain) facts.push(['Drain', `${formatCount(n.drain.remaining)} connections left, ${formatRate(n.drain.ratePerSec)}/s`]);
  return (
    <dl className="facts">
      {facts.map(([k, v]) => (
        <div key={k} className="fact">
          <dt>{k}</dt>
          <dd className={v === 'DISCONNECTED' ? 'tone-bad' : undefined}>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
