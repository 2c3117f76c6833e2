import { createClient } from 'redis';
import type { Bus, BusMessage, HistoryOptions, HistoryResult, PresenceState, PublishRequest, PublishResult } from './bus';
import { DEFAULT_HISTORY } from './bus';
import { BusUnavailableError, computeGap } from './memoryBus';

type RedisClient = ReturnType<typeof createClient>;

/** Key layout. Sequence keys never expire: a position stays meaningful as long as Redis keeps its data. */
const BUS_CHANNEL = 'sb:bus';
const seqKey = (ch: string) => `sb:seq:{${ch}}`;
const streamKey = (ch: string) => `sb:hist:{${ch}}`;
const dedupKey = (ch: string, id: string) => `sb:pid:{${ch}}:${id}`;
const presenceKey = (user: string, node: string) => `sb:presence:${user}@${node}`;

/**
 * One atomic step per publish: dedup check, seq assignment (INCR), history (XADD with
 * the seq as the entry id, trimmed by count, expiring by age) and PUBLISH. Because the
 * script is atomic, pub/sub delivery order equals seq order for every channel.
 * KEYS: seq, stream, dedup. ARGV: channel, json, id, ts, ephemeral, maxlen, maxAgeMs, dedupMs, busTs.
 */
const PUBLISH_LUA = `
local dup = redis.call('GET', KEYS[3])
if dup then return {tonumber(dup), 1} end
local seq = 0
if ARGV[5] ~= '1' then
  seq = redis.call('INCR', KEYS[1])
  redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[6], seq .. '-0', 'j', ARGV[2], 'i', ARGV[3], 't', ARGV[4])
  redis.call('PEXPIRE', KEYS[2], ARGV[7])
end
redis.call('SET', KEYS[3], seq, 'PX', ARGV[8])
redis.call('PUBLISH', '${BUS_CHANNEL}', cjson.encode({c = ARGV[1], s = seq, i = ARGV[3], j = ARGV[2], t = tonumber(ARGV[4]), b = tonumber(ARGV[9]), e = ARGV[5] == '1'}))
return {seq, 0}
`;

interface WireMessage {
  c: string;
  s: number;
  i: string;
  j: string;
  t: number;
  b: number;
  e: boolean;
}

/** The Redis bus: pub/sub for fan-out (one subscription per node), Streams for history, TTL keys for presence. */
export class RedisBus implements Bus {
  readonly kind = 'redis';
  private readonly cmd: RedisClient;
  private readonly sub: RedisClient;
  private sha = '';
  private handler: (msg: BusMessage) => void = () => {};
  private linkHandler: (up: boolean) => void = () => {};
  private linkUp = false;

  constructor(
    url: string,
    private readonly options: HistoryOptions = DEFAULT_HISTORY,
    private readonly log: (msg: string) => void = () => {},
  ) {
    const socket = { reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) + Math.random() * 100, connectTimeout: 2000 };
    // Fail fast while disconnected: a publish answers 503 instead of hanging in a queue.
    this.cmd = createClient({ url, socket, disableOfflineQueue: true });
    this.sub = this.cmd.duplicate();
    for (const c of [this.cmd, this.sub]) c.on('error', (err: Error) => this.log(`redis: ${err.message}`));
    this.sub.on('ready', () => this.setLink(true));
    this.sub.on('end', () => this.setLink(false));
    this.sub.on('reconnecting', () => this.setLink(false));
  }

  get connected(): boolean {
    return this.linkUp && this.cmd.isReady;
  }

  async start(): Promise<void> {
    await this.cmd.connect();
    await this.sub.connect();
    this.sha = String(await this.cmd.scriptLoad(PUBLISH_LUA));
    await this.sub.subscribe(BUS_CHANNEL, (raw: string) => this.onWire(raw));
    this.setLink(true);
  }

  private setLink(up: boolean): void {
    if (up === this.linkUp) return;
    this.linkUp = up;
    this.linkHandler(up);
  }

  private onWire(raw: string): void {
    let w: WireMessage;
    try {
      w = JSON.parse(raw) as WireMessage;
    } catch {
      this.log('redis: dropped a bus message that is not JSON');
      return;
    }
    this.handler({ channel: w.c, seq: w.s, id: w.i, json: w.j, ts: w.t, busTs: w.b, ephemeral: w.e === true });
  }

  async publish(req: PublishRequest): Promise<PublishResult> {
    const o = this.options;
    const args = [req.channel, req.json, req.id, String(req.ts), req.ephemeral ? '1' : '0', String(o.maxMessages), String(o.maxAgeMs), String(o.dedupWindowMs), String(Date.now())];
    const keys = [seqKey(req.channel), streamKey(req.channel), dedupKey(req.channel, req.id)];
    const reply = await this.run(async () => {
      try {
        return await this.cmd.sendCommand(['EVALSHA', this.sha, '3', ...keys, ...args]);
      } catch (err) {
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
        this.sha = String(await this.cmd.scriptLoad(PUBLISH_LUA));
        return this.cmd.sendCommand(['EVALSHA', this.sha, '3', ...keys, ...args]);
      }
    });
    if (!Array.isArray(reply) || reply.length !== 2) throw new Error(`redis: unexpected publish reply ${JSON.stringify(reply)}`);
    return { seq: Number(reply[0]), duplicate: Number(reply[1]) === 1 };
  }

  async history(channel: string, since: number, limit: number): Promise<HistoryResult> {
    const [latestRaw, entries] = await this.run(() =>
      this.cmd.multi().get(seqKey(channel)).xRange(streamKey(channel), `${since + 1}-0`, '+', { COUNT: limit }).exec(),
    ) as unknown as [string | null, Array<{ id: string; message: Record<string, string> }>];
    const latest = Number(latestRaw ?? 0);
    const oldestKept = Date.now() - this.options.maxAgeMs;
    const messages: BusMessage[] = [];
    let first = -1;
    for (const e of entries) {
      const seq = Number(e.id.slice(0, e.id.indexOf('-')));
      const ts = Number(e.message.t);
      if (ts < oldestKept) continue;
      if (first < 0) first = seq;
      messages.push({ channel, seq, id: e.message.i, json: e.message.j, ts, busTs: ts, ephemeral: false });
    }
    return { messages, latest, gap: computeGap(since, latest, first) };
  }

  async latestSeq(channel: string): Promise<number> {
    return Number((await this.run(() => this.cmd.get(seqKey(channel)))) ?? 0);
  }

  /**
   * Drops the subscriber connection for `ms`: messages published meanwhile never reach
   * this node over pub/sub, and the node's router catches up from history when it is back.
   */
  interruptLink(ms: number): void {
    if (!this.sub.isOpen) return;
    this.sub.destroy();
    this.setLink(false);
    setTimeout(() => {
      this.sub.connect().then(
        () => this.sub.subscribe(BUS_CHANNEL, (raw: string) => this.onWire(raw)),
        (err: Error) => this.log(`redis: reconnect after interruption failed: ${err.message}`),
      );
    }, ms).unref();
  }

  onMessage(handler: (msg: BusMessage) => void): void {
    this.handler = handler;
  }

  onLink(handler: (up: boolean) => void): void {
    this.linkHandler = handler;
  }

  async presenceRefresh(node: string, users: ReadonlyMap<string, PresenceState>, ttlMs: number): Promise<void> {
    if (users.size === 0) return;
    await this.run(async () => {
      const m = this.cmd.multi();
      for (const [user, state] of users) m.set(presenceKey(user, node), state, { expiration: { type: 'PX', value: ttlMs } });
      await m.exec();
    });
  }

  async presenceRemove(node: string, users: readonly string[]): Promise<void> {
    if (users.length === 0) return;
    await this.run(() => this.cmd.del(users.map((u) => presenceKey(u, node))));
  }

  async presenceFleet(): Promise<Map<string, PresenceState>> {
    const out = new Map<string, PresenceState>();
    await this.run(async () => {
      for await (const keys of this.cmd.scanIterator({ MATCH: 'sb:presence:*', COUNT: 1000 })) {
        if (keys.length === 0) continue;
        const states = await this.cmd.mGet(keys);
        keys.forEach((k, i) => {
          const state = states[i];
          if (state !== 'online' && state !== 'away') return;
          const user = k.slice('sb:presence:'.length, k.lastIndexOf('@'));
          if (out.get(user) !== 'online') out.set(user, state);
        });
      }
    });
    return out;
  }

  /** Runs a command, turning "not connected" into {@link BusUnavailableError}. */
  private async run<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.cmd.isReady) throw new BusUnavailableError('redis is not connected');
    try {
      return await fn();
    } catch (err) {
      if (!this.cmd.isReady) throw new BusUnavailableError(`redis is not connected (${err instanceof Error ? err.message : String(err)})`);
      throw err;
    }
  }

  async close(): Promise<void> {
    for (const c of [this.sub, this.cmd]) {
      try {
        if (c.isOpen) await c.close();
      } catch {
        c.destroy();
      }
    }
  }
}
