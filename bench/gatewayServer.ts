/**
 * Bench child: the server under test, alone in its process so it has a core to itself.
 *
 *   node bin/run-ts.cjs bench/gatewayServer.ts gateway   one gateway node, in-process memory bus
 *   node bin/run-ts.cjs bench/gatewayServer.ts bare      the minimal `ws` broadcast server (the ceiling)
 *
 * Talks to its parent over IPC only (see {@link ServerReply}); exits when the parent goes.
 */
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { WebSocket, WebSocketServer } from 'ws';
import { gatewayConfig, startGateway } from '../src/fleet/gateway';
import type { GatewayNode } from '../src/fleet/gateway';

/** Messages from the parent. */
export type ServerCommand = { cmd: 'memory' } | { cmd: 'stats' } | { cmd: 'exit' };

/** Messages to the parent. */
export type ServerReply =
  | { type: 'ready'; port: number; pid: number }
  | { type: 'memory'; rssBytes: number; vmRssBytes: number; heapUsedBytes: number; gcForced: boolean }
  | { type: 'stats'; connections: number; delivered: number; dropped: number; closedSlowConsumer: number };

const mode = process.argv[2];
if (mode !== 'gateway' && mode !== 'bare') {
  process.stderr.write('usage: gatewayServer.ts gateway|bare\n');
  process.exit(2);
}

function reply(r: ServerReply): void {
  process.send?.(r);
}

/** VmRSS of this process from /proc (bytes), 0 where /proc is missing. */
function vmRss(): number {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Full collection first (run with --expose-gc), so RSS reflects live memory, not garbage. */
function memory(): ServerReply {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) for (let i = 0; i < 3; i++) gc();
  const m = process.memoryUsage();
  return { type: 'memory', rssBytes: m.rss, vmRssBytes: vmRss(), heapUsedBytes: m.heapUsed, gcForced: gc !== undefined };
}

async function startGatewayNode(): Promise<{ port: number; stats: () => ServerReply; stop: () => Promise<void> }> {
  const cfg = gatewayConfig({
    nodeId: 'bench-gw',
    adminToken: `bench-${process.pid}`,
    // The publisher is one connection publishing as fast as the node takes it: lift the
    // per-connection publish limit (a protection, not part of the fan-out path).
    publishRatePerSecond: 1e9,
    publishBurst: 1e9,
    maxConnections: 20_000,
  });
  const node: GatewayNode = await startGateway(cfg, {}, pino({ level: 'silent' }));
  return {
    port: node.clientPort,
    stats: () => {
      const t = node.metrics.tallies;
      return { type: 'stats', connections: node.sessions.size, delivered: t.sum(t.delivered), dropped: t.droppedTotal(), closedSlowConsumer: t.closed.get('ws|slow_consumer') ?? 0 };
    },
    stop: () => node.stop(),
  };
}

/** The Node ceiling: on message, send it to every open client (including the sender), nothing else. */
async function startBare(): Promise<{ port: number; stats: () => ServerReply; stop: () => Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  let delivered = 0;
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      for (const client of wss.clients) {
        if (client.readyState === WebSocket.OPEN) {
          client.send(data, { binary: isBinary });
          delivered++;
        }
      }
    });
    ws.on('error', () => ws.terminate());
  });
  const addr = wss.address();
  return {
    port: addr !== null && typeof addr === 'object' ? addr.port : 0,
    stats: () => ({ type: 'stats', connections: wss.clients.size, delivered, dropped: 0, closedSlowConsumer: 0 }),
    stop: () =>
      new Promise((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}

async function main(): Promise<void> {
  const server = mode === 'gateway' ? await startGatewayNode() : await startBare();
  process.on('message', (m: ServerCommand) => {
    if (m.cmd === 'memory') reply(memory());
    else if (m.cmd === 'stats') reply(server.stats());
    else if (m.cmd === 'exit') {
      // A normal exit, so that --cpu-prof writes its profile.
      const done = () => process.exit(0);
      server.stop().then(done, done);
      setTimeout(done, 3000).unref();
    }
  });
  process.on('disconnect', () => process.exit(0));
  reply({ type: 'ready', port: server.port, pid: process.pid });
}

main().catch((err: Error) => {
  process.stderr.write(`gatewayServer ${mode}: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
