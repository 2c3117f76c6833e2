import type { ClientTransport } from './clientOptions';

/** How long a transport that failed to connect is skipped before it is tried again. */
export const TRANSPORT_RETRY_MS = 30_000;

/**
 * Which transports to try, in which order. Every new connection starts from the most
 * preferred transport again, except those that failed to connect within the last
 * {@link TRANSPORT_RETRY_MS}: a proxy that breaks WebSockets costs one failed upgrade per
 * 30 s, not one per reconnect, and a client that fell back to long polling climbs back to
 * WebSocket once the path allows it.
 */
export class TransportPreference {
  /** transport → wall-clock ms of its last failure to connect. */
  private readonly failedAt = new Map<ClientTransport, number>();
  /** The transport of the last connection that came up. */
  lastWorked: ClientTransport | null = null;

  constructor(private readonly preferred: readonly ClientTransport[]) {}

  /** Transports to try now, best first; never empty. */
  order(now: number): ClientTransport[] {
    const fresh = this.preferred.filter((t) => now - (this.failedAt.get(t) ?? -Infinity) >= TRANSPORT_RETRY_MS);
    if (fresh.length > 0) return fresh;
    // Everything failed lately: the one that worked last, then the others in order.
    const last = this.lastWorked;
    return last ? [last, ...this.preferred.filter((t) => t !== last)] : [...this.preferred];
  }

  /** `t` failed to connect (the node answered, but not in that transport's words). */
  failed(t: ClientTransport, now: number): void {
    this.failedAt.set(t, now);
  }

  /** A connection over `t` came up. */
  worked(t: ClientTransport): void {
    this.failedAt.delete(t);
    this.lastWorked = t;
  }
}
