import WebSocket from 'ws';
import type { ClientFrame } from '../protocol/frames';
import type { ConnectionHandlers, EndKind, OpenParams, WelcomeFrame, WirePublish } from './connection';
import { isUnreachable, parseFrame, retryAfterMs } from './connection';
import { ConnectionBase } from './connectionBase';

/** How long close() waits for the server's half of the close handshake. */
const CLOSE_WAIT_MS = 1000;

/** A WebSocket connection (`ws://host/ws?user=U`); subscriptions change on the open socket. */
export class WsConnection extends ConnectionBase {
  readonly transport = 'ws';
  readonly liveSubscribe = true;
  private readonly ws: WebSocket;

  constructor(params: OpenParams, handlers: ConnectionHandlers) {
    super(params, handlers);
    const url = new URL(`${params.baseUrl}/ws`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = new URLSearchParams({ user: params.user }).toString();
    const ws = new WebSocket(url, { perMessageDeflate: false, followRedirects: false });
    this.ws = ws;
    // Any answer but 101: a draining node says 503; anything else means this path does
    // not carry WebSockets (a proxy's 400/403/426), so the next transport may.
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      const hint = retryAfterMs(res.headers['retry-after']);
      this.fail(status === 503 ? 'unavailable' : 'transport', `upgrade answered ${status} instead of 101`, status === 503 ? hint : null);
    });
    ws.on('message', (data, isBinary) => {
      this.alive();
      const frame = isBinary ? null : parseFrame(data.toString());
      if (frame) this.receive(frame);
    });
    // ws answers pings by itself; a ping is also the server's sign of life.
    ws.on('ping', () => this.alive());
    ws.on('error', (err) => {
      const kind: EndKind = this.opened || isUnreachable(err) ? 'unreachable' : 'transport';
      this.fail(kind, `socket error: ${err.message}`);
    });
    ws.on('close', (code, reason) => {
      const text = reason.toString();
      this.fail(closeKind(code, this.opened), `closed with code ${code}${text ? ` (${text})` : ''}`);
    });
  }

  subscribe(channel: string, since: number | undefined): void {
    this.send(since === undefined ? { type: 'subscribe', channel } : { type: 'subscribe', channel, since });
  }

  unsubscribe(channel: string): void {
    this.send({ type: 'unsubscribe', channel });
  }

  publish(p: WirePublish): void {
    this.send({ type: 'publish', channel: p.channel, data: p.data ?? null, id: p.id, ref: p.ref, ...(p.ephemeral ? { ephemeral: true } : {}) });
  }

  presence(state: 'online' | 'away'): void {
    this.send({ type: 'presence', state });
  }

  /** Frames sent while the socket is not open are dropped: the client redoes its state on the next open. */
  private send(frame: ClientFrame): void {
    if (!this.done && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  protected silenceLimitMs(welcome: WelcomeFrame): number {
    return 3 * welcome.heartbeatMs;
  }

  protected teardown(): void {
    this.ws.terminate();
  }

  protected shutdown(): Promise<void> {
    const ws = this.ws;
    if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const force = setTimeout(() => {
        ws.terminate();
        resolve();
      }, CLOSE_WAIT_MS);
      ws.once('close', () => {
        clearTimeout(force);
        resolve();
      });
      if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'client');
      else if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    });
  }
}

/** Close codes of docs/fleet-contract.md: 1001 drain/shutdown, 1013 full, 1009 too big. */
function closeKind(code: number, opened: boolean): EndKind {
  if (code === 1001 || code === 1013) return 'unavailable';
  if (code === 1009) return 'too_large';
  return opened ? 'unreachable' : 'transport';
}
