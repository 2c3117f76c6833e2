/**
 * The Electron main process's composition root (electron-vite's main entry, built to
 * `out/main/index.js`): wires the shell around the console core. Everything it starts
 * lives in {@link startShell}; this file only says where the built pieces are.
 *
 * Environment: `SWITCHBOARD_FLEET=<file_sd path>` watches that fleet, `SWITCHBOARD_DEMO=1`
 * runs the demo fleet in-process, neither opens the console without a fleet.
 */
import { join } from 'node:path';
import pino from 'pino';
import { startShell } from './startShell';

// Built as CommonJS into out/main/, beside out/preload/ and out/renderer/.
startShell({
  preload: join(__dirname, '../preload/index.js'),
  rendererDir: join(__dirname, '../renderer'),
  env: process.env,
  log: pino({ level: process.env.LOG_LEVEL ?? 'info' }),
});
