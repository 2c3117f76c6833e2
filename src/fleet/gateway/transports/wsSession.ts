import type WebSocket from 'ws';
import type { CloseReason } from '../ops/gatewayMetrics';
import type { OutFrame, SessionHost } from '../session';
import { Session } from '../session';

/** WebSocket close codes per close reason (see docs/fleet-contract.md). */
export const WS_CLOSE: Record<CloseReason, number> = {
  client: 1000,
  drain: 1001,
  shutdown: 1001,
  heartbeat_timeout: 4000,
  slow_consumer: 4008,
  error: 4400,
  auth: 4401,
};

export class WsSession extends Session {
  private awaitingPong = false;

  constructor(host: SessionHost, sid: string, user: string, readonly ws: WebSocket) {
    super(host, sid, user, 'ws');
    ws.on('pong', () => {
      this.awaitingPong = false;
      this.missed = 0;
    });
  }

  bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  protected write(frame: OutFrame): void {
    // One UTF-8 encoding per message, shared by every socket of the fan-out.
    frame.bytes ??= Buffer.from(frame.text);
    this.ws.send(frame.bytes, { binary: false });
  }

  heartbeat(): boolean {
    if (this.awaitingPong && ++this.missed >= 2) return false;
    this.awaitingPong = true;
    this.ws.ping();
    return true;
  }

  notifyDrain(reconnectAfterMs: number): void {
    this.send({ type: 'drain', reconnectAfterMs });
  }

  protected terminate(reason: CloseReason): void {
    this.ws.close(WS_CLOSE[reason], reason);
    // A zombie, a client far behind, or a node going away: do not wait long for the close handshake.
    if (reason !== 'client') setTimeout(() => this.ws.terminate(), 1000).unref();
  }

  destroy(): void {
    this.ws.terminate();
  }
}
