import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pino from 'pino';
import { startDemoFleet } from '../../fleet/demo/demoFleet';
import { ConsoleCore, startLiveConsole } from '../core';

/** The console the window shows, and how to stop it and whatever feeds it. */
export interface ShellFleet {
  core: ConsoleCore;
  /** One line for the log: which fleet this is. */
  description: string;
  stop(): Promise<void>;
}

/** Scrape interval for a real fleet's file_sd targets (Prometheus' own default is slower). */
export const FLEET_SCRAPE_MS = 5000;
/** The demo fleet is three local nodes: scrape it every second for a lively console. */
export const DEMO_SCRAPE_MS = 1000;

/**
 * The fleet from the environment: `SWITCHBOARD_FLEET=<file_sd path>` watches that
 * fleet; `SWITCHBOARD_DEMO=1` starts the demo fleet in this process (its file_sd file in
 * a temporary folder, removed on stop); otherwise an empty console ("no fleet"). If the
 * fleet cannot start, the console starts empty and says why in its source name, so the
 * window still opens and shows the reason.
 */
export async function startFleet(env: NodeJS.ProcessEnv, log: pino.Logger): Promise<ShellFleet> {
  const file = env.SWITCHBOARD_FLEET?.trim();
  try {
    if (file) {
      if (env.SWITCHBOARD_DEMO === '1') log.warn('SWITCHBOARD_FLEET is set: ignoring SWITCHBOARD_DEMO');
      const live = await startLiveConsole({ inventory: { kind: 'file_sd', file }, scrape: { intervalMs: FLEET_SCRAPE_MS } });
      return { core: live.core, description: `fleet from ${file}`, stop: () => live.stop() };
    }
    if (env.SWITCHBOARD_DEMO === '1') return await startDemo(log);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log.error(`fleet: cannot start (${message}); the console starts without a fleet`);
    return emptyConsole(`fleet failed to start: ${message}`.slice(0, 200));
  }
  return emptyConsole('no fleet');
}

async function startDemo(log: pino.Logger): Promise<ShellFleet> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-demo-'));
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    const fleet = await startDemoFleet({ nodes: 3, clients: 300, fleetFile: join(dir, 'fleet.json'), incidentEveryMs: 180_000, logger: log });
    try {
      const live = await startLiveConsole({ inventory: { kind: 'file_sd', file: join(dir, 'fleet.json') }, scrape: { intervalMs: DEMO_SCRAPE_MS } });
      let stopping: Promise<void> | null = null;
      const stop = async (): Promise<void> => {
        await live.stop();
        await fleet.stop();
        removeDir();
      };
      return {
        core: live.core,
        description: `demo fleet (${fleet.targets.length} nodes, file_sd in ${dir})`,
        stop: () => (stopping ??= stop()),
      };
    } catch (err) {
      await fleet.stop();
      throw err;
    }
  } catch (err) {
    removeDir();
    throw err;
  }
}

function emptyConsole(name: string): ShellFleet {
  const core = new ConsoleCore({ source: { kind: 'none', name, capabilities: { seek: false, speed: false, actions: false } } });
  core.start();
  return { core, description: name, stop: async () => core.stop() };
}
