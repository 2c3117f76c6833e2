import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Subprotocol prefix a browser uses to carry the token on the WebSocket upgrade. */
export const TOKEN_PROTOCOL_PREFIX = 'switchboard.';
/** Plain subprotocol a client may offer beside the token one; the server then selects it, so the token is never echoed. */
export const BRIDGE_PROTOCOL = 'switchboard';

/** Token characters: base64url, which is also valid inside a `Sec-WebSocket-Protocol` value. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,256}$/;

/** A fresh session token: 32 random bytes, base64url (43 characters). */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether `token` is usable as a session token (shape only); says why not. */
export function checkTokenShape(token: string): string | null {
  return TOKEN_SHAPE.test(token) ? null : 'the session token must be 16 to 256 characters of A-Z a-z 0-9 - _';
}

/**
 * Compares a presented token with the session token in constant time. Both are hashed
 * first so the comparison sees equal lengths and its time says nothing about either.
 */
export function tokenMatches(expected: string, presented: string | null | undefined): boolean {
  if (typeof presented !== 'string' || presented.length === 0 || presented.length > 1024) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : null;
}

/** The subprotocols a client offered (`Sec-WebSocket-Protocol`, comma-separated). */
export function offeredProtocols(header: string | string[] | undefined): string[] {
  const raw = Array.isArray(header) ? header.join(',') : header ?? '';
  return raw.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
}

/** The token carried by an offered `switchboard.<token>` subprotocol, or null. */
export function protocolToken(protocols: readonly string[]): string | null {
  const p = protocols.find((x) => x.startsWith(TOKEN_PROTOCOL_PREFIX) && x.length > TOKEN_PROTOCOL_PREFIX.length);
  return p ? p.slice(TOKEN_PROTOCOL_PREFIX.length) : null;
}
