import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BrowserWindow, fake, resetFakes } from './fakeElectron';
import { ConsoleCore } from '../../../src/main/core';
import { ipcChannel } from '../../../src/shared/bridge';
import type { ShellFleet } from '../../../src/main/shell/startFleet';
import { startFleet } from '../../../src/main/shell/startFleet';
import { ConsoleSession } from '../../../src/main/session/consoleSession';
import { startShell } from '../../../src/main/shell/startShell';

vi.mock('electron', () => import('./fakeElectron'));

const log = pino({ level: 'silent' });
let dir: string;

/** A fleet that records being stopped. */
function fakeFleet(): ShellFleet & { stopped: number } {
  const core = new ConsoleCore();
  const fleet = {
    core,
    session: new ConsoleSession({ live: core }),
    demo: null,
    description: 'test fleet',
    stopped: 0,
    stop: async () => {
      fleet.stopped++;
      core.stop();
    },
  };
  return fleet;
}

beforeEach(() => {
  resetFakes();
  dir = mkdtempSync(join(tmpdir(), 'sb-shell-'));
  fake.app.userData = dir;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const options = (fleet: ShellFleet) => ({ preload: '/app/out/preload/index.js', rendererDir: '/app/out/renderer', env: {}, log, startFleet: async () => fleet });

describe('startShell', () => {
  it('quits at once when another instance holds the lock, starting nothing', async () => {
    fake.app.lock = false;
    const fleet = fakeFleet();
    const starter = vi.fn(async () => fleet);
    await startShell({ ...options(fleet), startFleet: starter }).ready;
    expect(fake.app.quit).toHaveBeenCalledTimes(1);
    expect(starter).not.toHaveBeenCalled();
    expect(BrowserWindow.instances).toHaveLength(0);
    expect(fake.ipcMain.handlers.size).toBe(0);
  });

  it('registers the scheme before ready, then serves app://, IPC, the menu and one secure window', async () => {
    const shell = startShell(options(fakeFleet()));
    expect(fake.protocol.privileged).toHaveLength(1);
    expect(fake.app.enableSandbox).toHaveBeenCalled();
    await shell.ready;
    expect(fake.protocol.handlers.has('app')).toBe(true);
    expect(fake.ipcMain.handlers.has(ipcChannel('getSeries'))).toBe(true);
    expect(fake.Menu.applied).not.toBeNull();
    expect(BrowserWindow.instances).toHaveLength(1);
    expect(BrowserWindow.instances[0].options.webPreferences).toMatchObject({ preload: '/app/out/preload/index.js', sandbox: true });
    await shell.stop();
  });

  it('focuses (and restores) the first window when a second instance starts', async () => {
    const shell = startShell(options(fakeFleet()));
    await shell.ready;
    const win = BrowserWindow.instances[0];
    win.minimized = true;
    fake.app.emit('second-instance', {}, [], '/');
    expect(win.minimized).toBe(false);
    expect(win.focused).toBe(true);
    await shell.stop();
  });

  it('holds the quit until IPC and the fleet are stopped, then quits', async () => {
    const fleet = fakeFleet();
    const shell = startShell(options(fleet));
    await shell.ready;
    let prevented = false;
    fake.app.emit('before-quit', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await shell.stop();
    await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalledTimes(1));
    expect(fleet.stopped).toBe(1);
    expect(fake.ipcMain.handlers.size).toBe(0);
    // The second before-quit (from that app.quit) goes through.
    let preventedAgain = false;
    fake.app.emit('before-quit', { preventDefault: () => (preventedAgain = true) });
    expect(preventedAgain).toBe(false);
    expect(fleet.stopped).toBe(1);
  });

  it('quits when the last window closes', async () => {
    const shell = startShell(options(fakeFleet()));
    await shell.ready;
    fake.app.emit('window-all-closed');
    expect(fake.app.quit).toHaveBeenCalledTimes(1);
    await shell.stop();
  });
});

describe('startFleet', () => {
  it('starts an empty console when no fleet is configured', async () => {
    const fleet = await startFleet({}, log);
    expect(fleet.core.source).toMatchObject({ kind: 'none', name: 'no fleet' });
    await fleet.stop();
  });

  it('watches the file_sd file named by SWITCHBOARD_FLEET (a missing file is an inventory error, not a crash)', async () => {
    const file = join(dir, 'missing-fleet.json');
    const fleet = await startFleet({ SWITCHBOARD_FLEET: file }, log);
    expect(fleet.description).toBe(`fleet from ${file}`);
    expect(fleet.core.source.kind).toBe('live');
    const inventory = await fleet.core.getInventory();
    expect(inventory.ok && inventory.value.lastError).toBeTruthy();
    await fleet.stop();
  });

  it('runs the demo fleet in-process on SWITCHBOARD_DEMO=1 and removes its temp folder on stop', async () => {
    const fleet = await startFleet({ SWITCHBOARD_DEMO: '1' }, log);
    try {
      const dir = /file_sd in (\S+)\)$/.exec(fleet.description)?.[1] ?? '';
      expect(existsSync(join(dir, 'fleet.json'))).toBe(true);
      expect(fleet.core.source.kind).toBe('live');
      await vi.waitFor(async () => {
        const inv = await fleet.core.getInventory();
        expect(inv.ok && inv.value.targets.map((t) => t.id).sort()).toEqual(['gw-1', 'gw-2', 'gw-3']);
      }, { timeout: 10_000, interval: 100 });
      await fleet.stop();
      expect(existsSync(dir)).toBe(false);
    } finally {
      await fleet.stop().catch(() => undefined);
    }
  });
});
