import WebSocket from 'ws';
import { waitFor } from './ports';

/** Any server frame, loosely typed for assertions. */
export type Frame = { type: string; [k: string]: unknown };

/** A raw protocol client for tests: records every frame and the close code. */
export class WsProbe {
  readonly frames: Frame[] = [];
  closeCode: number | null = null;
  closeReason = '';
  readonly ws: WebSocket;
  readonly opened: Promise<void>;

  constructor(url: string, opts: WebSocket.ClientOptions = {}) {
    this.ws = new WebSocket(url, opts);
    this.ws.on('message', (d) => this.frames.push(JSON.parse(d.toString()) as Frame));
    this.ws.on('close', (code, reason) => {
      this.closeCode = code;
      this.closeReason = reason.toString();
    });
    this.ws.on('error', () => {});
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade answered ${res.statusCode}`)));
      this.ws.once('error', reject);
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  of(type: string): Frame[] {
    return this.frames.filter((f) => f.type === type);
  }

  /** Seqs of `message` frames on a channel, in arrival order. */
  seqs(channel: string): number[] {
    return this.of('message').filter((f) => f.channel === channel).map((f) => f.seq as number);
  }

  waitFrame(pred: (f: Frame) => boolean, timeoutMs = 5000, what = 'frame'): Promise<Frame> {
    return waitFor(() => this.frames.find(pred), timeoutMs, what);
  }

  waitClosed(timeoutMs = 5000): Promise<number> {
    return waitFor(() => this.closeCode, timeoutMs, 'close');
  }

  close(): void {
    this.ws.terminate();
  }
}

/** 1..n */
export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
