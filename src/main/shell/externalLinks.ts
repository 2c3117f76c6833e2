import { shell } from 'electron';

/**
 * https pages the app may open in the user's browser (documentation links). A URL is
 * allowed when it is https, has no user info, and its origin equals an entry's and its
 * path starts with the entry's path — so `https://github.com.evil.example/` and
 * `https://github.com@evil.example/` are not GitHub.
 */
export const EXTERNAL_ALLOWLIST: readonly string[] = ['https://github.com/', 'https://prometheus.io/'];

/** True when `url` may be opened with `shell.openExternal`. */
export function isAllowedExternal(url: string, allowlist: readonly string[] = EXTERNAL_ALLOWLIST): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' || u.username || u.password) return false;
  return allowlist.some((entry) => {
    const a = new URL(entry);
    return u.origin === a.origin && u.pathname.startsWith(a.pathname);
  });
}

/**
 * Opens `url` in the user's browser if it is on the allowlist; anything else is
 * ignored. Says whether it opened it.
 */
export function openExternalIfAllowed(url: string): boolean {
  if (!isAllowedExternal(url)) return false;
  // The browser reports its own failures; a rejected promise here has nobody to tell.
  shell.openExternal(url).catch(() => undefined);
  return true;
}
