/** A normalized ops URL (`http://host:port`, no trailing slash) or why the input is not one. */
export type OpsUrlParse = { ok: true; url: string } | { ok: false; problem: string };

// scheme://host:port with an optional single trailing slash: no userinfo, path, query or fragment.
const SHAPE = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/(\[[^\]/?#@]*\]|[^/?#@:[\]]*):(\d+)\/?$/;

/**
 * Checks an ops port base URL: http or https, a host and an explicit port, nothing else.
 * Problems are phrased to follow a field name and never quote the URL (it may hold a password).
 */
export function parseOpsUrl(raw: string): OpsUrlParse {
  let u: URL;
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(raw)) return { ok: false, problem: 'must be a URL like http://127.0.0.1:9464' };
  try {
    u = new URL(raw);
  } catch {
    return { ok: false, problem: 'must be a URL like http://127.0.0.1:9464' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { ok: false, problem: 'must be an http or https URL' };
  if (u.username !== '' || u.password !== '') return { ok: false, problem: 'must not contain credentials; give tokens in token files' };
  if (u.hostname === '') return { ok: false, problem: 'must name a host' };
  const shape = SHAPE.exec(raw);
  if (!shape) {
    if (u.pathname !== '/' || u.search !== '' || u.hash !== '') return { ok: false, problem: 'must not have a path, query or fragment' };
    return { ok: false, problem: 'must include a port, like http://127.0.0.1:9464' };
  }
  const port = Number(shape[2]);
  if (port < 1 || port > 65535) return { ok: false, problem: 'must have a port from 1 to 65535' };
  return { ok: true, url: `${u.protocol}//${u.hostname}:${port}` };
}

/** Builds the ops URL for a file_sd `host:port` target; problems follow "target". */
export function hostPortUrl(hostPort: string, scheme: 'http' | 'https'): OpsUrlParse {
  if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+):\d{1,5}$/.test(hostPort)) return { ok: false, problem: 'must be host:port, like 127.0.0.1:9464' };
  const parsed = parseOpsUrl(`${scheme}://${hostPort}`);
  return parsed.ok ? parsed : { ok: false, problem: `must be host:port with a valid host and a port from 1 to 65535` };
}

/** Target ids: 1 to 128 characters, no whitespace or control characters. */
export function isTargetId(id: string): boolean {
  return /^[^\s\p{Cc}]{1,128}$/u.test(id);
}
