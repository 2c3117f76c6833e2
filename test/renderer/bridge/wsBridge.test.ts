// @vitest-environment jsdom
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { BridgeStatus, SocketFactory } from '../../../src/renderer/src/bridge';
import { BRIDGE_PROTOCOL, WsBridge } from '../../../src/renderer/src/bridge';
import type { LiveFrame } from '../../../src/shared/api';
import { frame, node } from '../helpers/frames';

const TOKEN = 'test-token-0123456789abcdef';

/** A small bridge server speaking the serve-mode protocol; each test says how it answers. */
class TestServer {
  readonly wss: WebSocketServer;
  readonly sockets = new Set<WebSocket>();
  readonly requests: { id: number; op: string; arg?: unknown }[] = [];
  readonly offered: string[][] = [];
  answer: (op: string, arg: unknown) => unknown | null = (op) => ({ ok: true, value: op });
  /** The token this server takes (a restarted serve mode has a new one). */
  static acceptToken = TOKEN;

  private constructor(wss: WebSocketServer) {
    this.wss = wss;
    wss.on('connection', (ws) => {
      this.sockets.add(ws);
      ws.on('close', () => this.sockets.delete(ws));
      ws.on('message', (data) => {
        const req = JSON.parse(String(data)) as { id: number; op: string; arg?: unknown };
        this.requests.push(req);
        const result = this.answer(req.op, req.arg);
        if (result !== null) ws.send(JSON.stringify({ kind: 'result', id: req.id, result }));
      });
    });
  }

  static async start(): Promise<TestServer> {
    let self: TestServer | null = null;
    const wss = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      handleProtocols: (offered) => {
        self?.offered.push([...offered]);
        return offered.has(BRIDGE_PROTOCOL) ? BRIDGE_PROTOCOL : false;
      },
      verifyClient: (info: { req: { headers: Record<string, string | string[] | undefined> } }, cb: (ok: boolean, code?: number) => void) => {
        const protocols = String(info.req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
        cb(protocols.includes(`switchboard.${TestServer.acceptToken}`), 403);
      },
    });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    self = new TestServer(wss);
    return self;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}/bridge`;
  }

  push(f: LiveFrame): void {
    for (const ws of this.sockets) ws.send(JSON.stringify({ kind: 'frame', frame: f }));
  }

  dropAll(): void {
    for (const ws of this.sockets) ws.terminate();
  }

  close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    return new Promise((r) => this.wss.close(() => r()));
  }
}

/** The `ws` package's client as the bridge's socket (jsdom has no server to talk to). */
const createSocket: SocketFactory = (url, protocols) => new WebSocket(url, protocols);

async function until(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let server: TestServer | null = null;
let bridge: WsBridge | null = null;
afterEach(async () => {
  TestServer.acceptToken = TOKEN;
  bridge?.stop();
  await server?.close();
  bridge = null;
  server = null;
});

describe('WsBridge', () => {
  it('opens with the token as a subprotocol (plus the plain one, so it is not echoed), gets frames and answers', async () => {
    server = await TestServer.start();
    bridge = new WsBridge({ url: server.url, token: TOKEN, createSocket });
    const states: BridgeStatus['state'][] = [];
    bridge.onStatus((s) => states.push(s.state));
    const frames: LiveFrame[] = [];
    bridge.onFrame((f) => frames.push(f));
    bridge.start();
    await until(() => bridge!.status().state === 'open', 5000, 'open');
    expect(server.offered[0]).toEqual(['switchboard', `switchboard.${TOKEN}`]);
    expect(states).toEqual(['connecting', 'open']);

    server.push(frame([node('gw-1')], { seq: 42 }));
    await until(() => frames.length === 1, 5000, 'a frame');
    expect(frames[0].seq).toBe(42);
    expect(frames[0].nodes[0].id).toBe('gw-1');

    server.answer = (op, arg) => ({ ok: true, value: { metric: (arg as { metric: string }).metric, fromMs: 1, toMs: 2, lines: [], op } });
    const r = await bridge.getSeries({ metric: 'lag', fromMs: 1, toMs: 2, width: 300 });
    expect(r).toEqual({ ok: true, value: { metric: 'lag', fromMs: 1, toMs: 2, lines: [], op: 'getSeries' } });
    server.answer = () => ({ ok: false, code: 'invalid', message: 'limit: too big' });
    expect(await bridge.getTimeline({ limit: 5000 })).toEqual({ ok: false, code: 'invalid', message: 'limit: too big' });
    // getInventory takes no argument: none is sent.
    server.answer = () => ({ ok: true, value: 'inv' });
    await bridge.getInventory();
    expect(server.requests.map((q) => q.op)).toEqual(['getSeries', 'getTimeline', 'getInventory']);
    expect(server.requests[2]).toEqual({ id: server.requests[2].id, op: 'getInventory' });
    expect(server.requests[0].arg).toEqual({ metric: 'lag', fromMs: 1, toMs: 2, width: 300 });
  });

  it('when the link drops: pending requests resolve unavailable, it says when it retries, and reconnects', async () => {
    server = await TestServer.start();
    bridge = new WsBridge({ url: server.url, token: TOKEN, createSocket, initialRetryMs: 200 });
    const seen: BridgeStatus[] = [];
    bridge.onStatus((s) => seen.push(s));
    bridge.start();
    await until(() => bridge!.status().state === 'open', 5000, 'open');
    server.answer = () => null; // never answers
    const pending = bridge.getTimeline({});
    await until(() => server!.requests.length === 1, 5000, 'the request');
    const droppedAt = Date.now();
    server.dropAll();
    expect(await pending).toEqual({ ok: false, code: 'unavailable', message: 'the link to the console dropped' });
    const lost = seen.find((s) => s.state === 'lost');
    expect(lost).toBeDefined();
    if (lost?.state !== 'lost') throw new Error('no lost state');
    expect(lost.attempt).toBe(1);
    // First retry after 200 ms ± 20%.
    expect(lost.retryAt - droppedAt).toBeGreaterThanOrEqual(150);
    expect(lost.retryAt - droppedAt).toBeLessThanOrEqual(300);
    // A request while the link is down does not wait: it is answered at once.
    expect(await bridge.getInventory()).toEqual({ ok: false, code: 'unavailable', message: 'not connected to the console' });
    await until(() => bridge!.status().state === 'open', 5000, 'reopened');
    const frames: LiveFrame[] = [];
    bridge.onFrame((f) => frames.push(f));
    server.push(frame([node('gw-2')], { seq: 7 }));
    await until(() => frames.length === 1, 5000, 'a frame after the reconnect');
    expect(frames[0].nodes[0].id).toBe('gw-2');
  });

  it('a refused token is "refused", not "lost": the page needs a new link', async () => {
    server = await TestServer.start();
    bridge = new WsBridge({ url: server.url, token: 'wrong-token-0123456789', createSocket, initialRetryMs: 5000 });
    const frames: LiveFrame[] = [];
    bridge.onFrame((f) => frames.push(f));
    bridge.start();
    await until(() => bridge!.status().state === 'refused', 5000, 'refused');
    expect(server.sockets.size).toBe(0);
    expect(frames).toEqual([]);
  });

  it('after a drop, a console that no longer takes the token (it restarted) makes the link "refused", via the probe', async () => {
    server = await TestServer.start();
    const probes: string[] = [];
    const probe = async () => {
      const answer = TestServer.acceptToken === TOKEN ? ('accepted' as const) : ('refused' as const);
      probes.push(answer);
      return answer;
    };
    bridge = new WsBridge({ url: server.url, token: TOKEN, createSocket, initialRetryMs: 50, maxRetryMs: 100, probe });
    bridge.start();
    await until(() => bridge!.status().state === 'open', 5000, 'open');
    // A plain drop: the server is still there and still takes us: lost, then open again.
    server.dropAll();
    await until(() => bridge!.status().state === 'lost', 5000, 'lost');
    await until(() => bridge!.status().state === 'open', 5000, 'open again');
    expect(probes).toEqual([]);
    TestServer.acceptToken = 'a-new-token-after-a-restart';
    server.dropAll();
    await until(() => bridge!.status().state === 'refused', 5000, 'refused');
    expect(probes).toContain('refused');
  });

  it('answers unavailable when the console is silent past the request timeout', async () => {
    server = await TestServer.start();
    bridge = new WsBridge({ url: server.url, token: TOKEN, createSocket, requestTimeoutMs: 150 });
    bridge.start();
    await until(() => bridge!.status().state === 'open', 5000, 'open');
    server.answer = () => null;
    const t0 = Date.now();
    const r = await bridge.getSeries({ metric: 'connections', fromMs: 1, toMs: 2, width: 10 });
    expect(r).toEqual({ ok: false, code: 'unavailable', message: 'getSeries: no answer from the console within 150 ms' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('ignores garbage from the server and stops reconnecting once stopped', async () => {
    server = await TestServer.start();
    bridge = new WsBridge({ url: server.url, token: TOKEN, createSocket, initialRetryMs: 50 });
    const frames: LiveFrame[] = [];
    bridge.onFrame((f) => frames.push(f));
    bridge.start();
    await until(() => bridge!.status().state === 'open', 5000, 'open');
    for (const ws of server.sockets) {
      ws.send('not json');
      ws.send(JSON.stringify({ kind: 'frame' }));
      ws.send(JSON.stringify({ kind: 'result', id: 'x' }));
    }
    server.push(frame([node('gw-3')]));
    await until(() => frames.length === 1, 5000, 'the good frame');
    bridge.stop();
    await until(() => server!.sockets.size === 0, 5000, 'closed');
    await new Promise((r) => setTimeout(r, 300));
    expect(server.sockets.size).toBe(0);
  });
});
