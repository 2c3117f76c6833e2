import { join } from 'node:path';
import { app } from 'electron';
import type { BrowserWindow } from 'electron';
import type pino from 'pino';
import { handleAppProtocol, registerAppScheme } from './appProtocol';
import { createWindow } from './createWindow';
import { registerIpcHandlers } from './ipcHandlers';
import type { IpcHandlers } from './ipcHandlers';
import { installMenu } from './menu';
import { SenderPolicy } from './senderPolicy';
import { shellDataDir, startFleet as startFleetFromEnv } from './startFleet';
import type { ShellFleet } from './startFleet';

export interface ShellOptions {
  /** Absolute path of the built preload script. */
  preload: string;
  /** Absolute path of the renderer build served on `app://switchboard/`. */
  rendererDir: string;
  env: NodeJS.ProcessEnv;
  log: pino.Logger;
  /** Starts the console the window shows (the environment's fleet unless a test says otherwise). */
  startFleet?: (env: NodeJS.ProcessEnv, log: pino.Logger, dataDir: string | null) => Promise<ShellFleet>;
}

/** Longest wait for the fleet to stop on quit; past it the app quits anyway. */
export const STOP_TIMEOUT_MS = 5000;
export const WINDOW_STATE_FILE = 'window-state.json';

/** What {@link startShell} started, for tests and for the composition root's own use. */
export interface Shell {
  /** Settles once the window is open (or startup gave up). */
  ready: Promise<void>;
  /** Stops IPC and the fleet (once; later calls get the same promise). */
  stop(): Promise<void>;
}

/**
 * The app's lifecycle: one instance (a second one focuses the first window and
 * quits), the `app://` scheme, the fleet, IPC, the menu and the window; on quit, IPC
 * and the fleet are stopped before the process exits.
 */
export function startShell(o: ShellOptions): Shell {
  const startFleet = o.startFleet ?? startFleetFromEnv;
  // Before ready: the scheme's privileges and the sandbox apply to every renderer.
  registerAppScheme();
  app.enableSandbox();
  if (!app.requestSingleInstanceLock()) {
    o.log.info('another Switchboard is running: focusing it');
    app.quit();
    return { ready: Promise.resolve(), stop: () => Promise.resolve() };
  }

  const policy = new SenderPolicy();
  let win: BrowserWindow | null = null;
  let fleet: ShellFleet | null = null;
  let ipc: IpcHandlers | null = null;
  let stopping: Promise<void> | null = null;
  let quitting = false;

  app.on('second-instance', () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  const ready = app.whenReady().then(async () => {
    handleAppProtocol(o.rendererDir);
    fleet = await startFleet(o.env, o.log, shellDataDir(app.getPath('userData')));
    o.log.info(`console: ${fleet.description}`);
    if (stopping) return; // quit while the fleet was starting: stop() takes it from here
    ipc = registerIpcHandlers(fleet.session, policy, o.log);
    installMenu({ dev: !app.isPackaged, platform: process.platform });
    win = createWindow({ preload: o.preload, policy, stateFile: join(app.getPath('userData'), WINDOW_STATE_FILE), log: o.log });
  });
  ready.catch((err: Error) => {
    o.log.error(`startup failed: ${err.message}`);
    app.quit();
  });

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await ready.catch(() => undefined);
      ipc?.dispose();
      const running = fleet;
      if (!running) return;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS)));
      const outcome = await Promise.race([running.stop().then(() => 'stopped' as const, (err: Error) => err), timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') o.log.warn(`fleet: not stopped after ${STOP_TIMEOUT_MS} ms; quitting anyway`);
      else if (outcome instanceof Error) o.log.warn(`fleet: stop failed: ${outcome.message}`);
    })();
    return stopping;
  };

  // Quit when the last window closes, on every platform: the console is its window.
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (quitting) return;
    // Hold the quit until the fleet (the demo's nodes, open streams) has stopped.
    event.preventDefault();
    void stop().finally(() => {
      quitting = true;
      app.quit();
    });
  });

  return { ready, stop };
}
