import { BrowserWindow, screen } from 'electron';
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { APP_ENTRY_URL } from './appProtocol';
import type { SenderPolicy } from './senderPolicy';
import type { ShellLogger } from './shellLogger';
import { denyAllPermissions, guardWebContents } from './webContentsGuards';
import { isOnVisibleDisplay, loadWindowState, trackWindowState } from './windowState';

export interface WindowOptions {
  /** Absolute path of the built preload (`out/preload/index.js`). */
  preload: string;
  /** Every window's webContents is trusted for IPC here, and only windows made here are. */
  policy: SenderPolicy;
  /** Where the window's bounds are remembered (a JSON file in userData); omit to not remember. */
  stateFile?: string;
  log: ShellLogger;
}

export const DEFAULT_SIZE = { width: 1280, height: 800 } as const;
export const MIN_SIZE = { minWidth: 800, minHeight: 500 } as const;

/**
 * The renderer's sandbox (Electron's security checklist, all of it): isolated context,
 * OS sandbox, no Node, web security on, no webview, and only the preload bridge.
 */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    preload,
  };
}

/**
 * The one factory for the app's windows: secure web preferences, navigation and
 * permission guards, IPC trust for its webContents, remembered bounds, and the app
 * loaded from `app://switchboard/`. The window shows once its first paint is ready.
 */
export function createWindow(o: WindowOptions): BrowserWindow {
  const saved = o.stateFile ? loadWindowState(o.stateFile, o.log) : null;
  const visible = saved !== null && isOnVisibleDisplay(saved, screen.getAllDisplays().map((d) => d.workArea));
  if (saved && !visible) o.log.info('window state: saved bounds are off every display; using the default size');
  const options: BrowserWindowConstructorOptions = {
    ...(saved && visible ? { x: saved.x, y: saved.y, width: saved.width, height: saved.height } : DEFAULT_SIZE),
    ...MIN_SIZE,
    title: 'Switchboard',
    show: false,
    backgroundColor: '#111418',
    webPreferences: secureWebPreferences(o.preload),
  };
  const win = new BrowserWindow(options);
  const contents = win.webContents;
  o.policy.trust(contents);
  guardWebContents(contents, o.log);
  denyAllPermissions(contents.session);
  if (o.stateFile) trackWindowState(win, o.stateFile, o.log);
  win.once('ready-to-show', () => {
    if (saved?.maximized && visible) win.maximize();
    win.show();
  });
  win.loadURL(APP_ENTRY_URL).catch((err: Error) => o.log.error(`window: cannot load ${APP_ENTRY_URL}: ${err.message}`));
  return win;
}
