import { readTokenFile } from '../../inventory/readTokenFile';

/** How to authenticate to Prometheus (or the proxy in front of it): secrets come from files only. */
export interface PrometheusAuth {
  /** File holding a bearer token. */
  bearerTokenFile?: string;
  /** HTTP basic auth; the password is read from a file. */
  basicAuth?: { user: string; passwordFile: string };
}

/**
 * The Authorization header for `auth` (none when no credentials are configured), or a
 * problem naming the option and file, never the secret. Files are read on every call, so
 * a rotated token is picked up on the next round.
 */
export async function authHeader(auth: PrometheusAuth): Promise<{ ok: true; header: string | null } | { ok: false; problem: string }> {
  if (auth.bearerTokenFile !== undefined && auth.basicAuth !== undefined) return { ok: false, problem: 'give a bearer token file or basic auth, not both' };
  if (auth.bearerTokenFile !== undefined) {
    const r = await readTokenFile(auth.bearerTokenFile);
    return r.ok ? { ok: true, header: `Bearer ${r.token}` } : { ok: false, problem: r.problem };
  }
  if (auth.basicAuth !== undefined) {
    const { user, passwordFile } = auth.basicAuth;
    if (user === '' || user.includes(':')) return { ok: false, problem: 'basic auth user must be a non-empty name without ":"' };
    const r = await readTokenFile(passwordFile);
    return r.ok ? { ok: true, header: `Basic ${Buffer.from(`${user}:${r.token}`).toString('base64')}` } : { ok: false, problem: r.problem.replace(/^token file/, 'password file') };
  }
  return { ok: true, header: null };
}
