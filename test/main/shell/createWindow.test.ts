import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BrowserWindow, fake, resetFakes } from './fakeElectron';
import { recordingLog } from './recordingLog';
import { createWindow } from '../../../src/main/shell/createWindow';
import { isAllowedExternal } from '../../../src/main/shell/externalLinks';
import { SenderPolicy } from '../../../src/main/shell/senderPolicy';
import { SAVE_DEBOUNCE_MS } from '../../../src/main/shell/windowState';

vi.mock('electron', () => import('./fakeElectron'));

const PRELOAD = '/abs/out/preload/index.js';
let dir: string;
let log: ReturnType<typeof recordingLog>;
let policy: SenderPolicy;

beforeEach(() => {
  resetFakes();
  dir = mkdtempSync(join(tmpdir(), 'sb-window-'));
  log = recordingLog();
  policy = new SenderPolicy();
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

/** Creates a window through the factory and returns the fake behind it. */
function open(stateFile?: string): BrowserWindow {
  createWindow({ preload: PRELOAD, policy, stateFile, log });
  const win = BrowserWindow.instances.at(-1);
  if (!win) throw new Error('no window was created');
  return win;
}

describe('createWindow: the sandbox', () => {
  it('sets every security preference and the preload', () => {
    const win = open();
    expect(win.options.webPreferences).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      preload: PRELOAD,
    });
  });

  it('loads the app over app:// and shows the window only when ready', () => {
    const win = open();
    expect(win.options.show).toBe(false);
    expect(win.loadedUrl).toBe('app://switchboard/index.html');
    expect(win.shown).toBe(false);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
  });

  it('trusts its webContents for IPC until it is destroyed', () => {
    const win = open();
    expect(policy.isTrusted(win.webContents)).toBe(true);
    win.close();
    expect(policy.isTrusted(win.webContents)).toBe(false);
  });
});

describe('createWindow: navigation and new windows', () => {
  it('denies window.open, opening only allowlisted https links in the browser', () => {
    const wc = open().webContents;
    const openWith = (url: string) => wc.windowOpenHandler?.({ url, frameName: '', features: '', disposition: 'new-window' });
    expect(openWith('https://github.com/acme/switchboard')).toEqual({ action: 'deny' });
    expect(openWith('https://prometheus.io/docs/')).toEqual({ action: 'deny' });
    expect(fake.shell.openExternal.mock.calls).toEqual([['https://github.com/acme/switchboard'], ['https://prometheus.io/docs/']]);
    fake.shell.openExternal.mockClear();
    for (const url of ['https://evil.example/', 'http://github.com/x', 'https://github.com.evil.example/', 'https://github.com@evil.example/', 'file:///etc/passwd', 'app://switchboard/index.html', 'javascript:alert(1)']) {
      expect(openWith(url)).toEqual({ action: 'deny' });
    }
    expect(fake.shell.openExternal).not.toHaveBeenCalled();
  });

  it('keeps the allowlist to https on the listed origins and paths', () => {
    expect(isAllowedExternal('https://github.com/')).toBe(true);
    expect(isAllowedExternal('https://gist.github.com/')).toBe(false);
    expect(isAllowedExternal('https://user:pw@github.com/')).toBe(false);
    expect(isAllowedExternal('https://docs.example/x', ['https://docs.example/x'])).toBe(true);
    expect(isAllowedExternal('https://docs.example/y', ['https://docs.example/x'])).toBe(false);
  });

  it.each(['will-navigate', 'will-redirect'])('%s: prevents other origins, allows app://switchboard/', (name) => {
    const wc = open().webContents;
    expect(wc.emitCancellable(name, { url: 'https://evil.example/' })).toBe(true);
    expect(wc.emitCancellable(name, { url: 'app://evil/index.html' })).toBe(true);
    expect(wc.emitCancellable(name, { url: 'file:///etc/passwd' })).toBe(true);
    expect(wc.emitCancellable(name, { url: 'app://switchboard/index.html#/nodes' })).toBe(false);
    expect(log.lines).toContain(`warn: window: refused ${name === 'will-navigate' ? 'navigation' : 'redirect'} to https://evil.example/`);
  });

  it('prevents subframes from navigating away from the app', () => {
    const wc = open().webContents;
    expect(wc.emitCancellable('will-frame-navigate', { url: 'https://evil.example/', isMainFrame: false })).toBe(true);
    expect(wc.emitCancellable('will-frame-navigate', { url: 'app://switchboard/x.html', isMainFrame: false })).toBe(false);
  });

  it('prevents <webview> from attaching', () => {
    expect(open().webContents.emitCancellable('will-attach-webview')).toBe(true);
  });

  it('denies every permission request and check', () => {
    const session = open().webContents.session;
    const answers: boolean[] = [];
    for (const perm of ['media', 'geolocation', 'notifications', 'openExternal']) session.permissionRequestHandler?.(null, perm, (granted: boolean) => answers.push(granted), {});
    expect(answers).toEqual([false, false, false, false]);
    expect(session.permissionCheckHandler?.(null, 'clipboard-read', 'app://switchboard', {})).toBe(false);
  });
});

describe('createWindow: remembered window state', () => {
  it('saves bounds and maximized on close and restores them', () => {
    const file = join(dir, 'window-state.json');
    const first = open(file);
    first.bounds = { x: 50, y: 60, width: 1000, height: 700 };
    first.maximized = true;
    first.close();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ x: 50, y: 60, width: 1000, height: 700, maximized: true });
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = open(file);
    expect(second.options).toMatchObject({ x: 50, y: 60, width: 1000, height: 700 });
    expect(second.maximized).toBe(false);
    second.emit('ready-to-show');
    expect(second.maximized).toBe(true);
  });

  it('saves once moves and resizes settle', () => {
    vi.useFakeTimers();
    const file = join(dir, 'window-state.json');
    const win = open(file);
    win.bounds = { x: 10, y: 20, width: 900, height: 600 };
    win.emit('move');
    win.emit('resize');
    vi.advanceTimersByTime(SAVE_DEBOUNCE_MS - 1);
    expect(() => readFileSync(file)).toThrow();
    vi.advanceTimersByTime(1);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ x: 10, y: 20, width: 900, height: 600, maximized: false });
  });

  it('ignores saved bounds that are on no connected display', () => {
    const file = join(dir, 'window-state.json');
    writeFileSync(file, JSON.stringify({ x: 5000, y: 100, width: 1000, height: 700, maximized: false }));
    const win = open(file);
    expect(win.options).toMatchObject({ width: 1280, height: 800 });
    expect(win.options.x).toBeUndefined();
    expect(log.lines.some((l) => l.includes('off every display'))).toBe(true);
  });

  it.each([
    ['not JSON', '{"x": 1,'],
    ['a wrong type', JSON.stringify({ x: 'left', y: 0, width: 1000, height: 700, maximized: false })],
    ['an extra field', JSON.stringify({ x: 0, y: 0, width: 1000, height: 700, maximized: false, evil: true })],
    ['a tiny window', JSON.stringify({ x: 0, y: 0, width: 1, height: 1, maximized: false })],
  ])('ignores a corrupt file (%s) and logs why', (_what, text) => {
    const file = join(dir, 'window-state.json');
    writeFileSync(file, text);
    const win = open(file);
    expect(win.options).toMatchObject({ width: 1280, height: 800 });
    expect(log.lines.filter((l) => l.startsWith(`warn: window state: ignoring ${file}`))).toHaveLength(1);
  });

  it('opens with the default size when there is no saved state', () => {
    const win = open(join(dir, 'none.json'));
    expect(win.options).toMatchObject({ width: 1280, height: 800, minWidth: 800, minHeight: 500 });
    expect(log.lines).toEqual([]);
  });
});
