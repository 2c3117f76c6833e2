import type { Bus, BusMessage, HistoryOptions, HistoryResult, PresenceState, PublishRequest, PublishResult } from './bus';
import { DEFAULT_HISTORY } from './bus';

interface ChannelState {
  seq: number;
  /** Kept messages, oldest first; trimmed by count on publish and by age on read. */
  history: BusMessage[];
}

/**
 * The in-process bus: the shared state of a fleet that runs in one process (the demo
 * default, and a single node without Redis). Nodes attach through {@link MemoryBus}.
 */
export class MemoryHub {
  readonly channels = new Map<string, ChannelState>();
  readonly dedup = new Map<string, { seq: number; expires: number }>();
  readonly presence = new Map<string, Map<string, { state: PresenceState; expires: number }>>();
  readonly links = new Set<MemoryBus>();

  constructor(readonly options: HistoryOptions = DEFAULT_HISTORY) {}

  channel(name: string): ChannelState {
    let ch = this.channels.get(name);
    if (!ch) {
      ch = { seq: 0, history: [] };
      this.channels.set(name, ch);
    }
    return ch;
  }

  publish(req: PublishRequest, busTs: number): PublishResult {
    const now = Date.now();
    const key = `${req.channel}\u0000${req.id}`;
    const seen = this.dedup.get(key);
    if (seen && seen.expires > now) return { seq: seen.seq, duplicate: true };
    if (this.dedup.size > 100_000) this.sweepDedup(now);
    let seq = 0;
    const msg: BusMessage = { channel: req.channel, seq, id: req.id, json: req.json, ts: req.ts, busTs, ephemeral: req.ephemeral };
    if (!req.ephemeral) {
      const ch = this.channel(req.channel);
      seq = ++ch.seq;
      msg.seq = seq;
      ch.history.push(msg);
      // Amortized trim: cut back to the bound once it is exceeded by a quarter.
      if (ch.history.length > this.options.maxMessages * 1.25) ch.history = ch.history.slice(-this.options.maxMessages);
    }
    this.dedup.set(key, { seq, expires: now + this.options.dedupWindowMs });
    for (const link of this.links) link.deliver(msg);
    return { seq, duplicate: false };
  }

  history(channel: string, since: number, limit: number): HistoryResult {
    const ch = this.channel(channel);
    const oldestKept = Date.now() - this.options.maxAgeMs;
    const start = ch.history.length - Math.min(ch.history.length, this.options.maxMessages);
    const messages: BusMessage[] = [];
    let first = -1;
    for (let i = start; i < ch.history.length; i++) {
      const m = ch.history[i];
      if (m.seq <= since || m.ts < oldestKept) continue;
      if (first < 0) first = m.seq;
      if (messages.length < limit) messages.push(m);
    }
    return { messages, latest: ch.seq, gap: computeGap(since, ch.seq, first) };
  }

  private sweepDedup(now: number): void {
    for (const [k, v] of this.dedup) if (v.expires <= now) this.dedup.delete(k);
  }
}

/** Gap between a client's position and the first message history still holds. */
export function computeGap(since: number, latest: number, firstKept: number): HistoryResult['gap'] {
  if (since >= latest) return null;
  const firstAvailable = firstKept < 0 ? latest + 1 : firstKept;
  return firstAvailable > since + 1 ? { from: since + 1, to: firstAvailable - 1 } : null;
}

/** One node's link to a {@link MemoryHub}. The link can be cut to simulate a bus outage. */
export class MemoryBus implements Bus {
  readonly kind = 'memory';
  private handler: (msg: BusMessage) => void = () => {};
  private linkHandler: (up: boolean) => void = () => {};
  private up = true;
  /** Messages held while the link is down, delivered (late: pub/sub lag) when it is back. */
  private held: BusMessage[] = [];

  constructor(readonly hub: MemoryHub = new MemoryHub()) {}

  get connected(): boolean {
    return this.up;
  }

  async start(): Promise<void> {
    this.hub.links.add(this);
  }

  deliver(msg: BusMessage): void {
    if (!this.up) {
      if (this.held.length < 100_000) this.held.push(msg);
      return;
    }
    // Asynchronous like a real bus, in order.
    queueMicrotask(() => this.handler(msg));
  }

  /** Cuts or restores this node's link (demo incident, tests). */
  setLink(up: boolean): void {
    if (up === this.up) return;
    this.up = up;
    this.linkHandler(up);
    if (up) {
      const held = this.held;
      this.held = [];
      for (const m of held) this.handler(m);
    }
  }

  interruptLink(ms: number): void {
    this.setLink(false);
    setTimeout(() => this.setLink(true), ms).unref();
  }

  async publish(req: PublishRequest): Promise<PublishResult> {
    if (!this.up) throw new BusUnavailableError('bus link is down');
    return this.hub.publish(req, Date.now());
  }

  async history(channel: string, since: number, limit: number): Promise<HistoryResult> {
    if (!this.up) throw new BusUnavailableError('bus link is down');
    return this.hub.history(channel, since, limit);
  }

  async latestSeq(channel: string): Promise<number> {
    return this.hub.channels.get(channel)?.seq ?? 0;
  }

  onMessage(handler: (msg: BusMessage) => void): void {
    this.handler = handler;
  }

  onLink(handler: (up: boolean) => void): void {
    this.linkHandler = handler;
  }

  async presenceRefresh(node: string, users: ReadonlyMap<string, PresenceState>, ttlMs: number): Promise<void> {
    const expires = Date.now() + ttlMs;
    const mine = new Map<string, { state: PresenceState; expires: number }>();
    for (const [user, state] of users) mine.set(user, { state, expires });
    this.hub.presence.set(node, mine);
  }

  async presenceRemove(node: string, users: readonly string[]): Promise<void> {
    const mine = this.hub.presence.get(node);
    if (mine) for (const u of users) mine.delete(u);
  }

  async presenceFleet(): Promise<Map<string, PresenceState>> {
    const now = Date.now();
    const out = new Map<string, PresenceState>();
    for (const users of this.hub.presence.values()) {
      for (const [user, p] of users) {
        if (p.expires <= now) continue;
        if (out.get(user) !== 'online') out.set(user, p.state);
      }
    }
    return out;
  }

  async close(): Promise<void> {
    this.hub.links.delete(this);
  }
}

/** The bus cannot be reached now: the caller answers `unavailable` (HTTP 503). */
export class BusUnavailableError extends Error {}
