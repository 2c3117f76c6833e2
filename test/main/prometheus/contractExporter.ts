import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** A tiny HTTP server on a free port of 127.0.0.1. */
export interface TestHttp {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startHttp(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestHttp> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A node exposing a few fleet-contract metrics with fixed values: `ws` WebSocket connections. */
export function startContractNode(nodeId: string, ws: number): Promise<TestHttp> {
  return startHttp((req, res) => {
    if (req.url !== '/metrics') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(
      [
        '# TYPE realtime_node_info gauge',
        `realtime_node_info{node_id="${nodeId}",region="eu",version="1",boot_id="boot-${nodeId}"} 1`,
        '# TYPE realtime_connections gauge',
        `realtime_connections{transport="ws"} ${ws}`,
        'realtime_connections{transport="sse"} 2',
        'realtime_connections{transport="longpoll"} 1',
        '# TYPE realtime_connection_limit gauge',
        'realtime_connection_limit 500',
        '',
      ].join('\n'),
    );
  });
}
