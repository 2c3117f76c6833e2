/** How long a node that said it drains (drain frame, 503, close 1001) is passed over. */
export const AVOID_MS = 30_000;

/**
 * Chooses the node to connect to: a random start (so a crowd of clients spreads over the
 * fleet), the same node while it works, a random other one after a failure (so the clients
 * of a drained or crashed node spread over the rest instead of all landing on its
 * neighbour), and never a node that announced it drains within the last {@link AVOID_MS},
 * unless every node did.
 */
export class NodePicker {
  private index: number;
  /** url → wall-clock ms until which it is avoided. */
  private readonly avoided = new Map<string, number>();

  constructor(
    private readonly urls: readonly string[],
    private readonly random: () => number = Math.random,
  ) {
    this.index = Math.min(urls.length - 1, Math.floor(random() * urls.length));
  }

  /** The node for the next attempt: the current one, or the next not avoided at `now`. */
  pick(now: number): string {
    for (let i = 0; i < this.urls.length; i++) {
      const candidate = (this.index + i) % this.urls.length;
      if ((this.avoided.get(this.urls[candidate]) ?? 0) <= now) {
        this.index = candidate;
        return this.urls[candidate];
      }
    }
    // Every node drains: keep trying round-robin (backoff spaces the attempts).
    return this.urls[this.index];
  }

  /** The current node failed: move on to a random other one (pick() then skips avoided ones in order). */
  advance(): void {
    const n = this.urls.length;
    if (n < 2) return;
    this.index = (this.index + 1 + Math.min(n - 2, Math.floor(this.random() * (n - 1)))) % n;
  }

  /** The node drains or went away on purpose: pass it over for `ms`. */
  avoid(url: string, now: number, ms = AVOID_MS): void {
    this.avoided.set(url, now + ms);
  }

  /** Whether `url` is avoided at `now`. */
  isAvoided(url: string, now: number): boolean {
    return (this.avoided.get(url) ?? 0) > now;
  }
}
