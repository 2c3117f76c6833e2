import { z } from 'zod';
import { cappedFetch } from './cappedFetch';
import { inventoryError } from './inventoryError';
import type { InventoryLoad, InventorySource } from './inventorySource';
import { publicLabels } from './publicLabels';
import { isTargetId } from './parseOpsUrl';
import { parseJsonText } from './parseJsonText';
import { IntervalTrigger, ReloadingSource } from './reloadingSource';
import type { Target } from './target';
import { readTokenFile } from './readTokenFile';

/** Where and how to ask Prometheus (or anything with its HTTP API) for the fleet. */
export interface PrometheusTargetsOptions {
  /** Base URL, e.g. `http://127.0.0.1:9090` (a route prefix path is kept). */
  url: string;
  /** Only active targets whose `job` label is this (default: every job). */
  job?: string;
  /** File holding a bearer token for Prometheus itself (or the proxy in front of it). */
  bearerTokenFile?: string;
  /** HTTP basic auth for Prometheus; the password is read from a file. */
  basicAuth?: { user: string; passwordFile: string };
  /** Token files for the NODES (read and admin); Prometheus labels never supply tokens. */
  readTokenFile?: string;
  adminTokenFile?: string;
  /** Poll interval in ms (default 30 000). */
  intervalMs?: number;
  /** Deadline of one request, body included, in ms (default 10 000). */
  timeoutMs?: number;
  /** Largest answer read, in bytes (default 64 MiB: thousands of targets with their discovered labels). */
  maxBodyBytes?: number;
}

export const DEFAULT_PROMETHEUS_INTERVAL_MS = 30_000;
export const DEFAULT_PROMETHEUS_TIMEOUT_MS = 10_000;
export const DEFAULT_PROMETHEUS_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The targets API URL for a Prometheus base URL, or what is wrong with the base URL. */
export function targetsApiUrl(base: string): { ok: true; url: string } | { ok: false; problem: string } {
  let u: URL;
  try {
    u = new URL(base);
  } catch {
    return { ok: false, problem: 'must be a URL like http://127.0.0.1:9090' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { ok: false, problem: 'must be an http or https URL' };
  if (u.username !== '' || u.password !== '') return { ok: false, problem: 'must not contain credentials; use bearerTokenFile or basicAuth' };
  if (u.search !== '' || u.hash !== '') return { ok: false, problem: 'must not have a query or fragment' };
  return { ok: true, url: `${u.origin}${u.pathname.replace(/\/+$/, '')}/api/v1/targets?state=active` };
}

const envelopeSchema = z.object({ status: z.string(), error: z.string().optional(), errorType: z.string().optional(), data: z.unknown().optional() });
const dataSchema = z.object({ activeTargets: z.array(z.unknown()) });
const activeTargetSchema = z.object({ labels: z.record(z.string(), z.string()), scrapeUrl: z.string() });

/**
 * Asks the targets API once: active targets (of `job`, when given) become Targets with
 * opsUrl = the scrape URL's scheme://host:port and id = `node_id` label, else `instance`.
 * Sorted by id, so that an unchanged fleet compares equal across polls. Targets that do not
 * fit (odd scrape URL, id taken by another target) are skipped with a warning; a failed
 * request or an answer that is not the API's is the error.
 */
export async function loadPrometheusTargets(opts: PrometheusTargetsOptions): Promise<InventoryLoad> {
  const api = targetsApiUrl(opts.url);
  const source = api.ok ? api.url : opts.url;
  const fail = (field: string | null, problem: string): InventoryLoad => ({ ok: false, error: inventoryError(source, null, field, problem), watch: [] });
  if (!api.ok) return fail('url', api.problem);

  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.bearerTokenFile !== undefined && opts.basicAuth !== undefined) return fail('basicAuth', 'give bearerTokenFile or basicAuth, not both');
  if (opts.bearerTokenFile !== undefined) {
    const r = await readTokenFile(opts.bearerTokenFile);
    if (!r.ok) return fail('bearerTokenFile', r.problem);
    headers.authorization = `Bearer ${r.token}`;
  }
  if (opts.basicAuth !== undefined) {
    const { user, passwordFile } = opts.basicAuth;
    if (user === '' || user.includes(':')) return fail('basicAuth.user', 'must be a non-empty name without ":"');
    const r = await readTokenFile(passwordFile);
    if (!r.ok) return fail('basicAuth.passwordFile', r.problem);
    headers.authorization = `Basic ${Buffer.from(`${user}:${r.token}`).toString('base64')}`;
  }
  const nodeTokens: Record<'readTokenFile' | 'adminTokenFile', string | null> = { readTokenFile: null, adminTokenFile: null };
  for (const field of ['readTokenFile', 'adminTokenFile'] as const) {
    const path = opts[field];
    if (path === undefined) continue;
    const r = await readTokenFile(path);
    if (!r.ok) return fail(field, r.problem);
    nodeTokens[field] = r.token;
  }

  const res = await cappedFetch(api.url, {
    headers,
    timeoutMs: opts.timeoutMs ?? DEFAULT_PROMETHEUS_TIMEOUT_MS,
    maxBytes: opts.maxBodyBytes ?? DEFAULT_PROMETHEUS_MAX_BODY_BYTES,
  });
  if (!res.ok) return fail(null, res.problem);
  if (res.status >= 300 && res.status < 400) return fail(null, `answered HTTP ${res.status} (redirect to ${res.location ?? 'nowhere'}); give the final URL`);
  const json = parseJsonText(res.text);
  if (!json.ok) return fail(null, res.status === 200 ? `answer is ${json.problem}` : `answered HTTP ${res.status} (not a Prometheus API answer)`);
  const envelope = envelopeSchema.safeParse(json.value);
  if (!envelope.success) return fail(null, `answered HTTP ${res.status} with JSON that is not a Prometheus API answer (no "status")`);
  const { status, error, errorType } = envelope.data;
  if (status === 'error') return fail(null, `answered HTTP ${res.status}, status "error" (${errorType ?? 'no errorType'}): ${error ?? 'no message'}`);
  if (status !== 'success' || res.status !== 200) return fail(null, `answered HTTP ${res.status}, status ${JSON.stringify(status)}`);
  const data = dataSchema.safeParse(envelope.data.data);
  if (!data.success) return fail('data.activeTargets', 'is missing or not a list');

  const warnings: string[] = [];
  const dropped = new Set<string>();
  const byId = new Map<string, Target>();
  for (const [i, raw] of data.data.activeTargets.entries()) {
    const t = activeTargetSchema.safeParse(raw);
    if (!t.success) {
      warnings.push(`${source}, field data.activeTargets[${i}]: not a target with labels and scrapeUrl, skipped`);
      continue;
    }
    const { labels, scrapeUrl } = t.data;
    if (opts.job !== undefined && labels.job !== opts.job) continue;
    const opsUrl = scrapeBase(scrapeUrl);
    const instance = labels.instance ?? opsUrl?.slice(opsUrl.indexOf('//') + 2);
    if (opsUrl === null || instance === undefined) {
      warnings.push(`${source}, field data.activeTargets[${i}].scrapeUrl: not an http(s) URL, skipped`);
      continue;
    }
    const id = labels.node_id ?? instance;
    if (!isTargetId(id)) {
      warnings.push(`${source}, field data.activeTargets[${i}].labels: id ${JSON.stringify(id)} is not 1 to 128 characters without spaces, skipped`);
      continue;
    }
    const shown = publicLabels(labels);
    for (const name of shown.dropped) dropped.add(name);
    const same = byId.get(id);
    if (same !== undefined) {
      // The same node scraped by two jobs is one target; two URLs under one id is a conflict.
      if (same.opsUrl !== opsUrl) warnings.push(`${source}: id "${id}" is used by ${same.opsUrl} and ${opsUrl}; kept the first, skipped the second`);
      continue;
    }
    const target: Target = {
      id,
      opsUrl,
      labels: shown.labels,
      readToken: nodeTokens.readTokenFile,
      adminToken: nodeTokens.adminTokenFile,
      source: `${opts.url} job ${labels.job ?? '?'} instance ${instance}`,
    };
    byId.set(id, target);
  }
  for (const name of [...dropped].sort()) warnings.push(`${source}: label ${name} looks like a credential and was dropped; node tokens come only from token files`);
  const targets = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { ok: true, targets, warnings, watch: [] };
}

/** `http://h:9464/metrics?x` → `http://h:9464` (default port made explicit), or null. */
function scrapeBase(scrapeUrl: string): string | null {
  let u: URL;
  try {
    u = new URL(scrapeUrl);
  } catch {
    return null;
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.hostname === '') return null;
  return `${u.protocol}//${u.hostname}:${u.port || (u.protocol === 'https:' ? 443 : 80)}`;
}

/** The targets API as an {@link InventorySource}, polled every `intervalMs` (default 30 s). */
export function prometheusTargetsSource(opts: PrometheusTargetsOptions): InventorySource {
  const api = targetsApiUrl(opts.url);
  const trigger = new IntervalTrigger(opts.intervalMs ?? DEFAULT_PROMETHEUS_INTERVAL_MS);
  return new ReloadingSource(api.ok ? api.url : opts.url, () => loadPrometheusTargets(opts), trigger);
}
