import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { GatewayNode } from '../gatewayNode';
import { sendError } from '../httpUtil';
import { AdminApi } from './adminApi';
import { toOpenMetrics } from './openMetrics';
import { bearerMatches } from './tokenAuth';

/** The ops port: /metrics and /events (read token), /admin/* (admin token). */
export function createOpsServer(node: GatewayNode): Server {
  const admin = new AdminApi(node);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://ops');
    const path = url.pathname;
    if (path.startsWith('/admin/')) {
      if (!bearerMatches(req, node.config.adminToken)) {
        node.metrics.unauthorized.inc({ path: '/admin' });
        admin.count(path.slice(7, 40), 'unauthorized');
        return sendError(res, 401, 'missing or wrong admin token', { 'www-authenticate': 'Bearer' });
      }
      return void admin.handle(req, res, path).catch((err: Error) => sendError(res, 500, err.message));
    }
    if (path !== '/metrics' && path !== '/events') return sendError(res, 404, `no route ${path.slice(0, 100)}`);
    if (req.method !== 'GET') return sendError(res, 405, `${path} takes GET`, { allow: 'GET' });
    if (node.config.readToken !== null && !bearerMatches(req, node.config.readToken)) {
      node.metrics.unauthorized.inc({ path });
      return sendError(res, 401, 'missing or wrong read token', { 'www-authenticate': 'Bearer' });
    }
    if (path === '/events') return node.events.serve(req, res);
    const wantsOpenMetrics = /application\/openmetrics-text/.test(req.headers.accept ?? '');
    node.metrics.registry.metrics().then(
      (text) => {
        const body = wantsOpenMetrics ? toOpenMetrics(text, node.metrics.registry) : text;
        res.writeHead(200, {
          'content-type': wantsOpenMetrics ? 'application/openmetrics-text; version=1.0.0; charset=utf-8' : 'text/plain; version=0.0.4; charset=utf-8',
          'cache-control': 'no-store',
        });
        res.end(body);
      },
      (err: Error) => sendError(res, 500, `collecting metrics failed: ${err.message}`),
    );
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 0; // /events streams stay open
  return server;
}
