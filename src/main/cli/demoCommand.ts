import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { startDemoFleet } from '../../fleet/demo/demoFleet';
import { INCIDENT_KINDS } from '../../fleet/demo/incidents';
import type { IncidentKind } from '../../fleet/demo/incidents';
import { intOption, redisUrlOption } from './options';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run a demo fleet: gateway nodes gw-1…gw-N, a supervisor, simulated users and incidents')
    .option('--nodes <n>', 'number of gateway nodes', intOption(1, 50), 3)
    .option('--clients <n>', 'simulated users', intOption(0, 20_000), 300)
    .option('--redis <url>', 'Redis URL (default: in-process bus)', redisUrlOption)
    .option('--fleet-file <file>', 'write a Prometheus file_sd file (and its .credentials.json, mode 0600)')
    .option('--incident-every <seconds>', 'run an incident every N seconds (0 = only on demand)', intOption(0, 86_400), 180)
    .option('--base-port <port>', 'client ports from here (0 = free ports)', intOption(0, 65_000), 0)
    .option('--ops-base-port <port>', 'ops ports from here (0 = free ports)', intOption(0, 65_000), 0)
    .action(async (o: { nodes: number; clients: number; redis?: string; fleetFile?: string; incidentEvery: number; basePort: number; opsBasePort: number }) => {
      const fleet = await startDemoFleet({
        nodes: o.nodes, clients: o.clients, redisUrl: o.redis, fleetFile: o.fleetFile,
        incidentEveryMs: o.incidentEvery * 1000, basePort: o.basePort, opsBasePort: o.opsBasePort,
      });
      const out = process.stdout;
      out.write(`Demo fleet: ${o.nodes} nodes, ${o.clients} simulated users, bus ${o.redis ? o.redis : 'in-process'}\n`);
      for (const t of fleet.targets) out.write(`  ${t.nodeId}  clients ${t.clientUrl}  ops http://${t.opsHostPort}\n`);
      if (fleet.credentialsFile) out.write(`  fleet file ${o.fleetFile}, tokens in ${fleet.credentialsFile}\n`);
      out.write(`Incidents on demand: type ${INCIDENT_KINDS.join(' | ')} [node-id] and Enter. Ctrl-C stops.\n`);
      const rl = process.stdin.isTTY || process.env.SWITCHBOARD_DEMO_STDIN === '1' ? createInterface({ input: process.stdin }) : null;
      rl?.on('line', (line) => {
        const [kind, nodeId] = line.trim().split(/\s+/);
        if (!kind) return;
        if (!INCIDENT_KINDS.includes(kind as IncidentKind)) return void out.write(`unknown incident "${kind}"; one of ${INCIDENT_KINDS.join(', ')}\n`);
        fleet.incident(kind as IncidentKind, nodeId).then((msg) => out.write(`${msg}\n`), (err: Error) => out.write(`${err.message}\n`));
      });
      let stopping = false;
      const stop = () => {
        if (stopping) return;
        stopping = true;
        rl?.close();
        out.write('Stopping the demo fleet…\n');
        void fleet.stop().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
