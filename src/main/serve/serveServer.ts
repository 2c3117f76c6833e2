import { createReadStream } from 'node:fs';
import { realpath } from 'node:fs/promises';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { ConsoleApi } from '../../shared/api';
import { MAX_BRIDGE_MESSAGE_BYTES } from '../../shared/bridge';
import { BridgeHub, DEFAULT_BRIDGE_LIMITS } from './bridgeHub';
import type { BridgeCounters, BridgeLimits } from './bridgeHub';
import { errorBody, printable, refuseUpgrade, sendJson } from './httpReplies';
import { hostAllowed, hostPort, originAllowed, securityHeaders, serveOrigins } from './serveOrigins';
import type { ServeOrigins } from './serveOrigins';
import { BRIDGE_PROTOCOL, TOKEN_PROTOCOL_PREFIX, bearerToken, checkTokenShape, newSessionToken, offeredProtocols, protocolToken, tokenMatches } from './sessionToken';
import { findStaticFile } from '../rendererFiles';
import { MAX_UPLOAD_BYTES } from '../session/recordingsFolder';
import type { RecordingsFolder } from '../session/recordingsFolder';

/** Where recordings are uploaded (serve mode's file picker and drag and drop). */
export const UPLOAD_PATH = '/api/recordings';

/** Path of the WebSocket bridge. */
export const BRIDGE_PATH = '/bridge';

export interface ServeServerOptions {
  api: ConsoleApi;
  /** 0 = a free port. */
  port: number;
  /** Listen address; 127.0.0.1 unless there is a reason. */
  host?: string;
  /** The renderer build (index.html + assets). */
  rendererDir: string;
  /** Session token; a fresh random one unless given (base64url, at least 16 characters). */
  token?: string;
  /** More `Host` values to answer (`name:port` as the browser sends it, e.g. behind an SSH tunnel). */
  allowedHosts?: string[];
  /** Where one-line notes go (refusals, dropped sockets). */
  log?: (line: string) => void;
  limits?: Partial<BridgeLimits>;
  /** Open bridge sockets at most (each one is a browser tab). */
  maxSockets?: number;
  /** Where `POST /api/recordings` stores uploads; null or absent = uploads refused. */
  uploads?: RecordingsFolder | null;
  maxUploadBytes?: number;
}

/** Counters of a running server, for `/api/health` and tests. */
export interface ServeStats extends BridgeCounters {
  sockets: number;
  /** Bytes queued for sending over all bridge sockets right now. */
  bufferedBytes: number;
  /** Requests and upgrades refused for a `Host` this server does not answer. */
  hostRefused: number;
  /** WebSocket upgrades refused (origin, token, path, Host or too many sockets). */
  upgradesRefused: number;
  /** API requests refused for a missing or wrong token. */
  unauthorized: number;
}

export interface ServeServer {
  /** The page with the token in the fragment: `http://127.0.0.1:PORT/#token=…`. */
  url: string;
  port: number;
  token: string;
  stats(): ServeStats;
  close(): Promise<void>;
}

/** Why the server could not start; `port_in_use` is the one an operator fixes with --port. */
export class ServeStartError extends Error {
  constructor(message: string, readonly reason: 'port_in_use' | 'listen_failed' | 'invalid_option') {
    super(message);
  }
}

const WILDCARD = new Set(['0.0.0.0', '::']);

/**
 * The console behind HTTP + WebSocket: the renderer build as static files (no token:
 * the page must load to read `#token` from its own URL, and the fragment never reaches
 * the server), `/bridge` for the API and live frames, `/api/health`. Every data path needs
 * the session token; every request needs an allowed `Host`; upgrades need this server's
 * own `Origin` too.
 */
export async function startServeServer(o: ServeServerOptions): Promise<ServeServer> {
  const host = o.host ?? '127.0.0.1';
  const token = o.token ?? newSessionToken();
  const shape = checkTokenShape(token);
  if (shape) throw new ServeStartError(shape, 'invalid_option');
  let root: string;
  try {
    root = await realpath(o.rendererDir);
  } catch {
    throw new ServeStartError(`renderer directory ${o.rendererDir} does not exist`, 'invalid_option');
  }
  const log = o.log ?? (() => {});
  const hub = new BridgeHub(o.api, { ...DEFAULT_BRIDGE_LIMITS, ...o.limits }, log);
  const maxSockets = o.maxSockets ?? 64;
  const refused = { host: 0, upgrades: 0, unauthorized: 0 };
  const logged = new Set<string>();
  /** Logs the first refusal of each kind; later ones are only counted (a hostile page cannot flood the log). */
  const note = (kind: string, line: string): void => {
    if (logged.has(kind)) return;
    logged.add(kind);
    log(`${line} (further ones are only counted)`);
  };
  let origins: ServeOrigins = serveOrigins(host, 0, o.allowedHosts);
  let headers = securityHeaders(origins);

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_BRIDGE_MESSAGE_BYTES,
    perMessageDeflate: false,
    // Select the plain protocol when offered, so the token is not echoed back; the token
    // protocol otherwise (the upgrade was checked: if one is offered, it is the right one).
    handleProtocols: (offered) => {
      if (offered.has(BRIDGE_PROTOCOL)) return BRIDGE_PROTOCOL;
      const own = `${TOKEN_PROTOCOL_PREFIX}${token}`;
      return offered.has(own) ? own : false;
    },
  });

  const stats = (): ServeStats => ({
    ...hub.counters,
    sockets: hub.socketCount,
    bufferedBytes: hub.bufferedBytes(),
    hostRefused: refused.host,
    upgradesRefused: refused.upgrades,
    unauthorized: refused.unauthorized,
  });

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!hostAllowed(origins, req.headers.host)) {
      refused.host++;
      note('host', `refused a request for Host ${printable(req.headers.host)}`);
      return sendJson(res, 421, errorBody('forbidden', `this server does not answer for Host ${printable(req.headers.host)}`), headers);
    }
    const url = req.url ?? '/';
    if (url === '/api' || url.startsWith('/api/')) {
      if (!tokenMatches(token, bearerToken(req.headers.authorization))) {
        refused.unauthorized++;
        return sendJson(res, 401, errorBody('forbidden', 'missing or wrong session token (Authorization: Bearer <token>)'), { ...headers, 'WWW-Authenticate': 'Bearer' });
      }
      const [apiPath, query = ''] = url.split('?', 2);
      if (apiPath === UPLOAD_PATH) return receiveUpload(req, res, query);
      if (apiPath !== '/api/health') return sendJson(res, 404, errorBody('not_found', `no API at ${printable(apiPath)}`), headers);
      if (req.method !== 'GET') return sendJson(res, 405, errorBody('invalid', 'GET /api/health'), { ...headers, Allow: 'GET' });
      return sendJson(res, 200, { ok: true, value: stats() }, headers);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(res, 405, errorBody('invalid', 'only GET here'), { ...headers, Allow: 'GET, HEAD' });
    }
    const file = await findStaticFile(root, url);
    if (!file) return sendJson(res, 404, errorBody('not_found', 'no such file'), headers);
    res.writeHead(200, { ...headers, 'Content-Type': file.contentType, 'Content-Length': String(file.size), 'Cache-Control': file.cacheControl });
    if (req.method === 'HEAD') return void res.end();
    const stream = createReadStream(file.file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  };

  /** `POST /api/recordings?name=N`: a recording's bytes into the recordings folder, answered with its name. */
  const receiveUpload = async (req: IncomingMessage, res: ServerResponse, query: string): Promise<void> => {
    if (req.method !== 'POST') return sendJson(res, 405, errorBody('invalid', `POST ${UPLOAD_PATH}?name=NAME`), { ...headers, Allow: 'POST' });
    if (!o.uploads) return sendJson(res, 503, errorBody('unavailable', 'this console has no recordings folder: start it with --data-dir to accept uploads'), headers);
    const name = new URLSearchParams(query).get('name');
    if (!name) return sendJson(res, 400, errorBody('invalid', 'name: give the file name (?name=…)'), headers);
    const max = o.maxUploadBytes ?? MAX_UPLOAD_BYTES;
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > max) {
      res.setHeader('Connection', 'close');
      return sendJson(res, 413, errorBody('invalid', `the file is ${declared} bytes; at most ${max} are accepted`), headers);
    }
    const r = await o.uploads.receive(name, req, max);
    if (!r.ok) {
      res.setHeader('Connection', 'close');
      return sendJson(res, 400, r, headers);
    }
    return sendJson(res, 200, r, headers);
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => {});
    const refuse = (status: 403 | 404 | 503, kind: string, message: string): void => {
      refused.upgrades++;
      note(kind, `refused a WebSocket upgrade: ${message}`);
      refuseUpgrade(socket, status, errorBody(status === 404 ? 'not_found' : status === 503 ? 'unavailable' : 'forbidden', message), headers);
    };
    if (!hostAllowed(origins, req.headers.host)) {
      refused.host++;
      return refuse(403, 'host', `Host ${printable(req.headers.host)} is not this server`);
    }
    const [path, query = ''] = (req.url ?? '').split('?', 2);
    if (path !== BRIDGE_PATH) return refuse(404, 'path', `no WebSocket at ${printable(path)}`);
    if (!originAllowed(origins, req.headers.origin)) return refuse(403, 'origin', `Origin ${printable(req.headers.origin)} is not this server's own`);
    const presented = protocolToken(offeredProtocols(req.headers['sec-websocket-protocol'])) ?? new URLSearchParams(query).get('token');
    if (!tokenMatches(token, presented)) return refuse(403, 'token', 'missing or wrong session token');
    if (hub.socketCount >= maxSockets) return refuse(503, 'sockets', `too many bridge sockets (at most ${maxSockets})`);
    wss.handleUpgrade(req, socket, head, (ws) => hub.add(ws));
  };

  const server = http.createServer((req, res) => {
    onRequest(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, errorBody('internal', 'internal error'), headers);
      else res.destroy();
    });
  });
  server.on('upgrade', onUpgrade);
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new ServeStartError(`port ${o.port} on ${host} is in use; pick another with --port (0 = any free port)`, 'port_in_use'));
      else reject(new ServeStartError(`cannot listen on ${host}:${o.port}: ${err.message}`, 'listen_failed'));
    });
    server.listen(o.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origins = serveOrigins(host, port, o.allowedHosts);
  headers = securityHeaders(origins);

  let closed: Promise<void> | null = null;
  return {
    url: `http://${hostPort(WILDCARD.has(host) ? '127.0.0.1' : host, port)}/#token=${token}`,
    port,
    token,
    stats,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        hub.closeAll(1001, 'server shutting down');
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
