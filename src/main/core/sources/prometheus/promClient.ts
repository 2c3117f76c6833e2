import { cappedFetch } from '../../inventory/cappedFetch';
import { parseJsonText } from '../../inventory/parseJsonText';
import { readEnvelope, readMatrix, readVector } from './promAnswer';
import type { InstantSample, RangeSeries, ResultType } from './promAnswer';
import { authHeader } from './promAuth';
import type { PrometheusAuth } from './promAuth';

/** Where and how to ask Prometheus (or Thanos, Mimir, VictoriaMetrics: anything with its HTTP API). */
export interface PrometheusClientOptions extends PrometheusAuth {
  /** Base URL, e.g. `http://127.0.0.1:9090` (a route prefix path is kept). */
  url: string;
  /** Deadline of one request, body included (default 10 000 ms). */
  timeoutMs?: number;
  /** Largest answer read (default 32 MiB). */
  maxBodyBytes?: number;
  /** Said after a 401/403, e.g. `check --prometheus-token-file`. */
  authHint?: string;
}

export const DEFAULT_QUERY_TIMEOUT_MS = 10_000;
export const DEFAULT_QUERY_MAX_BYTES = 32 * 1024 * 1024;

/**
 * Why a request got no usable answer. `bad_query`: Prometheus rejected the expression
 * (400 bad_data), a profile mistake; every other kind means the console cannot read
 * Prometheus right now (a blind spot for the whole fleet).
 */
export type PromFailureKind = 'config' | 'unreachable' | 'timeout' | 'auth' | 'bad_query' | 'failed' | 'bad_answer';

export interface PromFailure {
  kind: PromFailureKind;
  /** One sentence naming Prometheus' URL, e.g. `Prometheus at http://p:9090: 401 Unauthorized: check …`. */
  message: string;
}

export type PromResult<T> = { ok: true; value: T; durationMs: number } | { ok: false; failure: PromFailure };

/** The API base of a Prometheus URL (no trailing slash), or what is wrong with the URL. */
export function prometheusBase(url: string): { ok: true; base: string } | { ok: false; problem: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false, problem: 'must be a URL like http://127.0.0.1:9090' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { ok: false, problem: 'must be an http or https URL' };
  if (u.username !== '' || u.password !== '') return { ok: false, problem: 'must not contain credentials; use a token or password file' };
  if (u.search !== '' || u.hash !== '') return { ok: false, problem: 'must not have a query or fragment' };
  return { ok: true, base: `${u.origin}${u.pathname.replace(/\/+$/, '')}` };
}

/**
 * A client of Prometheus' query API: instant and range queries with auth from files, a
 * deadline and a body cap, redirects never followed; every failure is a value whose
 * message says what to do.
 */
export class PrometheusClient {
  readonly base: string;
  private readonly label: string;

  constructor(private readonly o: PrometheusClientOptions) {
    const b = prometheusBase(o.url);
    this.base = b.ok ? b.base : o.url;
    this.label = `Prometheus at ${o.url.replace(/\/+$/, '')}`;
  }

  /** `/api/v1/query` at `timeSec` (seconds since the epoch). */
  async query(expr: string, timeSec: number): Promise<PromResult<{ resultType: ResultType; samples: InstantSample[] }>> {
    const r = await this.get('query', { query: expr, time: timeSec.toFixed(3) });
    if (!r.ok) return r;
    const v = readVector(r.value);
    return v.ok ? { ok: true, value: { resultType: v.resultType, samples: v.samples }, durationMs: r.durationMs } : this.fail('bad_answer', `the answer's ${v.why}`);
  }

  /** `/api/v1/query_range` over [startSec, endSec] every `stepSec`. */
  async queryRange(expr: string, startSec: number, endSec: number, stepSec: number): Promise<PromResult<{ resultType: ResultType; series: RangeSeries[] }>> {
    const r = await this.get('query_range', { query: expr, start: String(startSec), end: String(endSec), step: String(stepSec) });
    if (!r.ok) return r;
    const m = readMatrix(r.value);
    return m.ok ? { ok: true, value: { resultType: m.resultType, series: m.series }, durationMs: r.durationMs } : this.fail('bad_answer', `the answer's ${m.why}`);
  }

  private async get(path: string, params: Record<string, string>): Promise<PromResult<unknown>> {
    const base = prometheusBase(this.o.url);
    if (!base.ok) return this.fail('config', `URL ${base.problem}`);
    const auth = await authHeader(this.o);
    if (!auth.ok) return this.fail('config', auth.problem);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (auth.header !== null) headers.authorization = auth.header;
    const started = performance.now();
    const res = await cappedFetch(`${base.base}/api/v1/${path}?${new URLSearchParams(params).toString()}`, {
      headers,
      timeoutMs: this.o.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
      maxBytes: this.o.maxBodyBytes ?? DEFAULT_QUERY_MAX_BYTES,
    });
    const durationMs = performance.now() - started;
    if (!res.ok) return this.fail(/within \d+ ms/.test(res.problem) ? 'timeout' : res.problem.startsWith('request failed') ? 'unreachable' : 'bad_answer', res.problem);
    const hint = this.o.authHint ?? 'check the Prometheus token or password file';
    if (res.status === 401) return this.fail('auth', `401 Unauthorized: ${hint}`);
    if (res.status === 403) return this.fail('auth', `403 Forbidden: ${hint}`);
    if (res.status >= 300 && res.status < 400) return this.fail('bad_answer', `answered HTTP ${res.status} (redirect to ${res.location ?? 'nowhere'}); give the final URL`);
    const json = parseJsonText(res.text);
    if (!json.ok) return this.fail(res.status >= 500 ? 'failed' : 'bad_answer', res.status === 200 ? `the answer is ${json.problem}` : `answered HTTP ${res.status} (not a Prometheus API answer)`);
    const env = readEnvelope(json.value);
    if (env.kind === 'foreign') return this.fail('bad_answer', `answered HTTP ${res.status} with ${env.why}`);
    if (env.kind === 'error') {
      if (env.errorType === 'bad_data') return this.fail('bad_query', `rejected the query: ${env.error}`);
      return this.fail('failed', `the query failed (${env.errorType}): ${env.error}`);
    }
    if (res.status !== 200) return this.fail('bad_answer', `answered HTTP ${res.status} with status "success"`);
    return { ok: true, value: env.data, durationMs };
  }

  private fail(kind: PromFailureKind, problem: string): { ok: false; failure: PromFailure } {
    return { ok: false, failure: { kind, message: `${this.label}: ${problem}` } };
  }
}
