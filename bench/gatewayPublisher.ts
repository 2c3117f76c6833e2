/**
 * Steady HTTP publisher for the drain phase: `POST /publish` to one node, `rate` messages a
 * second per channel, on a schedule (a late tick catches up, at most half a second's worth).
 * Remembers the highest seq the node answered per channel: the last published message.
 */
export class Publisher {
  /** channel → highest seq acknowledged. */
  readonly last: Record<string, number> = {};
  sent = 0;
  failed = 0;
  firstError: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private readonly inflight = new Set<Promise<void>>();

  start(url: string, channels: readonly string[], rate: number): void {
    const t0 = performance.now();
    const due = new Map(channels.map((c) => [c, 0]));
    this.timer = setInterval(() => {
      const target = Math.floor(((performance.now() - t0) / 1000) * rate);
      for (const [ch, done] of due) {
        const n = Math.min(target - done, Math.ceil(rate / 2));
        if (n <= 0) continue;
        due.set(ch, done + n);
        for (let i = 0; i < n; i++) this.post(url, ch);
      }
    }, 10);
  }

  private post(url: string, channel: string): void {
    this.sent++;
    const p = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel, data: { sent: Date.now() } }),
    })
      .then(async (res) => {
        const body = (await res.json()) as { seq?: unknown; error?: unknown };
        if (res.status !== 200 || typeof body.seq !== 'number') throw new Error(`publish answered ${res.status}: ${JSON.stringify(body)}`);
        this.last[channel] = Math.max(this.last[channel] ?? 0, body.seq);
      })
      .catch((err: Error) => {
        this.failed++;
        this.firstError ??= err.message;
      })
      .finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }

  /** Stops publishing and waits for every answer. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }
}
