import type { ConsoleApi } from '../../../shared/api';
import type { StatusSource } from './bridgeStatus';
import { ALWAYS_OPEN } from './bridgeStatus';
import type { HistoryLike, LocationLike, StorageLike } from './tokenFromLocation';
import { takeTokenFromLocation } from './tokenFromLocation';
import type { SocketFactory } from './webSocketLike';
import { WsBridge } from './wsBridge';
import type { ProbeAnswer } from './wsBridge';

/** What the app runs on: an API with a link status, or nothing (no usable token). */
export type BridgeChoice =
  | { kind: 'electron'; api: ConsoleApi; link: StatusSource }
  | { kind: 'serve'; api: ConsoleApi; link: StatusSource; bridge: WsBridge; origin: string; token: string }
  | { kind: 'no-token' };

export interface BridgeEnvironment {
  /** `window.switchboard` from the Electron preload, if any. */
  preloadApi: ConsoleApi | undefined;
  location: LocationLike & { host: string; protocol: string };
  history: HistoryLike;
  /** The tab's session storage, to survive a reload; absent in tests that do not need it. */
  storage?: StorageLike;
  createSocket: SocketFactory;
  /** For asking `/api/health` whether the token is still good (the browser's `fetch`). */
  fetch?: typeof fetch;
}

/** `GET /api/health` with the token: 401/403 means the console no longer takes it. */
async function probeToken(fetchFn: typeof fetch, origin: string, token: string): Promise<ProbeAnswer> {
  try {
    const r = await fetchFn(`${origin}/api/health`, { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
    if (r.status === 401 || r.status === 403) return 'refused';
    return r.ok ? 'accepted' : 'unreachable';
  } catch {
    return 'unreachable';
  }
}

const electronLink: StatusSource = { status: () => ALWAYS_OPEN, onStatus: () => () => {}, retryNow: () => {} };

/**
 * Picks the one ConsoleApi of the app, once at start. In Electron the preload's API;
 * in a browser the WebSocket bridge of `switchboard serve`, authenticated by the token
 * from the page address (then removed from it, and kept for reloads of this tab only).
 * No token: no bridge and no data.
 */
export function chooseBridge(env: BridgeEnvironment): BridgeChoice {
  if (env.preloadApi) return { kind: 'electron', api: env.preloadApi, link: electronLink };
  const token = takeTokenFromLocation(env.location, env.history, env.storage);
  if (!token) return { kind: 'no-token' };
  const scheme = env.location.protocol === 'https:' ? 'wss' : 'ws';
  const httpOrigin = `${env.location.protocol}//${env.location.host}`;
  const fetchFn = env.fetch;
  const probe = fetchFn ? () => probeToken(fetchFn, httpOrigin, token) : undefined;
  const bridge = new WsBridge({ url: `${scheme}://${env.location.host}/bridge`, token, createSocket: env.createSocket, probe });
  // Origin and token also authenticate plain HTTP requests (recording uploads).
  return { kind: 'serve', api: bridge, link: bridge, bridge, origin: httpOrigin, token };
}
