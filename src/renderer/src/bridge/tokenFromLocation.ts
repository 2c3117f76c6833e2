/** The bits of `window.location` and `window.history` this reads and changes. */
export interface LocationLike {
  hash: string;
  pathname: string;
  search: string;
}
export interface HistoryLike {
  replaceState(data: unknown, unused: string, url?: string): void;
}
/** `sessionStorage`: this tab only, gone when the tab closes. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Where the tab keeps its token so a reload still works (the address bar no longer has it). */
export const TOKEN_STORAGE_KEY = 'switchboard.sessionToken';

/** base64url, as `switchboard serve` makes it; the token becomes part of a subprotocol name. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,256}$/;

/**
 * Takes the session token from the address (`#token=…`, as `switchboard serve` prints it)
 * and removes it from the address bar, so it does not linger in history, bookmarks or
 * screenshots. The tab keeps it in session storage for reloads. Returns null when there
 * is no usable token.
 */
export function takeTokenFromLocation(location: LocationLike, history: HistoryLike, storage?: StorageLike): string | null {
  const hash = location.hash.startsWith('#') ? location.hash.slice(1) : location.hash;
  const params = new URLSearchParams(hash);
  if (params.has('token')) {
    const token = params.get('token');
    params.delete('token');
    const rest = params.toString();
    history.replaceState(null, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
    if (!token || !TOKEN_SHAPE.test(token)) return null;
    try {
      storage?.setItem(TOKEN_STORAGE_KEY, token);
    } catch {
      // Storage disabled: the link works, a reload will need it again.
    }
    return token;
  }
  let saved: string | null = null;
  try {
    saved = storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    saved = null;
  }
  return saved && TOKEN_SHAPE.test(saved) ? saved : null;
}
