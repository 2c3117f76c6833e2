import type { IntervalHistogram } from 'node:perf_hooks';
import type { GatewayNode } from '../gatewayNode';
import type { Tallies } from './gatewayMetrics';

interface Totals {
  at: number;
  opened: number;
  closed: number;
  reconnects: number;
  published: number;
  delivered: number;
  dropped: number;
}

/** Builds the 1 Hz `vitals` event: current figures and per-second rates over the last interval. */
export class VitalsSampler {
  private prev: Totals;

  constructor(private readonly node: GatewayNode, private readonly loopDelay: IntervalHistogram) {
    this.prev = totals(node.metrics.tallies);
  }

  /** Current state without rates (the `reset` event's body). */
  snapshot(): Record<string, unknown> {
    const n = this.node;
    return {
      ts: Date.now(),
      node: n.config.nodeId,
      state: n.state,
      connections: { ...n.counts },
      limit: n.config.maxConnections,
      presence: n.presence.summary(),
      rssBytes: process.memoryUsage.rss(),
      busConnected: n.bus.connected,
    };
  }

  sample(): Record<string, unknown> {
    const n = this.node;
    const now = totals(n.metrics.tallies);
    const secs = Math.max(0.001, (now.at - this.prev.at) / 1000);
    const rate = (k: Exclude<keyof Totals, 'at'>) => Math.round(((now[k] - this.prev[k]) / secs) * 100) / 100;
    const rates = { opened: rate('opened'), closed: rate('closed'), reconnects: rate('reconnects'), published: rate('published'), delivered: rate('delivered'), dropped: rate('dropped') };
    this.prev = now;
    const loopP99 = this.loopDelay.percentile(99) / 1e6;
    this.loopDelay.reset();
    return {
      ...this.snapshot(),
      ts: now.at,
      rates,
      pubsubLagMs: n.metrics.lagWindow.takeQuantiles(),
      deliveryLatencyMs: n.metrics.deliveryWindow.takeQuantiles(),
      eventLoopLagMs: Math.round(loopP99 * 100) / 100,
    };
  }
}

function totals(t: Tallies): Totals {
  return {
    at: Date.now(),
    opened: t.sum(t.opened),
    closed: t.closedTotal(),
    reconnects: t.sum(t.reconnects),
    published: t.published,
    delivered: t.sum(t.delivered),
    dropped: t.droppedTotal(),
  };
}
