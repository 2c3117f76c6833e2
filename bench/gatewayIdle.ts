/**
 * Idle-connection phase of the gateway bench: one gateway node in a child process, `count`
 * idle WebSocket connections from another; the node's RSS after a full GC, before vs after.
 */
import { log, startLoad, startServer } from './gatewayFanout';

export interface IdleResult {
  idleConnections: number;
  idleFailed: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  /** Cross-check from /proc/<pid>/status. */
  vmRssBeforeBytes: number;
  vmRssAfterBytes: number;
  heapUsedBeforeBytes: number;
  heapUsedAfterBytes: number;
  rssBytesPerConnection: number;
  heapBytesPerConnection: number;
  gcForced: boolean;
  openMs: number;
  seconds: number;
}

const mib = (b: number) => (b / 1048576).toFixed(1);

/** Opens `count` idle connections (each its own user, no subscription) to a fresh gateway child. */
export async function measureIdle(count: number, concurrency: number): Promise<IdleResult> {
  const t0 = Date.now();
  const { child: server, port } = await startServer('gateway');
  const load = startLoad();
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const before = await server.ask({ cmd: 'memory' }, 'memory', 30_000);
    const opened = await load.ask({ cmd: 'idle', port, count, concurrency }, 'idleOpened', 120_000);
    log(`idle: ${opened.opened} connections (${opened.welcomed} welcomed, ${opened.failed} failed${opened.firstError ? `: ${opened.firstError}` : ''}) in ${opened.ms} ms`);
    // Let the last upgrades finish and transient buffers go before measuring.
    await new Promise((r) => setTimeout(r, 2000));
    const stats = await server.ask({ cmd: 'stats' }, 'stats', 10_000);
    const after = await server.ask({ cmd: 'memory' }, 'memory', 30_000);
    const n = stats.connections;
    log(`idle: the gateway holds ${n} connections; RSS ${mib(before.rssBytes)} → ${mib(after.rssBytes)} MiB, heap ${mib(before.heapUsedBytes)} → ${mib(after.heapUsedBytes)} MiB`);
    return {
      idleConnections: n,
      idleFailed: opened.failed,
      rssBeforeBytes: before.rssBytes,
      rssAfterBytes: after.rssBytes,
      vmRssBeforeBytes: before.vmRssBytes,
      vmRssAfterBytes: after.vmRssBytes,
      heapUsedBeforeBytes: before.heapUsedBytes,
      heapUsedAfterBytes: after.heapUsedBytes,
      rssBytesPerConnection: n > 0 ? Math.round((after.rssBytes - before.rssBytes) / n) : NaN,
      heapBytesPerConnection: n > 0 ? Math.round((after.heapUsedBytes - before.heapUsedBytes) / n) : NaN,
      gcForced: after.gcForced,
      openMs: opened.ms,
      seconds: (Date.now() - t0) / 1000,
    };
  } finally {
    load.send({ cmd: 'closeAll' });
    server.send({ cmd: 'exit' });
    await Promise.all([server.stopped(5000), load.kill()]);
  }
}
