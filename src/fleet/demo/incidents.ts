import WebSocket from 'ws';
import type { GatewayNode } from '../gateway';

export type IncidentKind = 'crash' | 'slow-consumers' | 'bus-outage';
export const INCIDENT_KINDS: readonly IncidentKind[] = ['crash', 'slow-consumers', 'bus-outage'];

/** Node crash: sockets cut without a word; the supervisor brings a fresh node (new boot id). */
export async function crashNode(node: GatewayNode): Promise<void> {
  await node.crash();
}

/** Bus outage on one node: its pub/sub link drops; messages arrive late (pub/sub lag). */
export function busOutage(node: GatewayNode, ms = 5000): void {
  node.bus.interruptLink(ms);
}

/**
 * Slow consumers: a few clients subscribe to a busy channel and stop reading; a burst
 * of large messages fills their buffers until the node disconnects them (slow_consumer).
 */
export async function slowConsumers(node: GatewayNode, count = 5): Promise<number> {
  /** How many the node cut as slow consumers. */
  const channel = 'firehose';
  const sockets = await Promise.all(
    Array.from({ length: count }, (_, i) => new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${node.clientPort}/ws?user=slow-${i}`);
      ws.once('open', () => {
        ws.send(JSON.stringify({ type: 'subscribe', channel }));
        resolve(ws);
      });
      ws.once('error', reject);
    })),
  );
  await new Promise((r) => setTimeout(r, 200));
  const before = node.metrics.tallies.closed.get('ws|slow_consumer') ?? 0;
  // Stop reading: the kernel buffers fill, then the node's per-connection buffer.
  for (const ws of sockets) (ws as unknown as { _socket: { pause(): void } })._socket.pause();
  const payload = 'x'.repeat(16 * 1024);
  // Loopback socket buffers absorb several MB before the node's own buffer fills:
  // publish until every slow client is cut, bounded by 64 MB and 10 s.
  const cut = () => (node.metrics.tallies.closed.get('ws|slow_consumer') ?? 0) - before;
  const until = Date.now() + 10_000;
  for (let i = 0; i < 4096 && cut() < count && Date.now() < until; i++) {
    await node.publish(channel, { i, payload }, undefined, false).catch(() => {});
    if (i % 32 === 31) await new Promise((r) => setTimeout(r, 5));
  }
  await new Promise((r) => setTimeout(r, 200));
  for (const ws of sockets) ws.terminate();
  return cut();
}
