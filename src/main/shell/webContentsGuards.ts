import type { Session, WebContents } from 'electron';
import { isAppUrl } from './appProtocol';
import { openExternalIfAllowed } from './externalLinks';
import type { ShellLogger } from './shellLogger';

/**
 * Locks a window's page in (Electron's security checklist): no new windows (allowlisted
 * https links go to the user's browser instead), no navigation or redirect away from
 * `app://switchboard/`, no `<webview>`.
 */
export function guardWebContents(contents: WebContents, log: ShellLogger): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (!openExternalIfAllowed(url)) log.warn(`window: refused to open ${describe(url)}`);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    log.warn(`window: refused navigation to ${describe(event.url)}`);
  });
  contents.on('will-redirect', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    log.warn(`window: refused redirect to ${describe(event.url)}`);
  });
  // Subframes too (the CSP already keeps foreign frames out; this is the second lock).
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame || isAppUrl(event.url)) return;
    event.preventDefault();
    log.warn(`window: refused frame navigation to ${describe(event.url)}`);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('window: refused to attach a <webview>');
  });
}

/** Denies every permission request and check (camera, notifications, geolocation, …): the console needs none. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** A URL for a log line: origin and path only, cut short (no query, which may hold anything). */
function describe(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`.slice(0, 200);
  } catch {
    return 'an unparsable URL';
  }
}
