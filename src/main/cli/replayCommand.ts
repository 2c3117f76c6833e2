// `switchboard replay FILE [--port 7300]`: serve mode on a recording. Prints the same
// `Switchboard console: http://127.0.0.1:PORT/#token=…` line as `serve`; bad input is
// one line on stderr and exit code 2.

import path from 'node:path';
import type { Command } from 'commander';
import { ConsoleCore } from '../core';
import { ReplaySource } from '../core/sources/replay';
import { ConsoleSession } from '../session/consoleSession';
import { ServeStartError, ensureRendererBuild, startServeServer } from '../serve';
import { parseTimeArg } from './exportCommand';
import { intOption } from './options';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
const DEFAULT_RENDERER_DIR = path.join(PROJECT_ROOT, 'out', 'renderer');

interface ReplayOptions {
  port: number;
  host: string;
  rendererDir?: string;
  speed: string;
  at?: string;
  paused?: boolean;
  dataDir?: string;
}

const note = (line: string): void => void process.stderr.write(`switchboard replay: ${line}\n`);
const fail = (message: string): void => {
  process.stderr.write(`switchboard replay: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exitCode = 2;
};

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('serve the console on a recording (as serve does on a live fleet): play, seek and review what happened')
    .argument('<file>', 'a recording (.mcap)')
    .option('--port <n>', 'port (0 = any free port)', intOption(0, 65_535), 7300)
    .option('--host <addr>', 'listen address', '127.0.0.1')
    .option('--renderer-dir <dir>', 'the renderer build (default: out/renderer, built if missing)')
    .option('--speed <x>', 'playback speed, 0.25 to 64', '1')
    .option('--at <time>', 'start at this time (ISO or ms since the epoch) instead of the beginning')
    .option('--paused', 'open paused instead of playing')
    .option('--data-dir <dir>', 'a data folder whose recordings the console may open and receive uploads into (default: none)')
    .action(async (file: string, o: ReplayOptions) => {
      const speed = Number(o.speed);
      const at = o.at === undefined ? undefined : parseTimeArg(o.at);
      if (at === null) return fail(`--at: expected an ISO time or ms since the epoch, got "${o.at}"`);
      const rendererDir = o.rendererDir ? path.resolve(o.rendererDir) : DEFAULT_RENDERER_DIR;
      const build = ensureRendererBuild({ rendererDir, projectRoot: PROJECT_ROOT, isDefaultDir: rendererDir === DEFAULT_RENDERER_DIR, note });
      if (!build.ok) return fail(build.message);

      const source = await ReplaySource.open(path.resolve(file), {
        onProgress: (p) => {
          if (p.phase !== 'summary' && p.total > 0 && p.done === p.total) note(`${p.phase === 'scan' ? 'index rebuilt' : 'markers read'}`);
        },
      });
      const st = source.status();
      if (st.state === 'error') return fail(st.error ?? `cannot open ${file}`);
      const sp = source.setSpeed(speed);
      if (!sp.ok) {
        source.close();
        return fail(`--speed: ${sp.message}`);
      }
      for (const w of st.warnings) note(w);
      source.recording?.onWarning((w) => note(w));
      if (at !== undefined) source.seek(at, 'exact');
      if (!o.paused) source.play();

      // The recording in a session of its own: no fleet behind it, so closing it shows "no fleet".
      const empty = new ConsoleCore({ source: { kind: 'none', name: 'no fleet (replay only)', capabilities: { seek: false, speed: false, actions: false } } });
      const session = new ConsoleSession({ live: empty, recordingsDir: o.dataDir ? path.join(path.resolve(o.dataDir), 'recordings') : null, allowPaths: false });
      session.attachReplay(source);
      let server;
      try {
        server = await startServeServer({ api: session, uploads: session.uploads(), port: o.port, host: o.host, rendererDir, log: note });
      } catch (err) {
        session.close();
        if (err instanceof ServeStartError) return fail(err.message);
        throw err;
      }
      process.stdout.write(`Switchboard console: ${server.url}\n`);
      const stop = (): void => {
        void server.close().finally(() => {
          session.close();
          process.exit(0);
        });
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
