import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { CHANNEL_RE, USER_RE, describeZodError, httpPresenceSchema, httpPublishSchema, parsePositions } from '../../protocol/frames';
import { BusUnavailableError } from '../bus/memoryBus';
import type { GatewayNode } from '../gatewayNode';
import { BodyError, readJsonBody, sendError, sendJson } from '../httpUtil';
import { TokenBucket } from '../tokenBucket';
import { FrameHandler } from './frameHandler';
import { PollSession, refuseDraining } from './pollSession';
import { SseSession } from './sseSession';
import { WsSession } from './wsSession';

/** What every transport's opening request carries: who, which channels, from where. */
interface OpenParams {
  user: string;
  channels: string[];
  positions: Map<string, number>;
}

/** The client port: /ws, /sse, /poll, /publish, /presence, /healthz, /readyz. */
export function createClientServer(node: GatewayNode): Server {
  const cfg = node.config;
  const wss = new WebSocketServer({ noServer: true, maxPayload: cfg.maxMessageBytes, perMessageDeflate: false });
  const publishBuckets = new Map<string, TokenBucket>();
  const server = createServer((req, res) => {
    route(req, res).catch((err: Error) => {
      const status = err instanceof BodyError ? err.status : err instanceof BusUnavailableError ? 503 : 500;
      if (status === 500) node.log.error({ err }, 'client request failed');
      sendError(res, status, err.message);
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 0; // long polls and SSE stay open; heartbeats police them
  server.maxHeadersCount = 100;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const key = `${req.method} ${url.pathname}`;
    switch (key) {
      case 'GET /healthz':
        return sendJson(res, 200, { ok: true, node: cfg.nodeId });
      case 'GET /readyz':
        return node.accepting ? sendJson(res, 200, { ready: true }) : sendJson(res, 503, { ready: false, state: node.state });
      case 'GET /sse':
        return openSse(req, res, url);
      case 'GET /poll':
        return poll(req, res, url);
      case 'DELETE /poll': {
        node.sessions.get(url.searchParams.get('sid') ?? '')?.close('client');
        return sendJson(res, 200, { closed: true });
      }
      case 'POST /publish':
        return httpPublish(req, res);
      case 'POST /presence':
        return httpPresence(req, res);
      default:
        return sendError(res, url.pathname === '/ws' ? 426 : 404, url.pathname === '/ws' ? 'use a WebSocket upgrade' : `no route ${key}`);
    }
  }

  function openParams(req: IncomingMessage, url: URL, res: ServerResponse): OpenParams | null {
    const user = url.searchParams.get('user') ?? `anon-${Math.random().toString(36).slice(2, 10)}`;
    if (!USER_RE.test(user)) return void sendError(res, 400, 'user must match [A-Za-z0-9_.@-]{1,64}'), null;
    const list = url.searchParams.get('channels');
    const channels = list ? list.split(',') : [];
    const bad = channels.find((c) => !CHANNEL_RE.test(c));
    if (bad !== undefined) return void sendError(res, 400, `channel "${bad.slice(0, 140)}" must match [A-Za-z0-9_.:-]{1,128}`), null;
    if (channels.length > cfg.maxChannelsPerConnection) return void sendError(res, 400, `at most ${cfg.maxChannelsPerConnection} channels per connection`), null;
    const lastEventId = req.headers['last-event-id'];
    const since = typeof lastEventId === 'string' && lastEventId !== '' ? lastEventId : url.searchParams.get('since') ?? '';
    const positions = since.length > 16_384 ? null : parsePositions(since);
    if (!positions) return void sendError(res, 400, 'since / Last-Event-ID must look like channel:seq,channel:seq'), null;
    return { user, channels, positions };
  }

  function admit(res: ServerResponse): boolean {
    const a = node.admission();
    if (a.ok) return true;
    sendError(res, a.status, a.reason, node.accepting ? {} : { 'retry-after': '1' });
    return false;
  }

  function openSse(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const p = openParams(req, url, res);
    if (!p || !admit(res)) return;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    res.socket?.setNoDelay(true);
    const s = new SseSession(node, node.newSid(), p.user, res);
    node.opened(s);
    res.on('close', () => s.close('client'));
    for (const ch of p.channels) void node.subscribe(s, ch, p.positions.get(ch));
  }

  async function poll(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const sid = url.searchParams.get('sid');
    if (sid !== null) {
      const s = node.sessions.get(sid);
      if (s instanceof PollSession) return s.poll(res, Number(url.searchParams.get('cursor') ?? 0) || 0);
      const hint = node.drainHints.get(sid);
      if (hint !== undefined || !node.accepting) return refuseDraining(res, hint ?? 1000);
      return sendError(res, 404, 'unknown or expired session; open a new one with ?user=&channels=&since=');
    }
    const p = openParams(req, url, res);
    if (!p || !admit(res)) return;
    const s = new PollSession(node, node.newSid(), p.user, cfg.longPollHoldMs, (sid, hint) => {
      node.drainHints.set(sid, hint);
      if (node.drainHints.size > 10_000) node.drainHints.delete(node.drainHints.keys().next().value as string);
    });
    node.opened(s);
    await Promise.all(p.channels.map((ch) => node.subscribe(s, ch, p.positions.get(ch))));
    s.open(res);
  }

  async function httpPublish(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const addr = req.socket.remoteAddress ?? '?';
    let bucket = publishBuckets.get(addr);
    if (!bucket) {
      if (publishBuckets.size > 10_000) publishBuckets.clear();
      bucket = new TokenBucket(cfg.publishRatePerSecond, cfg.publishBurst);
      publishBuckets.set(addr, bucket);
    }
    const body = await readJsonBody(req, cfg.maxBodyBytes);
    const parsed = httpPublishSchema.safeParse(body);
    if (!parsed.success) {
      node.metrics.tallies.drop('invalid');
      return sendError(res, 400, describeZodError(parsed.error));
    }
    if (!bucket.take()) {
      node.metrics.tallies.drop('rate_limited');
      return sendError(res, 429, `publish rate above ${cfg.publishRatePerSecond}/s`, { 'retry-after': '1' });
    }
    const r = await node.publish(parsed.data.channel, parsed.data.data, parsed.data.id, parsed.data.ephemeral === true);
    sendJson(res, 200, { channel: parsed.data.channel, seq: r.seq, duplicate: r.duplicate });
  }

  async function httpPresence(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = httpPresenceSchema.safeParse(await readJsonBody(req, cfg.maxBodyBytes));
    if (!parsed.success) return sendError(res, 400, describeZodError(parsed.error));
    const s = node.sessions.get(parsed.data.sid);
    if (!s) return sendError(res, 404, 'unknown session');
    node.presence.set(s.user, parsed.data.state, Date.now());
    sendJson(res, 200, { user: s.user, state: parsed.data.state });
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (url.pathname !== '/ws') return rejectUpgrade(socket, 404, 'no such endpoint');
    const user = url.searchParams.get('user') ?? `anon-${Math.random().toString(36).slice(2, 10)}`;
    if (!USER_RE.test(user)) return rejectUpgrade(socket, 400, 'user must match [A-Za-z0-9_.@-]{1,64}');
    if (!node.accepting) return rejectUpgrade(socket, 503, 'node is draining');
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (node.sessions.size >= cfg.maxConnections) return ws.close(1013, 'connection limit reached');
      const s = new WsSession(node, node.newSid(), user, ws);
      const frames = new FrameHandler(node, s);
      ws.on('message', (data, isBinary) => {
        if (isBinary) return s.send({ type: 'error', code: 'bad_request', message: 'binary frames are not part of the protocol; send JSON text' });
        frames.handle(data.toString());
      });
      ws.on('close', () => s.close('client'));
      ws.on('error', () => s.close('error'));
      node.opened(s);
    });
  });
  return server;
}

function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: message });
  socket.end(`HTTP/1.1 ${status} ${status === 503 ? 'Service Unavailable' : status === 404 ? 'Not Found' : 'Bad Request'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n${status === 503 ? 'retry-after: 1\r\n' : ''}\r\n${body}`);
}
