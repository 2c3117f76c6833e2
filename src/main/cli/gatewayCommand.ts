import type { Command } from 'commander';
import { gatewayConfig, startGateway } from '../../fleet/gateway';
import { intOption, redisUrlOption } from './options';
import { readToken } from './secrets';
import { UsageError } from './usageError';

/** Exit code after a requested restart: EX_TEMPFAIL, so `Restart=on-failure` supervisors restart too. */
export const RESTART_EXIT_CODE = 75;

export function registerGateway(program: Command): void {
  program
    .command('gateway')
    .description('run one realtime gateway node (client port + ops port)')
    .requiredOption('--node-id <id>', 'node id, e.g. gw-1')
    .option('--port <port>', 'client port', intOption(0, 65535), 8080)
    .option('--ops-port <port>', 'ops port (/metrics, /events, /admin)', intOption(0, 65535), 9464)
    .option('--host <addr>', 'client port address', '127.0.0.1')
    .option('--ops-host <addr>', 'ops port address', '127.0.0.1')
    .option('--region <name>', 'region label', 'local')
    .option('--redis <url>', 'Redis URL for fan-out, history and presence (default: in-process bus)', redisUrlOption)
    .option('--admin-token-file <file>', 'file holding the admin token (or env SWITCHBOARD_ADMIN_TOKEN)')
    .option('--read-token-file <file>', 'file holding the read token for /metrics and /events (or env SWITCHBOARD_READ_TOKEN)')
    .option('--max-connections <n>', 'concurrent connection limit', intOption(1, 10_000_000), 10_000)
    .option('--heartbeat-ms <ms>', 'heartbeat period', intOption(100, 600_000), 10_000)
    .option('--presence-ttl-ms <ms>', 'TTL of presence keys in Redis (refreshed every second)', intOption(1000, 3_600_000), 30_000)
    .action(async (o: { nodeId: string; port: number; opsPort: number; host: string; opsHost: string; region: string; redis?: string; adminTokenFile?: string; readTokenFile?: string; maxConnections: number; heartbeatMs: number; presenceTtlMs: number }) => {
      const adminToken = readToken(o.adminTokenFile, 'SWITCHBOARD_ADMIN_TOKEN', 'admin token');
      if (!adminToken) throw new UsageError('an admin token is required: --admin-token-file F or SWITCHBOARD_ADMIN_TOKEN');
      const readToken_ = readToken(o.readTokenFile, 'SWITCHBOARD_READ_TOKEN', 'read token');
      const config = gatewayConfig({
        nodeId: o.nodeId, region: o.region, host: o.host, port: o.port, opsHost: o.opsHost, opsPort: o.opsPort,
        adminToken, readToken: readToken_, maxConnections: o.maxConnections, heartbeatMs: o.heartbeatMs, presenceTtlMs: o.presenceTtlMs,
      });
      let node;
      try {
        node = await startGateway(config, { redisUrl: o.redis });
      } catch (err) {
        throw new UsageError(`gateway ${o.nodeId} could not start: ${(err as Error).message}`, 1);
      }
      process.stdout.write(`gateway ${o.nodeId} boot ${node.bootId}: clients http://${o.host}:${node.clientPort}  ops http://${o.opsHost}:${node.opsPort}\n`);
      node.on('exit', (why: string) => process.exit(why === 'restart' ? RESTART_EXIT_CODE : 1));
      const stop = () => void node.stop().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}
