/**
 * Which `Host` and `Origin` values the serve server answers, and the CSP that follows
 * from them. The DNS-rebinding defence: a page on evil.example that rebinds its name to
 * 127.0.0.1 still sends `Host: evil.example:PORT`, so it is refused before anything else.
 */
export interface ServeOrigins {
  /** Allowed `Host` header values, lower case, with the port (`127.0.0.1:7300`). */
  hosts: ReadonlySet<string>;
  /** Allowed `Origin` values of WebSocket upgrades (`http://127.0.0.1:7300`). */
  origins: ReadonlySet<string>;
  /** The `Content-Security-Policy` of every response. */
  csp: string;
}

/** `host:port` as a browser writes it in `Host` (IPv6 in brackets). */
export function hostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

/**
 * The allowed hosts for a server listening on `host:port`: always `127.0.0.1:PORT` and
 * `localhost:PORT`, the listen address itself (unless a wildcard), and `extra` entries
 * (`name:port`, matched exactly as the browser sends them, case-insensitively).
 */
export function serveOrigins(host: string, port: number, extra: readonly string[] = []): ServeOrigins {
  const hosts = new Set<string>([`127.0.0.1:${port}`, `localhost:${port}`]);
  if (!WILDCARD_HOSTS.has(host)) hosts.add(hostPort(host, port).toLowerCase());
  for (const h of extra) hosts.add(h.trim().toLowerCase());
  const origins = new Set([...hosts].map((h) => `http://${h}`));
  const ws = [...hosts].map((h) => `ws://${h}`).join(' ');
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    // recharts and React set inline style attributes; scripts stay 'self' only.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    // 'self' covers fetch; ws: URLs are listed because not every browser maps 'self' to ws:.
    `connect-src 'self' ${ws}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
  return { hosts, origins, csp };
}

/** Whether a request's `Host` header is one this server answers. */
export function hostAllowed(o: ServeOrigins, host: string | undefined): boolean {
  return typeof host === 'string' && o.hosts.has(host.toLowerCase());
}

/** Whether a WebSocket upgrade's `Origin` is this server's own. A missing Origin is refused. */
export function originAllowed(o: ServeOrigins, origin: string | undefined): boolean {
  return typeof origin === 'string' && o.origins.has(origin.toLowerCase());
}

/** Headers on every response, the refusals included. */
export function securityHeaders(o: ServeOrigins): Record<string, string> {
  return {
    'Content-Security-Policy': o.csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
