import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import pino from 'pino';
import { ServeStartError, defaultDataDir, ensureRendererBuild, startConsole, startServeServer } from '../serve';
import type { ConsoleSpec, RunningConsole } from '../serve';
import { ProfileError } from '../core/profiles';
import { intOption } from './options';
import { addPrometheusOptions, prometheusSpec } from './prometheusOptions';
import type { PrometheusCliOptions } from './prometheusOptions';
import { UsageError } from './usageError';

/** The project root (this file is src/main/cli/serveCommand.ts). */
const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
const DEFAULT_RENDERER_DIR = path.join(PROJECT_ROOT, 'out', 'renderer');
/** A stop that takes longer than this ends the process anyway. */
const STOP_DEADLINE_MS = 10_000;
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

interface ServeOptions extends PrometheusCliOptions {
  demo?: boolean;
  fleet?: string;
  static?: string;
  port: number;
  host: string;
  rendererDir?: string;
  allowedHost: string[];
  nodes?: number;
  clients?: number;
  dataDir?: string;
}

const note = (line: string): void => void process.stderr.write(`switchboard serve: ${line}\n`);

function httpUrlOption(value: string): string {
  try {
    const u = new URL(value);
    if (u.protocol === 'http:' || u.protocol === 'https:') return value;
  } catch {
    // falls through to the error below
  }
  throw new InvalidArgumentError(`expected http(s)://host:port, got "${value}"`);
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Which console the options ask for; at most one source. */
function consoleSpec(o: ServeOptions): ConsoleSpec {
  const given = [o.demo ? '--demo' : null, o.fleet ? '--fleet' : null, o.static ? '--static' : null, o.prometheus ? '--prometheus' : null].filter((x) => x !== null);
  if (given.length > 1) throw new UsageError(`give one of --demo, --fleet, --static, --prometheus (got ${given.join(' and ')})`);
  if (!o.demo && (o.nodes !== undefined || o.clients !== undefined)) throw new UsageError('--nodes and --clients go with --demo');
  if (o.demo) {
    // The demo's own logs go to stderr: stdout carries only the console URL.
    const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
    return { kind: 'demo', nodes: o.nodes ?? 3, clients: o.clients ?? 300, logger };
  }
  if (o.fleet) return { kind: 'inventory', inventory: { kind: 'file_sd', file: path.resolve(o.fleet) } };
  if (o.static) return { kind: 'inventory', inventory: { kind: 'static', file: path.resolve(o.static) } };
  const prometheus = prometheusSpec(o);
  if (prometheus) return prometheus;
  return { kind: 'none' };
}

/** `switchboard serve`: the console in a browser, on 127.0.0.1 with a session token. */
export function registerServe(program: Command): void {
  const serve = program
    .command('serve')
    .description('serve the console to a browser on 127.0.0.1 (HTTP + WebSocket, session token in the printed URL)')
    .option('--demo', 'start a demo fleet in this process and watch it')
    .option('--fleet <file>', 'watch the nodes of a Prometheus file_sd file (credentials beside it)')
    .option('--static <file>', 'watch the nodes of a static config file')
    .option('--prometheus <url>', 'watch the fleet through Prometheus: its targets are the nodes, its queries the figures', httpUrlOption)
    .option('--port <n>', 'port (0 = any free port)', intOption(0, 65_535), 7300)
    .option('--host <addr>', 'listen address', '127.0.0.1')
    .option('--renderer-dir <dir>', 'the renderer build (default: out/renderer, built if missing)')
    .option('--allowed-host <host:port>', 'also answer for this Host header, e.g. behind an SSH tunnel (repeatable)', collect, [])
    .option('--data-dir <dir>', 'audit log, rollout state and recordings (default: $XDG_STATE_HOME/switchboard or ~/.local/state/switchboard)')
    .option('--nodes <n>', 'with --demo: gateway nodes (default 3)', intOption(1, 50))
    .option('--clients <n>', 'with --demo: simulated users (default 300)', intOption(0, 20_000));
  addPrometheusOptions(serve)
    .action(async (o: ServeOptions) => {
      const spec = consoleSpec(o);
      const rendererDir = o.rendererDir ? path.resolve(o.rendererDir) : DEFAULT_RENDERER_DIR;
      const build = ensureRendererBuild({ rendererDir, projectRoot: PROJECT_ROOT, isDefaultDir: rendererDir === DEFAULT_RENDERER_DIR, note });
      if (!build.ok) throw new UsageError(build.message);
      if (!LOOPBACK.has(o.host)) note(`listening on ${o.host}: anyone who can reach it and has the token sees the console, over plain HTTP`);

      const dataDir = o.dataDir ? path.resolve(o.dataDir) : defaultDataDir();
      const running = await startConsole(spec, { dataDir, allowPaths: false }).catch((err: unknown) => {
        // A profile with a mistake, an unusable Prometheus URL: the operator's to fix.
        if (err instanceof ProfileError || (spec.kind === 'prometheus' && err instanceof Error && err.message.startsWith('Prometheus URL'))) throw new UsageError(err.message);
        throw err;
      });
      let server;
      try {
        server = await startServeServer({ api: running.session, uploads: running.session.uploads(), port: o.port, host: o.host, rendererDir, allowedHosts: o.allowedHost, log: note });
      } catch (err) {
        await running.stop();
        if (err instanceof ServeStartError) throw new UsageError(err.message);
        throw err;
      }
      process.stdout.write(`Switchboard console: ${server.url}\n`);
      stopOnSignals(() => server.close(), running);
    });
}

/**
 * Ctrl-C / SIGTERM stop the server, then the console (and a demo fleet). Repeated
 * signals while stopping are ignored (a launcher may forward the terminal's Ctrl-C too);
 * a stop that hangs ends at the deadline.
 */
function stopOnSignals(closeServer: () => Promise<void>, running: RunningConsole): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    note(`stopping (${signal})…`);
    setTimeout(() => {
      note(`could not stop within ${STOP_DEADLINE_MS / 1000} s; exiting anyway`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    closeServer()
      .then(() => running.stop())
      .then(
        () => process.exit(0),
        (err: Error) => {
          note(`error while stopping: ${err.message}`);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
