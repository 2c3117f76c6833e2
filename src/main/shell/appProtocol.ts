import { readFile, realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { protocol } from 'electron';
import { findStaticFile } from '../rendererFiles';
import type { StaticFile } from '../rendererFiles';

/**
 * The `app://switchboard/` protocol: the renderer build served from one folder, never
 * `file://` (which would give every page the whole disk and a shared `null` origin).
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'switchboard';
/** The origin every trusted page has (a standard scheme, so a real tuple origin). */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** What a window loads. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * The Content-Security-Policy of every `app://` response. Inline styles are allowed
 * because chart libraries set `style` attributes; scripts only from the app itself.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/** Headers on every `app://` response, files and errors alike. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': APP_CSP,
  'X-Content-Type-Options': 'nosniff',
};


/** True when `url` is a page of the app itself (`app://switchboard/...`). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    // Node's URL gives non-special schemes an opaque "null" origin, so compare the parts.
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** Registers `app:` as a standard, secure scheme. Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves `rendererDir` on `app://switchboard/` (call once the app is ready). */
export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, createAppHandler(rendererDir));
}

/**
 * The request handler behind {@link handleAppProtocol}: GET/HEAD of regular files
 * under `rendererDir` only. A path that resolves outside it (`..`, encoded slashes,
 * a symlink pointing out) is a 404, like a missing file; every answer has the CSP.
 */
export function createAppHandler(rendererDir: string): (request: Request) => Promise<Response> {
  const root = resolve(rendererDir);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
    const file = await resolveFile(root, request.url);
    if (!file) return plain(404, 'not found');
    let body: Buffer;
    try {
      body = await readFile(file.file);
    } catch {
      return plain(404, 'not found');
    }
    const headers = { ...SECURITY_HEADERS, 'Content-Type': file.contentType };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}

/** The file of the build that an `app://switchboard/...` URL names, or null (then 404). */
async function resolveFile(root: string, url: string): Promise<StaticFile | null> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  try {
    return await findStaticFile(await realpath(root), u.pathname || '/');
  } catch {
    return null;
  }
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}
