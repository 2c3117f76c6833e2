import { z } from 'zod';
import type { Target } from '../inventory/target';
import { oneLine } from '../../../shared/oneLine';

/**
 * Calls a node's Admin API (`/admin/*`, docs/fleet-contract.md) with its admin token. Each
 * request has a timeout; network failures, timeouts and 5xx answers are retried with
 * backoff up to a bound, always with the same body (so the same `requestId`: the node acts
 * once however many tries reach it). 4xx answers are final. Never throws: every failure is
 * a value with one sentence naming the node and what went wrong. The token never appears
 * in a message.
 */
export type AdminAction = 'status' | 'drain' | 'undrain' | 'restart';

export type AdminErrorCode = 'unauthorized' | 'bad_request' | 'conflict' | 'unreachable' | 'timeout' | 'http' | 'bad_answer' | 'cancelled';

const count = z.number().finite().min(0);
/** `/admin/status` as the console relies on it (extra fields are ignored). */
export const adminStatusSchema = z.object({
  node: z.string(),
  bootId: z.string(),
  state: z.enum(['serving', 'draining', 'drained']),
  accepting: z.boolean(),
  connections: z.object({ ws: count, sse: count, longpoll: count }),
  limit: count,
  drain: z.object({ remaining: count, disconnectRatePerSecond: count, deadline: z.number(), startedAt: z.number() }).nullable(),
});
export type AdminStatus = z.infer<typeof adminStatusSchema>;

export type AdminAnswer =
  | { ok: true; status: AdminStatus; httpStatus: number; attempts: number; replayed: boolean }
  | { ok: false; code: AdminErrorCode; httpStatus: number | null; message: string; attempts: number };

export interface AdminClientOptions {
  /** Per request, answer included. */
  timeoutMs: number;
  /** Tries in all (1 = no retry). */
  attempts: number;
  /** First backoff; doubles per retry, with jitter. */
  backoffMs: number;
  fetchImpl?: typeof fetch;
}

export const DEFAULT_ADMIN_CLIENT: AdminClientOptions = { timeoutMs: 5000, attempts: 4, backoffMs: 250 };

/** Error bodies are short JSON; anything longer is cut. */
const MAX_BODY_BYTES = 64 * 1024;

type Try = { done: true; answer: AdminAnswer } | { done: false; code: AdminErrorCode; httpStatus: number | null; message: string };

export async function callAdmin(target: Target, action: AdminAction, body: Record<string, unknown> | null, o: AdminClientOptions = DEFAULT_ADMIN_CLIENT, signal?: AbortSignal): Promise<AdminAnswer> {
  if (target.adminToken === null) {
    return { ok: false, code: 'unauthorized', httpStatus: null, message: `the console has no admin token for ${target.id}`, attempts: 0 };
  }
  let last: Try | null = null;
  for (let attempt = 1; attempt <= o.attempts; attempt++) {
    if (signal?.aborted) return { ok: false, code: 'cancelled', httpStatus: null, message: `${action} of ${target.id} cancelled`, attempts: attempt - 1 };
    last = await tryOnce(target, action, body, o, attempt, signal);
    if (last.done) return last.answer;
    if (attempt < o.attempts) await sleep(o.backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2), signal);
  }
  const l = last as Extract<Try, { done: false }>;
  return { ok: false, code: l.code, httpStatus: l.httpStatus, message: `${l.message} (${o.attempts} ${o.attempts === 1 ? 'try' : 'tries'})`, attempts: o.attempts };
}

async function tryOnce(t: Target, action: AdminAction, body: Record<string, unknown> | null, o: AdminClientOptions, attempt: number, outer?: AbortSignal): Promise<Try> {
  const timeout = AbortSignal.timeout(o.timeoutMs);
  const signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
  const where = `${t.id}'s admin API (${t.opsUrl})`;
  let res: Response;
  try {
    res = await (o.fetchImpl ?? fetch)(`${t.opsUrl}/admin/${action}`, {
      method: action === 'status' ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${t.adminToken ?? ''}`, 'content-type': 'application/json', accept: 'application/json' },
      body: action === 'status' ? undefined : JSON.stringify(body ?? {}),
      // Never follow a redirect: the admin token would travel with it.
      redirect: 'manual',
      signal,
    });
  } catch (err) {
    if (outer?.aborted) return { done: true, answer: { ok: false, code: 'cancelled', httpStatus: null, message: `${action} of ${t.id} cancelled`, attempts: attempt } };
    if (timeout.aborted) return { done: false, code: 'timeout', httpStatus: null, message: `${t.id} did not answer ${action} within ${o.timeoutMs / 1000} s` };
    return { done: false, code: 'unreachable', httpStatus: null, message: `cannot reach ${where}: ${networkReason(err)}` };
  }
  let text: string;
  try {
    text = await readCapped(res);
  } catch {
    return { done: false, code: 'timeout', httpStatus: res.status, message: `${t.id} did not finish its answer to ${action} within ${o.timeoutMs / 1000} s` };
  }
  const json = parseJson(text);
  const nodeSays = json && typeof (json as { error?: unknown }).error === 'string' ? String((json as { error: string }).error).slice(0, 300) : oneLine(text).slice(0, 200);
  const fail = (code: AdminErrorCode, message: string): Try => ({ done: true, answer: { ok: false, code, httpStatus: res.status, message, attempts: attempt } });
  if (res.status === 401 || res.status === 403) return fail('unauthorized', `the admin token for ${t.id} was refused (HTTP ${res.status}): check the credentials the inventory gives for it`);
  if (res.status === 400) return fail('bad_request', `${t.id} rejected the ${action} request (HTTP 400): ${nodeSays}`);
  if (res.status === 409) return fail('conflict', `${t.id} refused to ${action} (HTTP 409): ${nodeSays}`);
  if (res.status >= 300 && res.status < 400) return fail('http', `${where} redirected (HTTP ${res.status}); not followed`);
  if (res.status >= 500) return { done: false, code: 'http', httpStatus: res.status, message: `${where} answered HTTP ${res.status}: ${nodeSays}` };
  if (res.status >= 400) return fail('http', `${where} answered ${action} with HTTP ${res.status}: ${nodeSays}`);
  const parsed = adminStatusSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail('bad_answer', `${t.id} answered ${action} with a status the console does not understand (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'not JSON'})`);
  }
  return { done: true, answer: { ok: true, status: parsed.data, httpStatus: res.status, attempts: attempt, replayed: res.headers.get('idempotent-replay') === 'true' } };
}

async function readCapped(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_BODY_BYTES) {
      await reader.cancel();
      break;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function networkReason(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : null;
  const code = (cause as { code?: string } | null)?.code;
  if (code === 'ECONNREFUSED') return 'connection refused (the node is down, or the ops port is wrong)';
  if (code === 'ECONNRESET') return 'connection reset';
  if (code === 'ENOTFOUND') return 'host not found';
  return oneLine(cause?.message ?? (err instanceof Error ? err.message : String(err)));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
