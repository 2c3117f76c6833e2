import { randomUUID } from 'node:crypto';
import type { ServerFrame } from '../protocol/frames';
import { backoffDelay } from './backoff';
import { ChannelPositions } from './channelPositions';
import type { ClientMessage, ClientOptions, ClientState, ClientTransport, ResolvedOptions } from './clientOptions';
import { checkChannel, resolveOptions } from './clientOptions';
import type { ClientEvents } from './clientEvents';
import type { Connection, ConnectionEnd, WelcomeFrame } from './connection';
import { Listeners } from './listeners';
import { NodePicker } from './nodePicker';
import { OPENERS } from './openers';
import type { PublishResult } from './publishQueue';
import { PublishQueue } from './publishQueue';
import { TransportPreference } from './transportPreference';

/** A connection that stayed up this long resets the backoff. */
const STABLE_MS = 5_000;

/**
 * Client of a gateway fleet (docs/fleet-contract.md, "Project additions"): connects over
 * WebSocket, SSE or long polling (falling back in that order), moves between nodes on
 * failure and drain, resumes every channel from its last delivered seq, and delivers each
 * message to the app exactly once and in order per channel. Publishes are retried with the
 * same id until acknowledged, so none is lost or doubled by a reconnect.
 */
export class RealtimeClient {
  private readonly o: ResolvedOptions;
  private readonly listeners = new Listeners<ClientEvents>((err, event) => {
    if (event !== 'error') this.listeners.emit('error', err);
  });
  private readonly channels: Set<string>;
  private readonly seqs = new ChannelPositions();
  private readonly picker: NodePicker;
  private readonly prefs: TransportPreference;
  private readonly publishes: PublishQueue;
  /** The connection being opened or open; null between attempts. */
  private conn: Connection | null = null;
  private current: { node: string; transport: ClientTransport } | null = null;
  private _state: ClientState = 'idle';
  private presenceState: 'online' | 'away' | null = null;
  /** Failed attempts since the last stable connection (the backoff exponent). */
  private attempt = 0;
  /** `drain.reconnectAfterMs` of the current connection, if it drains. */
  private drainHint: number | null = null;
  private everConnected = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private stableTimer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | null = null;

  constructor(opts: ClientOptions) {
    this.o = resolveOptions(opts);
    this.channels = new Set(this.o.channels);
    this.picker = new NodePicker(this.o.urls);
    this.prefs = new TransportPreference(this.o.transports);
    this.publishes = new PublishQueue(this.o.publishTimeoutMs);
  }

  get state(): ClientState {
    return this._state;
  }

  /** Transport of the open connection, or null while not connected. */
  get transport(): ClientTransport | null {
    return this.current?.transport ?? null;
  }

  /** Node id (from the welcome frame) of the open connection, or null while not connected. */
  get node(): string | null {
    return this.current?.node ?? null;
  }

  /** Starts connecting (once; later calls do nothing). Throws after close(). */
  connect(): void {
    if (this.isClosed()) throw new Error('RealtimeClient.connect: the client is closed; create a new one');
    if (this._state !== 'idle') return;
    this.setState('connecting');
    this.attemptNow();
  }

  /** Stops everything (timers, sockets, polls, requests); pending publishes are rejected. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.restartTimer);
    const conn = this.conn;
    this.dropCurrent();
    this.closing = conn ? conn.close() : Promise.resolve();
    this.publishes.failAll(new Error('RealtimeClient was closed before the publish was acknowledged'));
    this.setState('closed');
    return this.closing;
  }

  /** Subscribes `channel` (from now), now and on every reconnect. Throws on an invalid name. */
  subscribe(channel: string): void {
    checkChannel(channel, 'RealtimeClient.subscribe');
    if (this.channels.has(channel)) return;
    this.channels.add(channel);
    const conn = this.conn;
    if (!conn) return; // the next attempt opens with it
    if (!conn.liveSubscribe) return this.scheduleRestart();
    if (this.current) {
      this.seqs.expect(channel);
      conn.subscribe(channel, undefined);
    }
  }

  /** Stops delivering `channel` and forgets its position. */
  unsubscribe(channel: string): void {
    if (!this.channels.delete(channel)) return;
    this.seqs.forget(channel);
    const conn = this.conn;
    if (!conn) return;
    if (!conn.liveSubscribe) return this.scheduleRestart();
    if (this.current) conn.unsubscribe(channel);
  }

  /**
   * Publishes `data` on `channel`. Always carries an id (the caller's or a random UUID) and
   * is retried with it across reconnects until `publishTimeoutMs`. Resolves with the seq;
   * `duplicate` when the server had already accepted this id (an earlier call, or an
   * earlier attempt of this one whose answer was lost). Rejects on timeout, on a
   * `bad_request` / `too_large` answer, or when the client closes.
   */
  publish(channel: string, data: unknown, opts?: { id?: string; ephemeral?: boolean }): Promise<PublishResult> {
    try {
      checkChannel(channel, 'RealtimeClient.publish');
    } catch (err) {
      return Promise.reject(err as Error);
    }
    if (this.isClosed()) return Promise.reject(new Error(`RealtimeClient.publish to ${channel}: the client is closed`));
    const id = opts?.id ?? randomUUID();
    // The server would refuse the whole frame, and a WebSocket error for an unparsable
    // frame cannot carry our ref: check here, so the caller hears it at once.
    if (typeof id !== 'string' || id.length < 1 || id.length > 64) {
      return Promise.reject(new Error(`RealtimeClient.publish to ${channel}: id must be a string of 1 to 64 characters (got ${typeof id === 'string' ? `${id.length} characters` : typeof id})`));
    }
    return this.publishes.add(channel, data, id, opts?.ephemeral === true);
  }

  /** Sets this user's presence; applied again after every reconnect. */
  setPresence(state: 'online' | 'away'): void {
    if (state !== 'online' && state !== 'away') throw new Error(`RealtimeClient.setPresence: state ${JSON.stringify(state)} must be "online" or "away"`);
    this.presenceState = state;
    if (this.current) this.conn?.presence(state);
  }

  /** A copy of the positions: channel → last seq delivered to the app. */
  positions(): Map<string, number> {
    return this.seqs.snapshot();
  }

  on(event: 'message', fn: (m: ClientMessage) => void): () => void;
  on(event: 'state', fn: (s: ClientState) => void): () => void;
  on(event: 'gap', fn: (g: ClientEvents['gap']) => void): () => void;
  on(event: 'drain', fn: (info: ClientEvents['drain']) => void): () => void;
  on(event: 'error', fn: (err: Error) => void): () => void;
  on<K extends keyof ClientEvents>(event: K, fn: (value: ClientEvents[K]) => void): () => void {
    return this.listeners.on(event, fn);
  }

  // ---- connection lifecycle ----

  private attemptNow(): void {
    this.reconnectTimer = undefined;
    const now = Date.now();
    this.open(this.picker.pick(now), this.prefs.order(now), 0);
  }

  /** Opens `transports[i]` to `url`; on a transport failure the next one is tried. */
  private open(url: string, transports: ClientTransport[], i: number): void {
    this.drainHint = null;
    const params = {
      baseUrl: url,
      user: this.o.user,
      channels: [...this.channels].map((c) => [c, this.seqs.get(c)] as const),
      connectTimeoutMs: this.o.connectTimeoutMs,
    };
    const conn = OPENERS[transports[i]](params, {
      open: (w) => this.conn === conn && this.onOpen(conn, w),
      frame: (f) => this.conn === conn && this.onFrame(conn, f),
      end: (e) => this.conn === conn && this.onEnd(conn, e, transports, i),
    });
    this.conn = conn;
  }

  private onOpen(conn: Connection, w: WelcomeFrame): void {
    this.current = { node: w.node, transport: conn.transport };
    this.everConnected = true;
    this.prefs.worked(conn.transport);
    // Every channel resubscribes; its messages wait for its `subscribed` frame.
    for (const ch of this.channels) this.seqs.expect(ch);
    if (conn.liveSubscribe) for (const ch of this.channels) conn.subscribe(ch, this.seqs.get(ch));
    if (this.presenceState) conn.presence(this.presenceState);
    this.stableTimer = setTimeout(() => (this.attempt = 0), STABLE_MS);
    this.publishes.attach((p) => conn.publish(p));
    this.setState('connected');
  }

  private onFrame(conn: Connection, f: ServerFrame): void {
    switch (f.type) {
      case 'subscribed': {
        if (!this.channels.has(f.channel)) return;
        const { gap, reset } = this.seqs.subscribed(f.channel, f.seq, f.gap);
        if (gap) this.listeners.emit('gap', { channel: f.channel, from: gap.from, to: gap.to });
        if (reset && this.conn === conn) this.resync(conn, f.channel);
        return;
      }
      case 'message': {
        if (!this.channels.has(f.channel) || !Number.isSafeInteger(f.seq)) return;
        const verdict = this.seqs.message(f.channel, f.seq);
        if (verdict === 'deliver') this.listeners.emit('message', { channel: f.channel, seq: f.seq, data: f.data, ts: f.ts, id: f.id });
        else if (verdict === 'resync') this.resync(conn, f.channel);
        return;
      }
      case 'ack':
        this.publishes.ack(f.ref, f.seq, f.duplicate);
        return;
      case 'error':
        if (f.ref !== undefined && this.publishes.error(f.ref, f.code, f.message)) return;
        if (f.code === 'not_subscribed') return; // an unsubscribe that crossed a resubscribe
        this.listeners.emit('error', new Error(`${conn.transport} ${conn.baseUrl}: server error ${f.code}: ${f.message}`));
        // A subscription the node could not set up (its bus is down): leave, try elsewhere.
        if (f.code === 'unavailable' && this.seqs.pending && this.conn === conn) {
          void conn.close();
          const message = `${conn.transport} ${conn.baseUrl}: left the node, it could not set up a subscription`;
          this.onEnd(conn, { opened: true, kind: 'unreachable', retryAfterMs: null, message }, [conn.transport], 0);
        }
        return;
      case 'drain':
        this.drainHint = f.reconnectAfterMs;
        this.picker.avoid(conn.baseUrl, Date.now());
        this.listeners.emit('drain', { node: this.current?.node ?? null, reconnectAfterMs: f.reconnectAfterMs });
        return;
    }
  }

  /**
   * Subscribes `channel` again from its position: after a message skipped ahead without a
   * gap frame (it was dropped; what is missing is replayed first), or after a history reset.
   */
  private resync(conn: Connection, channel: string): void {
    this.seqs.expect(channel);
    if (!conn.liveSubscribe) return this.scheduleRestart();
    conn.unsubscribe(channel);
    conn.subscribe(channel, this.seqs.get(channel));
  }

  private onEnd(conn: Connection, e: ConnectionEnd, transports: ClientTransport[], i: number): void {
    const now = Date.now();
    const hint = this.drainHint;
    const node = this.current?.node ?? null;
    // Before the queue forgets what was in flight: one of those frames was too big.
    if (e.kind === 'too_large') this.publishes.rejectLargestInFlight('the server closed the WebSocket with 1009 (message too big)');
    this.dropCurrent();
    if (!e.opened && e.kind === 'transport') {
      this.prefs.failed(transports[i], now);
      this.listeners.emit('error', new Error(e.message));
      if (this.isClosed()) return;
      if (i + 1 < transports.length) return this.open(conn.baseUrl, transports, i + 1);
    } else if (e.kind !== 'unavailable') {
      this.listeners.emit('error', new Error(e.message));
    }
    if (e.kind === 'unavailable' || hint !== null) this.picker.avoid(conn.baseUrl, now);
    this.picker.advance();
    // After a drain, the server's jittered hint replaces the backoff (it already spreads
    // the node's clients); a failed attempt backs off.
    const serverHint = e.opened ? (hint ?? e.retryAfterMs) : null;
    const delay = serverHint ?? backoffDelay(this.attempt++, this.o.backoff);
    // A node may say "drain" with its close alone (long-poll 503, WebSocket 1001): the app
    // hears of it the same way as of a drain frame.
    if (e.opened && e.kind === 'unavailable' && hint === null) this.listeners.emit('drain', { node, reconnectAfterMs: delay });
    this.setState(this.everConnected ? 'reconnecting' : 'connecting');
    if (this.isClosed()) return;
    this.reconnectTimer = setTimeout(() => this.attemptNow(), delay);
  }

  /** Reopens on the same node now (a new channel list for SSE / long polling). Coalesced. */
  private scheduleRestart(): void {
    if (this.restartTimer) return;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      const old = this.conn;
      if (!old || this.isClosed()) return;
      this.dropCurrent();
      void old.close();
      this.setState(this.everConnected ? 'reconnecting' : 'connecting');
      if (!this.isClosed()) this.open(old.baseUrl, this.prefs.order(Date.now()), 0);
    }, 0);
  }

  private dropCurrent(): void {
    this.conn = null;
    this.current = null;
    clearTimeout(this.stableTimer);
    this.publishes.detach();
  }

  /** Read through a method: listeners may close the client during any emit. */
  private isClosed(): boolean {
    return this._state === 'closed';
  }

  /** `closed` is final: a listener that closed the client mid-way is not overridden. */
  private setState(s: ClientState): void {
    if (this._state === s || this._state === 'closed') return;
    this._state = s;
    this.listeners.emit('state', s);
  }
}
