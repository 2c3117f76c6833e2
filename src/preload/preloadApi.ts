import { ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { ConsoleApi, LiveFrame } from '../shared/api';
import { OPERATION_NAMES, ipcChannel } from '../shared/channels';
import type { OperationName, Operations } from '../shared/bridge';

/**
 * The console API in the renderer, carried over IPC: one function per operation of the
 * shared bridge (each passes its one argument through; main validates it), and
 * `onFrame`, which multiplexes every renderer subscriber onto one IPC listener and one
 * subscription in main.
 */
export function createPreloadApi(): ConsoleApi {
  // One function per operation name; bridge.ts holds the compiler to names == operations.
  const operations = Object.fromEntries(OPERATION_NAMES.map((op) => [op, (arg?: unknown) => invoke(op, arg)])) as unknown as Operations;
  return { ...operations, onFrame: frameSubscriptions() };
}

/** One operation over IPC; the answer is the handler's Result (main never throws across IPC). */
function invoke<R>(op: OperationName, arg: unknown): Promise<R> {
  return ipcRenderer.invoke(ipcChannel(op), arg);
}

/** `onFrame`: the first subscriber subscribes in main, the last one leaving unsubscribes. */
function frameSubscriptions(): ConsoleApi['onFrame'] {
  const subscribers = new Set<(frame: LiveFrame) => void>();
  // Only the frame goes on: the event carries `sender` (ipcRenderer) and must not leak.
  const listener = (_event: IpcRendererEvent, frame: LiveFrame): void => {
    for (const fn of [...subscribers]) {
      try {
        fn(frame);
      } catch (err) {
        console.error('switchboard: a frame subscriber threw', err);
      }
    }
  };
  const request = (channel: 'frames:subscribe' | 'frames:unsubscribe'): void => {
    ipcRenderer.invoke(ipcChannel(channel)).then(
      (result: { ok: boolean; message?: string }) => {
        if (!result.ok) console.error(`switchboard: ${channel} refused: ${result.message ?? ''}`);
      },
      (err: unknown) => console.error(`switchboard: ${channel} failed`, err),
    );
  };
  return (fn) => {
    // A fresh wrapper per call: the same function subscribed twice is two subscriptions.
    const entry = (frame: LiveFrame): void => fn(frame);
    if (subscribers.size === 0) {
      ipcRenderer.on(ipcChannel('frame'), listener);
      request('frames:subscribe');
    }
    subscribers.add(entry);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      subscribers.delete(entry);
      if (subscribers.size > 0) return;
      ipcRenderer.removeListener(ipcChannel('frame'), listener);
      request('frames:unsubscribe');
    };
  };
}
