import { join } from 'node:path';
import { app } from 'electron';
import type pino from 'pino';
import { startConsole } from '../session/startConsole';
import type { RunningConsole } from '../session/startConsole';
import { loadShellSettings, settingsFile } from './settings';

/** The console session the window shows, and how to stop it and whatever feeds it. */
export type ShellFleet = RunningConsole;

/** Scrape interval for a real fleet's file_sd targets (Prometheus' own default is slower). */
export const FLEET_SCRAPE_MS = 5000;

/**
 * The fleet from the environment: `SWITCHBOARD_FLEET=<file_sd path>` watches that
 * fleet; `SWITCHBOARD_DEMO=1` starts the demo fleet in this process (its file_sd file in
 * a temporary folder, removed on stop); otherwise Prometheus mode when the settings
 * (`settings.json` in userData) name a Prometheus server, else an empty console ("no fleet"). If the
 * fleet cannot start, the console starts empty and says why in its source name, so the
 * window still opens and shows the reason. The audit log, rollout state and recordings
 * live in `dataDir` (the app's userData folder); recordings may be opened by path.
 */
export async function startFleet(env: NodeJS.ProcessEnv, log: pino.Logger, dataDir: string | null = null, settingsPath: string = settingsFile(app.getPath('userData'))): Promise<ShellFleet> {
  const file = env.SWITCHBOARD_FLEET?.trim();
  const places = { dataDir, allowPaths: true };
  try {
    if (file) {
      if (env.SWITCHBOARD_DEMO === '1') log.warn('SWITCHBOARD_FLEET is set: ignoring SWITCHBOARD_DEMO');
      return await startConsole({ kind: 'inventory', inventory: { kind: 'file_sd', file }, scrapeIntervalMs: FLEET_SCRAPE_MS }, places);
    }
    if (env.SWITCHBOARD_DEMO === '1') return await startConsole({ kind: 'demo', nodes: 3, clients: 300, incidentEveryMs: 180_000, logger: log }, places);
    const prom = loadShellSettings(settingsPath, log).prometheus;
    if (prom) {
      return await startConsole({
        kind: 'prometheus',
        profile: prom.profile,
        ...(prom.intervalSeconds ? { intervalMs: prom.intervalSeconds * 1000 } : {}),
        prometheus: { url: prom.url, job: prom.job, bearerTokenFile: prom.tokenFile, authHint: 'check the Prometheus token file in Settings' },
      }, places);
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log.error(`fleet: cannot start (${message}); the console starts without a fleet`);
    return startConsole({ kind: 'none', name: `fleet failed to start: ${message}`.slice(0, 200) }, places);
  }
  return startConsole({ kind: 'none' }, places);
}

/** The shell's data folder inside Electron's userData. */
export function shellDataDir(userData: string): string {
  return join(userData, 'data');
}
