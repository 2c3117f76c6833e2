import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { APP_ORIGIN, isAppUrl } from './appProtocol';

/** Whether an IPC message may be handled, and if not, why (for the log and the answer). */
export type SenderVerdict = { ok: true; sender: WebContents } | { ok: false; reason: string };

/**
 * Which IPC senders the shell answers (VS Code's `validatedIpcMain`): the main frame of
 * a window made by `createWindow`, showing a page of the app's own origin. Anything
 * else — a webContents we did not make, a subframe, a page that navigated elsewhere, a
 * frame already gone — is refused before any handler runs.
 */
export class SenderPolicy {
  /** ids of the webContents of our windows; an id leaves the set when its webContents is destroyed. */
  private readonly trusted = new Set<number>();

  /** Trusts `contents` for as long as it lives. Only the window factory calls this. */
  trust(contents: WebContents): void {
    const id = contents.id;
    this.trusted.add(id);
    contents.once('destroyed', () => this.trusted.delete(id));
  }

  isTrusted(contents: Pick<WebContents, 'id'>): boolean {
    return this.trusted.has(contents.id);
  }

  check(event: IpcMainInvokeEvent): SenderVerdict {
    const frame = event.senderFrame;
    if (!frame) return { ok: false, reason: 'the sending frame is gone or navigated away' };
    if (!this.trusted.has(event.sender.id)) return { ok: false, reason: `webContents ${event.sender.id} is not a window of this app` };
    if (frame.parent !== null) return { ok: false, reason: 'the sender is a subframe, not the main frame' };
    if (!isAppUrl(frame.url)) return { ok: false, reason: `the sender's origin is not ${APP_ORIGIN} (${describeOrigin(frame.url)})` };
    return { ok: true, sender: event.sender };
  }
}

/** The origin part of a URL for a log line (never a path or query, which may hold anything). */
function describeOrigin(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`.slice(0, 100);
  } catch {
    return 'unparsable URL';
  }
}
