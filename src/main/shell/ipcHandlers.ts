import { ipcMain } from 'electron';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import type { ConsoleApi, LiveFrame, Result } from '../../shared/api';
import { OPERATION_NAMES, dispatch, ipcChannel } from '../../shared/bridge';
import type { SenderPolicy } from './senderPolicy';
import type { ShellLogger } from './shellLogger';

/** The registered handlers; `dispose` removes them and ends every frame subscription. */
export interface IpcHandlers {
  /** webContents ids currently receiving frames. */
  readonly frameSubscribers: ReadonlySet<number>;
  dispose(): void;
}

/** At most this many distinct refusals are logged (each once), so a hostile page cannot flood the log. */
const MAX_LOGGED_REFUSALS = 256;

/**
 * Binds the console API to IPC: one `ipcMain.handle` per operation of the shared bridge,
 * plus the frame subscription. Every message is first checked against `policy` (who
 * sent it), then `dispatch` validates the payload with the shared schema and calls the
 * core. Every answer is a {@link Result}; nothing is thrown across IPC.
 */
export function registerIpcHandlers(api: ConsoleApi, policy: SenderPolicy, log: ShellLogger): IpcHandlers {
  const logged = new Set<string>();
  const frames = new Map<number, () => void>();
  /** webContents whose end we already listen for (once each, however often they resubscribe). */
  const watched = new Set<number>();
  const channels: string[] = [];

  /** Runs `body` for a validated sender; a refused sender gets `forbidden` and `body` never runs. */
  const guarded = (channel: string, body: (sender: WebContents, arg: unknown) => Promise<Result<unknown>> | Result<unknown>) => {
    channels.push(channel);
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, arg: unknown): Promise<Result<unknown>> => {
      const verdict = policy.check(event);
      if (!verdict.ok) {
        const key = `${channel}|${event.sender.id}|${verdict.reason}`;
        if (!logged.has(key) && logged.size < MAX_LOGGED_REFUSALS) {
          logged.add(key);
          log.warn(`ipc: refused ${channel} from webContents ${event.sender.id}: ${verdict.reason}`);
        }
        return { ok: false, code: 'forbidden', message: `${channel}: ${verdict.reason}` };
      }
      try {
        return await body(verdict.sender, arg);
      } catch (err) {
        // dispatch never throws; this guards the frame plumbing and keeps the promise settled.
        return { ok: false, code: 'internal', message: err instanceof Error ? err.message : String(err) };
      }
    });
  };

  for (const op of OPERATION_NAMES) guarded(ipcChannel(op), (_sender, arg) => dispatch(api, op, arg));

  const unsubscribe = (id: number): void => {
    frames.get(id)?.();
    frames.delete(id);
  };

  guarded(ipcChannel('frames:subscribe'), (sender) => {
    const id = sender.id;
    if (frames.has(id)) return { ok: true, value: null };
    // No backpressure signal exists for webContents.send: frames are coalesced by the
    // core (≤ 10 Hz, latest state wins), so each one is sent as it comes.
    const push = (frame: LiveFrame): void => {
      if (sender.isDestroyed()) return unsubscribe(id);
      try {
        sender.send(ipcChannel('frame'), frame);
      } catch (err) {
        // A renderer torn down between the check and the send: stop, and never break the publisher's loop.
        log.warn(`ipc: stopped frames to webContents ${id}: ${err instanceof Error ? err.message : String(err)}`);
        unsubscribe(id);
      }
    };
    frames.set(id, api.onFrame(push));
    if (!watched.has(id)) {
      watched.add(id);
      sender.on('render-process-gone', () => unsubscribe(id));
      sender.once('destroyed', () => {
        watched.delete(id);
        unsubscribe(id);
      });
    }
    return { ok: true, value: null };
  });

  guarded(ipcChannel('frames:unsubscribe'), (sender) => {
    unsubscribe(sender.id);
    return { ok: true, value: null };
  });

  return {
    get frameSubscribers() {
      return new Set(frames.keys());
    },
    dispose() {
      for (const channel of channels) ipcMain.removeHandler(channel);
      for (const id of [...frames.keys()]) unsubscribe(id);
    },
  };
}
