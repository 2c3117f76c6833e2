// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { takeTokenFromLocation, TOKEN_STORAGE_KEY } from '../../../src/renderer/src/bridge';

const TOKEN = 'vzGz09DeeodN6JPyV-KoNZnslnagrX5xikJAUJwA_AQ';

function take(hash: string, search = ''): { token: string | null; address: string | null } {
  let address: string | null = null;
  const token = takeTokenFromLocation({ hash, pathname: '/', search }, { replaceState: (_d, _u, url) => void (address = url ?? null) });
  return { token, address };
}

describe('token from the page address', () => {
  it('reads #token=… and removes it from the address bar', () => {
    expect(take(`#token=${TOKEN}`)).toEqual({ token: TOKEN, address: '/' });
  });

  it('keeps the rest of the fragment and the query', () => {
    expect(take(`#token=${TOKEN}&node=gw-2`, '?x=1')).toEqual({ token: TOKEN, address: '/?x=1#node=gw-2' });
  });

  it('has no token without one, or with one that cannot be a session token', () => {
    expect(take('')).toEqual({ token: null, address: null });
    expect(take('#node=gw-1')).toEqual({ token: null, address: null });
    expect(take('#token=short')).toEqual({ token: null, address: '/' });
    expect(take('#token=has%20space%20in%20it%20xxxxxxxx')).toEqual({ token: null, address: '/' });
  });

  it('keeps the token for reloads of this tab, and a new link replaces it', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    const history = { replaceState: () => {} };
    expect(takeTokenFromLocation({ hash: `#token=${TOKEN}`, pathname: '/', search: '' }, history, storage)).toBe(TOKEN);
    expect(store.get(TOKEN_STORAGE_KEY)).toBe(TOKEN);
    // The reload: the address has no token any more.
    expect(takeTokenFromLocation({ hash: '', pathname: '/', search: '' }, history, storage)).toBe(TOKEN);
    const next = 'B'.repeat(43);
    expect(takeTokenFromLocation({ hash: `#token=${next}`, pathname: '/', search: '' }, history, storage)).toBe(next);
    expect(store.get(TOKEN_STORAGE_KEY)).toBe(next);
    // A broken link does not fall back to an older token.
    expect(takeTokenFromLocation({ hash: '#token=bad', pathname: '/', search: '' }, history, storage)).toBeNull();
  });
});
