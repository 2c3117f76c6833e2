import { EventEmitter } from 'node:events';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import type { Bus, BusMessage, PublishResult } from './bus/bus';
import { ChannelRouter, messageFrame } from './channelRouter';
import type { GatewayConfig } from './config';
import { Drainer } from './drainer';
import type { DrainStatus } from './drainer';
import { EventLog } from './ops/eventLog';
import type { LifecycleKind } from './ops/eventLog';
import { GatewayMetrics } from './ops/gatewayMetrics';
import type { CloseReason } from './ops/gatewayMetrics';
import { PresenceTracker } from './presenceTracker';
import type { Session, SessionHost, Transport } from './session';
import { createClientServer } from './transports/clientServer';
import { createOpsServer } from './ops/opsServer';
import { VitalsSampler } from './ops/vitalsSampler';

export type NodeState = 'serving' | 'draining' | 'drained';

/** `/admin/status` answer. */
export interface NodeStatus {
  node: string;
  bootId: string;
  version: string;
  state: NodeState;
  accepting: boolean;
  connections: Record<Transport, number>;
  limit: number;
  uptimeSeconds: number;
  drain: DrainStatus | null;
}

/**
 * One realtime gateway node: client port (WebSocket, SSE, long polling, publish) and
 * ops port (metrics, events, admin). Emits `exit` with 'restart' when a restart was
 * asked for and the node has drained and stopped: its supervisor starts a fresh one.
 */
export class GatewayNode extends EventEmitter implements SessionHost {
  readonly bootId = randomBytes(6).toString('hex');
  readonly startedAt = Date.now();
  readonly log: pino.Logger;
  readonly metrics: GatewayMetrics;
  readonly events: EventLog;
  readonly presence: PresenceTracker;
  readonly router: ChannelRouter;
  readonly drainer: Drainer;
  readonly sessions = new Map<string, Session>();
  readonly counts: Record<Transport, number> = { ws: 0, sse: 0, longpoll: 0 };
  /**
   * Reconnect hints of long-poll sessions closed by a drain between two polls: their
   * next poll gets the session's own jittered hint. Bounded (oldest forgotten first).
   */
  readonly drainHints = new Map<string, number>();
  state: NodeState = 'serving';
  private restartAfterDrain = false;
  private stopped = false;
  private clientServer: Server | undefined;
  private opsServer: Server | undefined;
  private timers: NodeJS.Timeout[] = [];
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });

  constructor(readonly config: GatewayConfig, readonly bus: Bus, logger?: pino.Logger) {
    super();
    this.log = (logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info' })).child({ node: config.nodeId, bootId: this.bootId });
    this.metrics = new GatewayMetrics({ nodeId: config.nodeId, region: config.region, version: config.version, bootId: this.bootId }, config.maxConnections, {
      connections: () => ({ ...this.counts }),
      draining: () => this.state !== 'serving',
      accepting: () => this.accepting,
      busConnected: () => this.bus.connected,
      presence: () => this.presence.summary(),
      drainRemaining: () => (this.state === 'serving' ? 0 : this.sessions.size),
    });
    this.presence = new PresenceTracker(config.presenceIdleMs, (to) => this.metrics.presenceTransitions.inc({ to }));
    this.router = new ChannelRouter(bus, config.history.maxMessages, (m) => this.log.warn(m), (t, n, ts, now) => this.metrics.delivered(t, n, ts, now));
    const vitals = new VitalsSampler(this, this.loopDelay);
    this.events = new EventLog(this.bootId, () => vitals.snapshot(), config.eventLogSize);
    this.drainer = new Drainer({
      sessions: () => this.sessions.values(),
      sessionCount: () => this.sessions.size,
      progress: (remaining, rate) => this.lifecycle('drain_progress', { remaining, disconnectRatePerSecond: rate }),
      done: (forced) => this.drained(forced),
    });
    bus.onMessage((m) => this.onBusMessage(m));
    bus.onLink((up) => {
      this.lifecycle(up ? 'bus_up' : 'bus_down', { bus: bus.kind });
      if (up) this.router.resync();
    });
    this.timers.push(setInterval(() => this.events.emit('vitals', vitals.sample()), config.vitalsIntervalMs));
  }

  get accepting(): boolean {
    return this.state === 'serving' && !this.stopped;
  }

  get bufferCapBytes(): number {
    return this.config.bufferCapBytes;
  }

  get clientPort(): number {
    return (this.clientServer?.address() as AddressInfo).port;
  }

  get opsPort(): number {
    return (this.opsServer?.address() as AddressInfo).port;
  }

  async start(): Promise<void> {
    await this.bus.start();
    this.loopDelay.enable();
    this.clientServer = createClientServer(this);
    this.opsServer = createOpsServer(this);
    await Promise.all([
      listen(this.clientServer, this.config.port, this.config.host),
      listen(this.opsServer, this.config.opsPort, this.config.opsHost),
    ]);
    this.events.start();
    this.timers.push(setInterval(() => this.heartbeat(), this.config.heartbeatMs));
    this.timers.push(setInterval(() => this.presenceTick(), 1000));
    for (const t of this.timers) t.unref();
    this.lifecycle('started', { clientPort: this.clientPort, opsPort: this.opsPort, bus: this.bus.kind });
  }

  // ---- sessions ----

  newSid(): string {
    return randomUUID();
  }

  /** Registers an opened session; the transport has already been admitted. */
  opened(s: Session): void {
    this.sessions.set(s.sid, s);
    this.counts[s.transport]++;
    this.metrics.tallies.opened[s.transport]++;
    this.presence.connect(s.user, Date.now());
    s.send({ type: 'welcome', node: this.config.nodeId, bootId: this.bootId, sid: s.sid, heartbeatMs: this.config.heartbeatMs });
  }

  /** Whether a new connection may be admitted now; the reason when not. */
  admission(): { ok: true } | { ok: false; status: number; reason: string } {
    if (!this.accepting) return { ok: false, status: 503, reason: 'node is draining' };
    if (this.sessions.size >= this.config.maxConnections) return { ok: false, status: 503, reason: `connection limit of ${this.config.maxConnections} reached` };
    return { ok: true };
  }

  closed(s: Session, reason: CloseReason): void {
    if (!this.sessions.delete(s.sid)) return;
    this.counts[s.transport]--;
    this.metrics.tallies.close(s.transport, reason);
    if (reason === 'heartbeat_timeout') this.metrics.tallies.heartbeatTimeouts[s.transport]++;
    for (const ch of s.subs.keys()) this.router.remove(ch, s);
    if (this.presence.disconnect(s.user)) void this.bus.presenceRemove(this.config.nodeId, [s.user]).catch(() => {});
    if (this.state === 'draining' && this.drainer.status) this.drainer.status.remaining = this.sessions.size;
  }

  delivered(transport: Transport, count: number, publishedAt: number, now: number): void {
    this.metrics.delivered(transport, count, publishedAt, now);
  }

  dropped(reason: 'buffer_full' | 'slow_consumer'): void {
    this.metrics.tallies.drop(reason);
  }

  /** Subscribes a session, replaying what it missed since `since` when given. */
  async subscribe(s: Session, channel: string, since: number | undefined): Promise<void> {
    if (s.subs.has(channel)) return;
    if (s.subs.size >= this.config.maxChannelsPerConnection) {
      s.send({ type: 'error', code: 'bad_request', message: `at most ${this.config.maxChannelsPerConnection} channels per connection` });
      return;
    }
    if (since !== undefined && !s.resumed) {
      s.resumed = true;
      this.metrics.tallies.reconnects[s.transport]++;
    }
    s.subs.set(channel, { last: since ?? 0, pending: [] });
    this.router.add(channel, s);
    try {
      if (since === undefined) {
        const latest = await this.bus.latestSeq(channel);
        const sub = s.subs.get(channel);
        if (sub) sub.last = latest;
        s.send({ type: 'subscribed', channel, seq: latest, recovered: false, gap: null });
        s.finishResume(channel, [], Date.now(), messageFrame);
        return;
      }
      const h = await this.bus.history(channel, since, this.config.history.maxMessages);
      if (h.gap) this.metrics.tallies.resumeGaps++;
      // A position beyond the channel's latest seq (its history was reset): start over
      // from the latest, or messages up to the stale position would be dropped as old.
      const reset = since > h.latest;
      const sub = s.subs.get(channel);
      if (reset && sub) sub.last = h.latest;
      s.send({ type: 'subscribed', channel, seq: h.latest, recovered: h.gap === null && !reset, gap: h.gap });
      this.metrics.tallies.replayed += s.finishResume(channel, h.messages, Date.now(), messageFrame);
    } catch (err) {
      s.subs.delete(channel);
      this.router.remove(channel, s);
      s.send({ type: 'error', code: 'unavailable', message: `cannot subscribe to ${channel} now: ${(err as Error).message}` });
    }
  }

  unsubscribe(s: Session, channel: string): void {
    if (!s.subs.delete(channel)) return s.send({ type: 'error', code: 'not_subscribed', message: `not subscribed to ${channel}` });
    this.router.remove(channel, s);
  }

  async publish(channel: string, data: unknown, id: string | undefined, ephemeral: boolean): Promise<PublishResult> {
    const now = Date.now();
    const result = await this.bus.publish({ channel, json: JSON.stringify(data ?? null), id: id ?? randomUUID(), ts: now, ephemeral });
    if (!result.duplicate) this.metrics.tallies.published++;
    return result;
  }

  private onBusMessage(m: BusMessage): void {
    this.metrics.busLag(m.busTs, Date.now());
    this.router.dispatch(m);
  }

  private heartbeat(): void {
    for (const s of [...this.sessions.values()]) if (!s.heartbeat()) s.close('heartbeat_timeout');
  }

  private presenceTick(): void {
    const now = Date.now();
    this.presence.sweep(now);
    const t = this.presence.takeTransitions();
    if (t) this.events.emit('presence', { ts: now, node: this.config.nodeId, ...t.counts, sample: t.sample });
    if (!this.stopped) void this.bus.presenceRefresh(this.config.nodeId, this.presence.states(), this.config.presenceTtlMs).catch(() => {});
  }

  // ---- lifecycle ----

  lifecycle(kind: LifecycleKind, detail: Record<string, unknown> = {}): void {
    this.events.emit('lifecycle', { ts: Date.now(), node: this.config.nodeId, kind, detail });
    if (kind !== 'drain_progress') this.log.info({ event: 'lifecycle', kind, ...detail }, kind);
  }

  status(): NodeStatus {
    return {
      node: this.config.nodeId,
      bootId: this.bootId,
      version: this.config.version,
      state: this.state,
      accepting: this.accepting,
      connections: { ...this.counts },
      limit: this.config.maxConnections,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      drain: this.drainer.status ? { ...this.drainer.status } : null,
    };
  }

  drain(deadlineSeconds: number, rate: number, restart: boolean): void {
    this.restartAfterDrain ||= restart;
    if (this.state === 'serving') {
      this.state = 'draining';
      this.lifecycle('drain_started', { deadlineSeconds, disconnectRatePerSecond: rate, connections: this.sessions.size, restart });
      this.drainer.start(deadlineSeconds, rate);
    } else if (this.state === 'drained' && restart) {
      this.drained(0);
    }
  }

  undrain(): void {
    if (this.state === 'serving' || this.restartAfterDrain) return;
    this.drainer.stop();
    this.state = 'serving';
    this.lifecycle('undrained', { connections: this.sessions.size });
  }

  get restarting(): boolean {
    return this.restartAfterDrain;
  }

  private drained(forced: number): void {
    this.state = 'drained';
    this.lifecycle('drained', { forced });
    if (this.restartAfterDrain) {
      this.lifecycle('restarting', {});
      // Let the admin answer and the last events reach readers before the node goes.
      setTimeout(() => void this.stop('restart').then(() => this.emit('exit', 'restart')), 200);
    }
  }

  /** Graceful stop: clients are told (close 1001 / 503) and resume elsewhere. */
  async stop(reason: 'shutdown' | 'restart' = 'shutdown'): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.drainer.stop();
    for (const s of [...this.sessions.values()]) s.close('shutdown', 500);
    if (reason === 'shutdown') this.lifecycle('shutdown', {});
    await this.bus.presenceRemove(this.config.nodeId, [...this.presence.users.keys()]).catch(() => {});
    await this.teardown();
  }

  /** Abrupt death (demo incident, tests): sockets cut, nothing said, presence left to expire. */
  async crash(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.drainer.stop();
    for (const s of this.sessions.values()) s.destroy();
    await this.teardown();
    this.emit('exit', 'crash');
  }

  private async teardown(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.loopDelay.disable();
    this.events.close();
    await Promise.all([closeServer(this.clientServer), closeServer(this.opsServer)]);
    await this.bus.close();
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
