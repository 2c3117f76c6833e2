import type { ServerFrame } from '../protocol/frames';
import type { ClientTransport } from './clientOptions';
import type { Connection, ConnectionHandlers, EndKind, OpenParams, WelcomeFrame, WirePublish } from './connection';

/**
 * What every transport shares: the connect deadline (welcome within `connectTimeoutMs`),
 * the silence watchdog, and reporting the end exactly once. Subclasses feed frames through
 * {@link receive}, signs of life through {@link alive}, and failures through {@link fail}.
 */
export abstract class ConnectionBase implements Connection {
  abstract readonly transport: ClientTransport;
  abstract readonly liveSubscribe: boolean;
  readonly baseUrl: string;
  protected welcome: WelcomeFrame | null = null;
  /** Ended or closed: nothing more is reported, every callback is ignored. */
  protected done = false;
  private connectTimer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private closing: Promise<void> | null = null;

  constructor(
    protected readonly params: OpenParams,
    private readonly handlers: ConnectionHandlers,
  ) {
    this.baseUrl = params.baseUrl;
    this.connectTimer = setTimeout(() => this.fail('transport', `no welcome frame within ${params.connectTimeoutMs} ms`), params.connectTimeoutMs);
  }

  get opened(): boolean {
    return this.welcome !== null;
  }

  abstract subscribe(channel: string, since: number | undefined): void;
  abstract unsubscribe(channel: string): void;
  abstract publish(p: WirePublish): void;
  abstract presence(state: 'online' | 'away'): void;
  /** Releases sockets and requests at once, reporting nothing (after a failure). */
  protected abstract teardown(): void;
  /** Closes politely (close handshake, session delete); resolves when done. */
  protected abstract shutdown(): Promise<void>;
  /**
   * How long the connection may stay completely silent once open before it is declared
   * dead, or null when the transport polices liveness itself (long polling).
   */
  protected abstract silenceLimitMs(welcome: WelcomeFrame): number | null;

  /** Hands one frame on; the first one must be the welcome. */
  protected receive(frame: ServerFrame): void {
    if (this.done) return;
    if (this.welcome) return this.handlers.frame(frame);
    if (frame.type !== 'welcome') return this.fail('transport', `expected a welcome frame first, got "${frame.type}"`);
    this.welcome = frame;
    clearTimeout(this.connectTimer);
    const limit = this.silenceLimitMs(frame);
    if (limit !== null) this.watchdog = setTimeout(() => this.fail('unreachable', `nothing received for ${limit} ms (3 heartbeats)`), limit);
    this.handlers.open(frame);
  }

  /** Any byte, frame or ping arrived: the link is alive. */
  protected alive(): void {
    this.watchdog?.refresh();
  }

  /** Ends the connection because of `kind`; reported once, never after close(). */
  protected fail(kind: EndKind, message: string, retryAfterMs: number | null = null): void {
    if (this.done) return;
    this.stop();
    this.teardown();
    this.handlers.end({ opened: this.opened, kind, retryAfterMs, message: `${this.transport} ${this.baseUrl}: ${message}` });
  }

  close(): Promise<void> {
    if (this.closing) return this.closing;
    const failed = this.done;
    this.stop();
    this.closing = failed ? Promise.resolve() : this.shutdown();
    return this.closing;
  }

  private stop(): void {
    this.done = true;
    clearTimeout(this.connectTimer);
    clearTimeout(this.watchdog);
  }
}
