import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BrowserWindow, FakeFrame, FakeWebContents, fake, resetFakes } from './fakeElectron';
import { recordingLog } from './recordingLog';
import { withUnavailableSessionOps } from '../../helpers/sessionOps';
import type { DataApi, InventoryInfo, LiveFrame, Result, SeriesWindow } from '../../../src/shared/api';
import { OPERATION_NAMES, ipcChannel } from '../../../src/shared/bridge';
import { createWindow } from '../../../src/main/shell/createWindow';
import { registerIpcHandlers } from '../../../src/main/shell/ipcHandlers';
import type { IpcHandlers } from '../../../src/main/shell/ipcHandlers';
import { SenderPolicy } from '../../../src/main/shell/senderPolicy';

vi.mock('electron', () => import('./fakeElectron'));

const SERIES: SeriesWindow = { metric: 'connections', fromMs: 1000, toMs: 2000, lines: [{ node: null, label: 'ws', t: [1000], min: [3], max: [5] }] };
const INVENTORY: InventoryInfo = { source: 'file_sd fleet.json', loadedAt: 5, lastError: null, targets: [] };
const VALID_SERIES_REQUEST = { metric: 'connections', fromMs: 1000, toMs: 2000, width: 300 };

/** A ConsoleApi that records its calls and lets the test push frames. */
function fakeApi() {
  const frameSubscribers = new Set<(f: LiveFrame) => void>();
  const api = withUnavailableSessionOps({
    getSeries: vi.fn(async (): Promise<Result<SeriesWindow>> => ({ ok: true, value: SERIES })),
    getTimeline: vi.fn(async () => ({ ok: true as const, value: [] })),
    getInventory: vi.fn(async (): Promise<Result<InventoryInfo>> => ({ ok: true, value: INVENTORY })),
    onFrame: vi.fn((fn: (f: LiveFrame) => void) => {
      frameSubscribers.add(fn);
      return () => void frameSubscribers.delete(fn);
    }),
  } satisfies DataApi);
  const push = (seq: number) => {
    for (const fn of frameSubscribers) fn({ seq } as LiveFrame);
  };
  return { api, frameSubscribers, push };
}

let log: ReturnType<typeof recordingLog>;
let policy: SenderPolicy;
let core: ReturnType<typeof fakeApi>;
let handlers: IpcHandlers;
let win: BrowserWindow;

beforeEach(() => {
  resetFakes();
  log = recordingLog();
  policy = new SenderPolicy();
  core = fakeApi();
  handlers = registerIpcHandlers(core.api, policy, log);
  createWindow({ preload: '/p.js', policy, log });
  win = BrowserWindow.instances[0];
});

/** Calls a registered handler as Electron would. */
async function call(channel: string, event: { sender: FakeWebContents; senderFrame: FakeFrame | null }, arg?: unknown): Promise<Result<unknown>> {
  const handler = fake.ipcMain.handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return (await handler(event, arg)) as Result<unknown>;
}
const fromApp = () => ({ sender: win.webContents, senderFrame: win.webContents.mainFrame });

describe('registerIpcHandlers: channels', () => {
  it('handles every operation of the bridge plus the frame subscription, and nothing else', () => {
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual(
      [...OPERATION_NAMES.map((op) => ipcChannel(op)), ipcChannel('frames:subscribe'), ipcChannel('frames:unsubscribe')].sort(),
    );
  });

  it('removes every handler on dispose', () => {
    handlers.dispose();
    expect(fake.ipcMain.handlers.size).toBe(0);
  });
});

describe('registerIpcHandlers: sender validation', () => {
  it.each([
    ['an unknown webContents', () => {
      const stranger = new FakeWebContents();
      return { sender: stranger, senderFrame: stranger.mainFrame };
    }, 'is not a window of this app'],
    ['a subframe', () => ({ sender: win.webContents, senderFrame: new FakeFrame('app://switchboard/frame.html', win.webContents.mainFrame) }), 'subframe'],
    ['another origin', () => ({ sender: win.webContents, senderFrame: new FakeFrame('https://evil.example/x') }), 'https://evil.example'],
    ['a look-alike origin', () => ({ sender: win.webContents, senderFrame: new FakeFrame('app://switchboard.evil.example/') }), 'app://switchboard.evil.example'],
    ['a frame that is gone', () => ({ sender: win.webContents, senderFrame: null }), 'gone'],
  ])('refuses %s without calling the core', async (_what, event, reason) => {
    for (const op of OPERATION_NAMES) {
      const r = await call(ipcChannel(op), event(), op === 'getSeries' ? VALID_SERIES_REQUEST : op === 'getTimeline' ? {} : undefined);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.code).toBe('forbidden');
        expect(r.message).toContain(reason);
      }
    }
    const sub = await call(ipcChannel('frames:subscribe'), event());
    expect(sub).toMatchObject({ ok: false, code: 'forbidden' });
    expect(core.api.getSeries).not.toHaveBeenCalled();
    expect(core.api.getTimeline).not.toHaveBeenCalled();
    expect(core.api.getInventory).not.toHaveBeenCalled();
    expect(core.api.onFrame).not.toHaveBeenCalled();
  });

  it('logs a refusal once per sender and reason', async () => {
    const stranger = new FakeWebContents();
    for (let i = 0; i < 5; i++) await call(ipcChannel('getInventory'), { sender: stranger, senderFrame: stranger.mainFrame });
    expect(log.lines.filter((l) => l.includes(`refused switchboard:getInventory from webContents ${stranger.id}`))).toHaveLength(1);
  });

  it('refuses a window once it is closed', async () => {
    const event = fromApp();
    win.close();
    expect(await call(ipcChannel('getInventory'), event)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(core.api.getInventory).not.toHaveBeenCalled();
  });
});

describe('registerIpcHandlers: payload validation', () => {
  it.each([
    ['width: -1', { ...VALID_SERIES_REQUEST, width: -1 }, 'width'],
    ['an extra field', { ...VALID_SERIES_REQUEST, token: 'x' }, 'token'],
    ['a missing field', { metric: 'connections', fromMs: 1000, toMs: 2000 }, 'width'],
    ['an unknown metric', { ...VALID_SERIES_REQUEST, metric: 'cpu' }, 'metric'],
    ['not an object', 'connections', 'argument'],
  ])('answers invalid for getSeries with %s, naming the field, without calling the core', async (_what, arg, field) => {
    const r = await call(ipcChannel('getSeries'), fromApp(), arg);
    expect(r).toMatchObject({ ok: false, code: 'invalid' });
    if (!r.ok) {
      expect(r.message.startsWith('getSeries: ')).toBe(true);
      expect(r.message).toContain(field);
    }
    expect(core.api.getSeries).not.toHaveBeenCalled();
  });

  it('answers invalid for an argument to getInventory', async () => {
    expect(await call(ipcChannel('getInventory'), fromApp(), { all: true })).toMatchObject({ ok: false, code: 'invalid' });
    expect(core.api.getInventory).not.toHaveBeenCalled();
  });
});

describe('registerIpcHandlers: valid calls', () => {
  it('passes a valid request to the core and answers its value', async () => {
    expect(await call(ipcChannel('getSeries'), fromApp(), VALID_SERIES_REQUEST)).toEqual({ ok: true, value: SERIES });
    expect(core.api.getSeries).toHaveBeenCalledWith(VALID_SERIES_REQUEST);
    expect(await call(ipcChannel('getInventory'), fromApp())).toEqual({ ok: true, value: INVENTORY });
  });

  it('applies schema defaults before the core sees the query', async () => {
    await call(ipcChannel('getTimeline'), fromApp(), { severities: ['critical'] });
    expect(core.api.getTimeline).toHaveBeenCalledWith({ severities: ['critical'], limit: 500 });
  });

  it('turns a throwing core into an internal error value', async () => {
    core.api.getInventory.mockRejectedValueOnce(new Error('disk on fire'));
    expect(await call(ipcChannel('getInventory'), fromApp())).toEqual({ ok: false, code: 'internal', message: 'disk on fire' });
  });
});

describe('registerIpcHandlers: frames', () => {
  const frames = () => win.webContents.sent.filter((s) => s.channel === ipcChannel('frame')).map((s) => (s.args[0] as LiveFrame).seq);

  it('pushes each frame to a subscribed window until it unsubscribes', async () => {
    expect(await call(ipcChannel('frames:subscribe'), fromApp())).toEqual({ ok: true, value: null });
    core.push(1);
    core.push(2);
    expect(frames()).toEqual([1, 2]);
    expect(win.webContents.sent[0].args).toHaveLength(1);
    expect(await call(ipcChannel('frames:unsubscribe'), fromApp())).toEqual({ ok: true, value: null });
    core.push(3);
    expect(frames()).toEqual([1, 2]);
    expect(core.frameSubscribers.size).toBe(0);
  });

  it('subscribes a window once however often it asks', async () => {
    await call(ipcChannel('frames:subscribe'), fromApp());
    await call(ipcChannel('frames:subscribe'), fromApp());
    core.push(1);
    expect(frames()).toEqual([1]);
    expect(core.api.onFrame).toHaveBeenCalledTimes(1);
  });

  it('unsubscribes when the webContents is destroyed', async () => {
    await call(ipcChannel('frames:subscribe'), fromApp());
    expect(handlers.frameSubscribers).toEqual(new Set([win.webContents.id]));
    win.close();
    expect(core.frameSubscribers.size).toBe(0);
    expect(handlers.frameSubscribers.size).toBe(0);
  });

  it('unsubscribes when the renderer process is gone', async () => {
    await call(ipcChannel('frames:subscribe'), fromApp());
    win.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    expect(core.frameSubscribers.size).toBe(0);
  });

  it('does not pile up lifecycle listeners across resubscriptions', async () => {
    const before = win.webContents.listenerCount('destroyed');
    for (let i = 0; i < 20; i++) {
      await call(ipcChannel('frames:subscribe'), fromApp());
      await call(ipcChannel('frames:unsubscribe'), fromApp());
    }
    expect(win.webContents.listenerCount('destroyed')).toBe(before + 1);
  });

  it('stops sending to a webContents whose send throws, without throwing into the core', async () => {
    await call(ipcChannel('frames:subscribe'), fromApp());
    vi.spyOn(win.webContents, 'send').mockImplementation(() => {
      throw new Error('Render frame was disposed');
    });
    expect(() => core.push(1)).not.toThrow();
    expect(core.frameSubscribers.size).toBe(0);
    expect(log.lines.some((l) => l.includes('stopped frames') && l.includes('Render frame was disposed'))).toBe(true);
  });

  it('ends every subscription on dispose', async () => {
    await call(ipcChannel('frames:subscribe'), fromApp());
    handlers.dispose();
    expect(core.frameSubscribers.size).toBe(0);
  });
});
