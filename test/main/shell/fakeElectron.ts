/**
 * A fake of the parts of the `electron` module the shell and the preload use (the
 * Electron binary cannot be downloaded here). Test files install it with
 * `vi.mock('electron', () => import('./fakeElectron'))` and read what was recorded
 * from {@link fake}; `resetFakes()` in `beforeEach` gives every test a clean slate.
 */
import { EventEmitter } from 'node:events';
import type { SafeStorage } from 'electron';
import { vi } from 'vitest';

type Handler = (...args: unknown[]) => unknown;

/** A frame as WebFrameMain presents it to IPC handlers. */
export class FakeFrame {
  constructor(
    public url: string,
    public parent: FakeFrame | null = null,
  ) {}
}

export class FakeSession {
  permissionRequestHandler: Handler | null = null;
  permissionCheckHandler: Handler | null = null;
  setPermissionRequestHandler(h: Handler | null): void {
    this.permissionRequestHandler = h;
  }
  setPermissionCheckHandler(h: Handler | null): void {
    this.permissionCheckHandler = h;
  }
}

let nextContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly session = new FakeSession();
  readonly mainFrame = new FakeFrame('app://switchboard/index.html');
  windowOpenHandler: Handler | null = null;
  /** Every `send(channel, ...args)`, in order. */
  readonly sent: { channel: string; args: unknown[] }[] = [];
  private destroyed = false;

  setWindowOpenHandler(h: Handler): void {
    this.windowOpenHandler = h;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
  /** Emits a cancellable Electron event (`details` is what the listener reads) and says whether it was prevented. */
  emitCancellable(name: string, details: Record<string, unknown> = {}): boolean {
    let prevented = false;
    const event = { ...details, preventDefault: () => (prevented = true), get defaultPrevented() { return prevented; } };
    this.emit(name, event);
    return prevented;
  }
}

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class BrowserWindow extends EventEmitter {
  static readonly instances: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  bounds: Bounds;
  maximized = false;
  minimized = false;
  shown = false;
  focused = false;
  loadedUrl: string | null = null;
  private destroyed = false;

  constructor(readonly options: Record<string, unknown>) {
    super();
    const n = (k: string, d: number) => (typeof options[k] === 'number' ? (options[k] as number) : d);
    this.bounds = { x: n('x', 100), y: n('y', 100), width: n('width', 800), height: n('height', 600) };
    BrowserWindow.instances.push(this);
  }
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.instances.filter((w) => !w.destroyed);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  show(): void {
    this.shown = true;
  }
  maximize(): void {
    this.maximized = true;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  focus(): void {
    this.focused = true;
  }
  getNormalBounds(): Bounds {
    return { ...this.bounds };
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Closes like Electron: `close`, then `closed`, then the webContents is destroyed. */
  close(): void {
    this.emit('close', { preventDefault: () => undefined });
    this.destroyed = true;
    this.emit('closed');
    this.webContents.destroy();
  }
}

class FakeApp extends EventEmitter {
  lock = true;
  userData = '/nonexistent-userdata';
  isPackaged = false;
  readonly quit = vi.fn();
  readonly enableSandbox = vi.fn();
  readonly requestSingleInstanceLock = vi.fn(() => this.lock);
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  getPath(name: string): string {
    if (name !== 'userData') throw new Error(`fake app.getPath: ${name} not faked`);
    return this.userData;
  }
}

export const app = new FakeApp();

export const ipcMain = {
  handlers: new Map<string, Handler>(),
  handle(channel: string, fn: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, fn);
  },
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  },
};

export const protocol = {
  privileged: [] as unknown[],
  handlers: new Map<string, Handler>(),
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    this.privileged.push(...schemes);
  },
  handle(scheme: string, fn: Handler): void {
    this.handlers.set(scheme, fn);
  },
};

export const shell = { openExternal: vi.fn(async (_url: string) => undefined) };

export const screen = {
  displays: [{ id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }],
  getAllDisplays() {
    return this.displays;
  },
};

type StorageBackend = ReturnType<SafeStorage['getSelectedStorageBackend']>;
const defaultBackend = (): StorageBackend => 'gnome_libsecret';

/** Reversible "encryption" marked with a prefix, so tests can tell ciphertext from plain text. */
export const safeStorage = {
  available: true,
  backend: defaultBackend(),
  reEncrypt: false,
  isAsyncEncryptionAvailable: vi.fn(async () => safeStorage.available),
  encryptStringAsync: vi.fn(async (plain: string) => Buffer.from(`enc:${[...plain].reverse().join('')}`)),
  decryptStringAsync: vi.fn(async (cipher: Buffer) => {
    const text = cipher.toString();
    if (!text.startsWith('enc:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return { result: [...text.slice(4)].reverse().join(''), shouldReEncrypt: safeStorage.reEncrypt };
  }),
  getSelectedStorageBackend: vi.fn(() => safeStorage.backend),
};

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    this.exposed.set(key, api);
  },
};

/** The path Electron knows for a File from an input or a drop: here, the file's `path` property ('' when none). */
export const webUtils = {
  getPathForFile: vi.fn((file: { path?: string }) => file.path ?? ''),
};

class FakeIpcRenderer extends EventEmitter {
  /** What invoke answers, per channel (default `{ ok: true, value: null }`). */
  readonly answers = new Map<string, unknown>();
  readonly invoke = vi.fn(async (channel: string, ..._args: unknown[]) => this.answers.get(channel) ?? { ok: true, value: null });
}
export const ipcRenderer = new FakeIpcRenderer();

export const Menu = {
  applied: null as { template: unknown[] } | null,
  buildFromTemplate(template: unknown[]) {
    return { template };
  },
  setApplicationMenu(menu: { template: unknown[] } | null): void {
    this.applied = menu;
  },
};

/** Everything the fakes recorded. */
export const fake = { app, ipcMain, protocol, shell, screen, safeStorage, contextBridge, ipcRenderer, Menu, BrowserWindow, webUtils };

export function resetFakes(): void {
  app.removeAllListeners();
  app.lock = true;
  app.isPackaged = false;
  app.quit.mockClear();
  app.enableSandbox.mockClear();
  app.requestSingleInstanceLock.mockClear();
  ipcMain.handlers.clear();
  protocol.privileged.length = 0;
  protocol.handlers.clear();
  shell.openExternal.mockClear();
  safeStorage.available = true;
  safeStorage.backend = defaultBackend();
  safeStorage.reEncrypt = false;
  safeStorage.encryptStringAsync.mockClear();
  contextBridge.exposed.clear();
  webUtils.getPathForFile.mockClear();
  ipcRenderer.removeAllListeners();
  ipcRenderer.answers.clear();
  ipcRenderer.invoke.mockClear();
  Menu.applied = null;
  BrowserWindow.instances.length = 0;
}
