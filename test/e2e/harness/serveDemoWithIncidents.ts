/**
 * Test-only stand-in for `switchboard serve --demo` that also takes incidents on stdin
 * (`crash gw-2` + Enter), like `switchboard demo` does. Same pieces as serve mode's demo
 * (src/main/session/startConsole.ts): the demo fleet, a live console session scraping
 * every second on the file_sd file it writes, and the real serve server. Prints the same
 * URL line, the demo's admin token and the session's data folder (audit log, recordings).
 * `RENDERER_DIR` serves another copy of the renderer build (a test's own, safe from rebuilds).
 * Remove once serve mode can trigger demo incidents itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pino from 'pino';
import { INCIDENT_KINDS } from '../../../src/fleet/demo/incidents';
import type { IncidentKind } from '../../../src/fleet/demo/incidents';
import { startConsole, startServeServer } from '../../../src/main/serve';

async function main(): Promise<void> {
  const clients = Number(process.env.DEMO_CLIENTS ?? 300);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sb-e2e-data-'));
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const running = await startConsole({ kind: 'demo', nodes: 3, clients, incidentEveryMs: 0, logger }, { dataDir, allowPaths: false });
  const fleet = running.demo!;
  const server = await startServeServer({ api: running.session, uploads: running.session.uploads(), port: 0, rendererDir: process.env.RENDERER_DIR ?? path.resolve(__dirname, '../../../out/renderer') });
  process.stdout.write(`Switchboard console: ${server.url}\n`);
  process.stdout.write(`Admin token: ${fleet.credentials.adminToken}\n`);
  process.stdout.write(`Data dir: ${dataDir}\n`);
  for (const t of fleet.targets) process.stdout.write(`Node ${t.nodeId} ops http://${t.opsHostPort}\n`);
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    const [kind, node] = line.trim().split(/\s+/);
    if (!INCIDENT_KINDS.includes(kind as IncidentKind)) return void process.stdout.write(`unknown incident ${kind}\n`);
    fleet.incident(kind as IncidentKind, node).then((m) => process.stdout.write(`incident: ${m}\n`), (e: Error) => process.stdout.write(`incident failed: ${e.message}\n`));
  });
  const stop = async () => {
    rl.close();
    await server.close();
    await running.stop();
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  // The test runner closes stdin when it is done with us.
  process.stdin.once('end', () => void stop());
}

main().catch((err: Error) => {
  process.stderr.write(`harness: ${err.message}\n`);
  process.exit(1);
});
