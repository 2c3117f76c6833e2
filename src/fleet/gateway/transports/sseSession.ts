import type { ServerResponse } from 'node:http';
import type { BusMessage } from '../bus/bus';
import { formatPositions } from '../../protocol/frames';
import type { CloseReason } from '../ops/gatewayMetrics';
import type { OutFrame, SessionHost } from '../session';
import { Session } from '../session';

/** An SSE connection: frames are events named after their `type`; ids carry the positions. */
export class SseSession extends Session {
  private lastBuffered = 0;

  constructor(host: SessionHost, sid: string, user: string, readonly res: ServerResponse) {
    super(host, sid, user, 'sse');
  }

  bufferedBytes(): number {
    return this.res.writableLength;
  }

  protected write(frame: OutFrame, msg?: BusMessage): void {
    const text = frame.text;
    // Frames are serialized with `type` first: {"type":"message",...}
    const type = text.slice(9, text.indexOf('"', 9));
    const id = msg && msg.seq !== 0 ? `id: ${formatPositions(this.positions())}\n` : '';
    this.res.write(`${id}event: ${type}\ndata: ${text}\n\n`);
  }

  heartbeat(): boolean {
    const buffered = this.res.writableLength;
    // Alive while the socket drains; a socket that took nothing for two beats is a zombie.
    if (buffered > 0 && buffered >= this.lastBuffered) this.missed++;
    else this.missed = 0;
    this.lastBuffered = buffered;
    if (this.missed >= 2) return false;
    this.res.write(': hb\n\n');
    return true;
  }

  private drainSent = false;

  notifyDrain(reconnectAfterMs: number): void {
    if (this.drainSent || this.res.writableEnded) return;
    this.drainSent = true;
    this.res.write(`retry: ${reconnectAfterMs}\nevent: drain\ndata: ${JSON.stringify({ type: 'drain', reconnectAfterMs })}\n\n`);
  }

  protected terminate(reason: CloseReason, reconnectAfterMs: number): void {
    if (reason === 'heartbeat_timeout' || reason === 'slow_consumer') return void this.res.destroy();
    // A node going away tells SSE clients in their words: a drain event with a retry hint.
    if (reason === 'drain' || reason === 'shutdown') this.notifyDrain(reconnectAfterMs || 1000);
    this.res.end();
  }

  destroy(): void {
    this.res.destroy();
  }
}
