import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fake, resetFakes } from './fakeElectron';
import type { ConsoleApi, LiveFrame } from '../../../src/shared/api';
import { OPERATION_NAMES, ipcChannel } from '../../../src/shared/bridge';
import { createPreloadApi } from '../../../src/preload/preloadApi';

vi.mock('electron', () => import('./fakeElectron'));

const FRAME = ipcChannel('frame');
const SUBSCRIBE = ipcChannel('frames:subscribe');
const UNSUBSCRIBE = ipcChannel('frames:unsubscribe');

beforeEach(resetFakes);

describe('preload: what it exposes', () => {
  it('exposes window.switchboard with exactly the operations and onFrame, all functions', async () => {
    vi.resetModules();
    await import('../../../src/preload/index');
    expect([...fake.contextBridge.exposed.keys()]).toEqual(['switchboard', 'switchboardFiles']);
    const api = fake.contextBridge.exposed.get('switchboard') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...OPERATION_NAMES, 'onFrame'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(Object.values(api)).not.toContain(fake.ipcRenderer);
    expect(Object.values(api)).not.toContain(fake.ipcRenderer.invoke);
  });

  it('exposes window.switchboardFiles with exactly pathForFile, which asks webUtils for the path of a File', async () => {
    vi.resetModules();
    await import('../../../src/preload/index');
    const files = fake.contextBridge.exposed.get('switchboardFiles') as Record<string, unknown>;
    expect(Object.keys(files)).toEqual(['pathForFile']);
    const pathForFile = files.pathForFile as (f: unknown) => string;
    const file = { name: 'incident.mcap', path: '/home/me/incident.mcap' };
    expect(pathForFile(file)).toBe('/home/me/incident.mcap');
    expect(fake.webUtils.getPathForFile).toHaveBeenCalledWith(file);
    // A File that is not on disk (made by the page) has no path: '' as Electron answers.
    expect(pathForFile({ name: 'made-up.mcap' })).toBe('');
    // Nothing of electron itself leaks through.
    expect(Object.values(files)).not.toContain(fake.webUtils.getPathForFile);
  });

  it('sends each operation on its bridge channel with its one argument', async () => {
    const api = createPreloadApi();
    fake.ipcRenderer.answers.set(ipcChannel('getInventory'), { ok: true, value: 'inventory' });
    const req = { metric: 'lag' as const, fromMs: 1, toMs: 2, width: 10 };
    await api.getSeries(req);
    await api.getTimeline({ limit: 5 });
    expect(await api.getInventory()).toEqual({ ok: true, value: 'inventory' });
    expect(fake.ipcRenderer.invoke.mock.calls).toEqual([
      [ipcChannel('getSeries'), req],
      [ipcChannel('getTimeline'), { limit: 5 }],
      [ipcChannel('getInventory'), undefined],
    ]);
  });

  it("requires nothing at run time but 'electron' and its own files (a sandboxed preload can load nothing else)", () => {
    const root = resolve(__dirname, '../../../src/preload');
    const { files, packages } = runtimeImports(join(root, 'index.ts'));
    expect([...packages]).toEqual(['electron']);
    // Bundled into the preload: its own files and the dependency-free shared channel names.
    const channels = resolve(__dirname, '../../../src/shared/channels.ts');
    for (const f of files) expect(f === channels || !relative(root, f).startsWith('..'), f).toBe(true);
    expect(files).toContain(channels);
  });
});

describe('preload: onFrame', () => {
  const subscriptions = () => fake.ipcRenderer.invoke.mock.calls.map((c) => c[0]).filter((ch) => ch === SUBSCRIBE || ch === UNSUBSCRIBE);
  const pushFrame = (seq: number) => fake.ipcRenderer.emit(FRAME, { sender: fake.ipcRenderer, senderId: 0 }, { seq } as LiveFrame);
  let api: ConsoleApi;
  beforeEach(() => {
    api = createPreloadApi();
  });

  it('subscribes in main on the first subscriber and unsubscribes after the last', () => {
    const offA = api.onFrame(() => undefined);
    const offB = api.onFrame(() => undefined);
    expect(subscriptions()).toEqual([SUBSCRIBE]);
    expect(fake.ipcRenderer.listenerCount(FRAME)).toBe(1);
    offA();
    expect(subscriptions()).toEqual([SUBSCRIBE]);
    offB();
    expect(subscriptions()).toEqual([SUBSCRIBE, UNSUBSCRIBE]);
    expect(fake.ipcRenderer.listenerCount(FRAME)).toBe(0);
    api.onFrame(() => undefined);
    expect(subscriptions()).toEqual([SUBSCRIBE, UNSUBSCRIBE, SUBSCRIBE]);
  });

  it('passes only the frame to subscribers, never the IPC event', () => {
    const got: unknown[][] = [];
    api.onFrame((...args: unknown[]) => void got.push(args));
    pushFrame(7);
    expect(got).toEqual([[{ seq: 7 }]]);
  });

  it('delivers to every subscriber, even when one throws', () => {
    const seen: number[] = [];
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    api.onFrame(() => {
      throw new Error('bad subscriber');
    });
    api.onFrame((f) => void seen.push(f.seq));
    pushFrame(1);
    expect(seen).toEqual([1]);
    expect(error).toHaveBeenCalledTimes(1);
    error.mockRestore();
  });

  it('stops delivering after unsubscribe, and a second unsubscribe changes nothing', () => {
    const seen: number[] = [];
    const keep = api.onFrame(() => undefined);
    const off = api.onFrame((f) => void seen.push(f.seq));
    pushFrame(1);
    off();
    off();
    pushFrame(2);
    expect(seen).toEqual([1]);
    expect(subscriptions()).toEqual([SUBSCRIBE]);
    keep();
    expect(subscriptions()).toEqual([SUBSCRIBE, UNSUBSCRIBE]);
  });
});

/** Files and packages a module loads at run time (type-only imports are erased), following relative imports. */
function runtimeImports(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    const specifiers = [
      ...text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'";]*?\bfrom\s+['"]([^'"]+)['"]/gm),
      ...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
      ...text.matchAll(/\b(?:require|import)\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
    ].map((m) => m[1]);
    for (const s of specifiers) {
      if (!s.startsWith('.')) {
        packages.add(s);
        continue;
      }
      const base = resolve(dirname(file), s);
      const target = [`${base}.ts`, join(base, 'index.ts')].find((p) => existsSync(p));
      if (!target) throw new Error(`${file}: cannot resolve ${s}`);
      visit(target);
    }
  };
  visit(entry);
  return { files, packages };
}
