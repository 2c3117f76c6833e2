import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { createStore } from 'zustand/vanilla';
import type { ConsoleApi, Result } from '../../../../shared/api';
import type { PlaybackStatus } from '../../../../shared/replay';
import { useApi } from '../live';
import { useRecordingFiles } from './recordingFiles';
import type { RecordingFiles } from './recordingFiles';

/** Where opening a recording stands (one at a time). */
export type OpenPhase =
  | { phase: 'idle' }
  | { phase: 'uploading'; file: string; sent: number; total: number }
  | { phase: 'opening'; file: string }
  | { phase: 'error'; file: string | null; message: string };

export const openStore = createStore<{ open: OpenPhase; set(p: OpenPhase): void }>()((set) => ({
  open: { phase: 'idle' },
  set: (open) => set({ open }),
}));

/** The first bytes of every MCAP file (version 0). */
const MCAP_MAGIC = [0x89, 0x4d, 0x43, 0x41, 0x50, 0x30];

/** Why a file cannot be a recording, judged from its first bytes (so a wrong file is not uploaded at all); null if it may be one. */
export async function notARecording(file: Blob & { name: string }): Promise<string | null> {
  if (file.size === 0) return `${file.name} is empty (0 bytes): not a recording`;
  const head = new Uint8Array(await file.slice(0, MCAP_MAGIC.length).arrayBuffer());
  if (head.length < MCAP_MAGIC.length || MCAP_MAGIC.some((b, i) => head[i] !== b)) return `${file.name} is not an MCAP recording (it does not start with the MCAP magic bytes); open a .mcap file that Switchboard recorded`;
  return null;
}

/** A name for an upload in the recordings folder: the file's own name made safe, `.mcap`, not one taken. */
export function uploadName(fileName: string, taken: ReadonlySet<string>): string {
  let base = (fileName.split(/[\\/]/).pop() ?? '')
    .replace(/\.mcap$/i, '')
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .replace(/^[^A-Za-z0-9_]+/, '')
    .slice(0, 100);
  if (!base) base = 'upload';
  for (let i = 1; ; i++) {
    const name = `${base}${i === 1 ? '' : `-${i}`}.mcap`;
    if (!taken.has(name)) return name;
  }
}

/**
 * Opens a recording file the user picked or dropped: the desktop app opens it by path;
 * a browser uploads it (with progress) to the recordings folder, then opens it by name.
 * Progress and errors go to {@link openStore}.
 */
export async function openFile(api: ConsoleApi, files: RecordingFiles, file: File): Promise<Result<PlaybackStatus>> {
  const set = openStore.getState().set;
  const fail = (message: string, code: 'invalid' | 'unavailable' = 'invalid'): Result<PlaybackStatus> => {
    set({ phase: 'error', file: file.name, message });
    return { ok: false, code, message };
  };
  if (files.kind === 'none') return fail(`Cannot open ${file.name}: ${files.why}`, 'unavailable');
  if (files.kind === 'path') {
    const path = files.pathForFile(file);
    if (!path) return fail(`${file.name} has no path on disk (only files from the file picker or dropped from a folder can be opened)`);
    return finishOpen(api, file.name, { path });
  }
  const bad = await notARecording(file);
  if (bad) return fail(bad);
  const listed = await api.listRecordings();
  const name = uploadName(file.name, new Set(listed.ok ? listed.value.map((r) => r.name) : []));
  set({ phase: 'uploading', file: file.name, sent: 0, total: file.size });
  const up = await files.upload(file, name, (sent, total) => set({ phase: 'uploading', file: file.name, sent, total }));
  if (!up.ok) return fail(up.message, 'unavailable');
  return finishOpen(api, file.name, { name: up.value.name });
}

/** Opens a recording of the recordings folder by name. */
export function openByName(api: ConsoleApi, name: string): Promise<Result<PlaybackStatus>> {
  return finishOpen(api, name, { name });
}

async function finishOpen(api: ConsoleApi, label: string, req: { name: string } | { path: string }): Promise<Result<PlaybackStatus>> {
  const set = openStore.getState().set;
  set({ phase: 'opening', file: label });
  const r = await api.openRecording(req);
  if (r.ok) set({ phase: 'idle' });
  else set({ phase: 'error', file: label, message: r.message });
  return r;
}

const openedListeners = new Set<() => void>();

/** Called whenever a recording was opened from this page (notices about live recording go stale). */
export function onRecordingOpened(fn: () => void): () => void {
  openedListeners.add(fn);
  return () => openedListeners.delete(fn);
}

/** Opening, bound to this page's API and way of handling files; the recordings list is refreshed after. */
export function useOpenRecording(): { openFile(file: File): Promise<Result<PlaybackStatus>>; openByName(name: string): Promise<Result<PlaybackStatus>> } {
  const api = useApi();
  const files = useRecordingFiles();
  const qc = useQueryClient();
  const after = useCallback(
    (r: Result<PlaybackStatus>): Result<PlaybackStatus> => {
      void qc.invalidateQueries({ queryKey: ['recordings'] });
      if (r.ok) for (const fn of openedListeners) fn();
      return r;
    },
    [qc],
  );
  return {
    openFile: useCallback((file: File) => openFile(api, files, file).then(after), [api, files, after]),
    openByName: useCallback((name: string) => openByName(api, name).then(after), [api, after]),
  };
}
