import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type WebSocket from 'ws';
import type { ClientFrame, ServerFrame } from '../../../src/fleet/protocol/frames';

/** One WebSocket connection to a {@link ScriptedServer}, and what the client sent on it. */
export interface ScriptedWs {
  ws: WebSocket;
  received: ClientFrame[];
  openedAt: number;
  closedAt: number | null;
  send(frame: ServerFrame): void;
}

/** What a {@link ScriptedServer} does: per WebSocket connection, per frame, per HTTP request. */
export interface Script {
  onWs?: (c: ScriptedWs) => void;
  onFrame?: (c: ScriptedWs, f: ClientFrame) => void;
  /** `n`: 1-based count of HTTP requests so far, this one included. */
  onHttp?: (req: IncomingMessage, res: ServerResponse, n: number) => void;
}

/**
 * A server that speaks the gateway protocol from a script, for what a real gateway never
 * does on purpose: messages out of order, or going silent. `onWs` runs per WebSocket
 * connection and `onFrame` per frame received; `onHttp` answers plain requests (/sse, /poll).
 */
export class ScriptedServer {
  readonly ws: ScriptedWs[] = [];
  readonly requests: { url: string; at: number }[] = [];
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly wss = new WebSocketServer({ noServer: true });

  private constructor(script: Script) {
    this.server = createServer((req, res) => {
      this.requests.push({ url: req.url ?? '/', at: Date.now() });
      if (script.onHttp) script.onHttp(req, res, this.requests.length);
      else res.writeHead(404).end();
    });
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server.on('upgrade', (req, socket, head) => {
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        const c: ScriptedWs = { ws, received: [], openedAt: Date.now(), closedAt: null, send: (f) => ws.send(JSON.stringify(f)) };
        this.ws.push(c);
        ws.on('close', () => (c.closedAt = Date.now()));
        ws.on('message', (data) => {
          const f = JSON.parse(data.toString()) as ClientFrame;
          c.received.push(f);
          script.onFrame?.(c, f);
        });
        script.onWs?.(c);
      });
    });
  }

  static async start(script: Script): Promise<ScriptedServer> {
    const s = new ScriptedServer(script);
    await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
    return s;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    for (const c of this.ws) c.ws.terminate();
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The frames of a well-behaved node, for scripts. */
export const frames = {
  welcome: (heartbeatMs: number): ServerFrame => ({ type: 'welcome', node: 'scripted', bootId: 'b1', sid: `sid-${Math.random()}`, heartbeatMs }),
  subscribed: (channel: string, seq: number): ServerFrame => ({ type: 'subscribed', channel, seq, recovered: true, gap: null }),
  message: (channel: string, seq: number): ServerFrame => ({ type: 'message', channel, seq, data: { seq }, ts: Date.now(), id: `m${seq}` }),
};

/** One SSE event for a frame, as the gateway writes it. */
export function sseEvent(f: ServerFrame): string {
  return `event: ${f.type}\ndata: ${JSON.stringify(f)}\n\n`;
}
