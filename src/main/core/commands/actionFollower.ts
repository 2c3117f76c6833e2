import type { NodeModel } from '../ingest/nodeModel';
import type { Target } from '../inventory/target';
import type { ActionProgress } from './actionTypes';
import { callAdmin } from './adminClient';
import type { AdminClientOptions, AdminStatus } from './adminClient';

/**
 * Follows a node after an admin call: drain progress and the end of a drain, or a restart
 * until the node is back with a new boot id. Reads the console's own view of the node
 * (its `/events` lifecycle and vitals, as Ingest keeps them in the NodeModel) while that
 * stream is open and fresh; otherwise asks `/admin/status` once per poll interval.
 */
export interface FollowContext {
  target: Target;
  /** The node's model as the console sees it now (undefined once removed from the inventory). */
  model: () => NodeModel | undefined;
  admin: AdminClientOptions;
  signal: AbortSignal;
  /** The rate the drain was asked for: ETA falls back to it when the measured rate is 0. */
  requestedRate: number;
  onProgress: (p: ActionProgress) => void;
  /** Called when the observed state or boot id changes (serving → draining → drained → restarting → serving again). */
  onObserved?: (o: Observation) => void;
  /** Between checks of the view. */
  tickMs?: number;
  /** Between `/admin/status` polls when the event stream is not usable. */
  pollMs?: number;
}

export type FollowResult = { ok: true; bootId: string | null; via: 'events' | 'status' } | { ok: false; message: string; cancelled: boolean };

/** Vitals come every second: older than this and the stream is not trusted for progress. */
const EVENTS_FRESH_MS = 3000;

export interface Observation {
  source: 'events' | 'status';
  bootId: string | null;
  state: 'serving' | 'draining' | 'drained' | 'restarting' | null;
  drain: { remaining: number; ratePerSec: number } | null;
}

/** Waits until the node reports drained (or already restarting), up to `deadlineAt`. */
export function waitDrained(ctx: FollowContext, deadlineAt: number): Promise<FollowResult> {
  return follow(ctx, deadlineAt, (o) => o.state === 'drained' || o.state === 'restarting', (ms) => `${ctx.target.id} did not report drained within ${Math.round(ms / 1000)} s`);
}

/**
 * Waits until the node serves again with a boot id other than `bootIdBefore`, up to
 * `deadlineAt`. The node is expected to vanish in between: refused connections are not
 * failures here, only the deadline is.
 */
export function waitBack(ctx: FollowContext, bootIdBefore: string | null, deadlineAt: number): Promise<FollowResult> {
  return follow(ctx, deadlineAt, (o) => o.state === 'serving' && o.bootId !== null && o.bootId !== bootIdBefore, (ms) => `${ctx.target.id} did not come back with a new boot id within ${Math.round(ms / 1000)} s`);
}

async function follow(ctx: FollowContext, deadlineAt: number, done: (o: Observation) => boolean, late: (ms: number) => string): Promise<FollowResult> {
  const started = Date.now();
  const tickMs = ctx.tickMs ?? 250;
  const pollMs = ctx.pollMs ?? 1000;
  let lastPoll = 0;
  let lastError: string | null = null;
  let seen = '';
  for (;;) {
    if (ctx.signal.aborted) return { ok: false, message: `stopped following ${ctx.target.id}`, cancelled: true };
    const now = Date.now();
    let o = fromEvents(ctx.model(), now);
    if (!o && now - lastPoll >= pollMs) {
      lastPoll = now;
      const a = await callAdmin(ctx.target, 'status', null, { ...ctx.admin, attempts: 1, timeoutMs: Math.min(ctx.admin.timeoutMs, pollMs * 2) }, ctx.signal);
      if (a.ok) o = fromStatus(a.status);
      else lastError = a.message;
    }
    if (o) {
      const key = `${o.state ?? '?'}|${o.bootId ?? '?'}`;
      if (key !== seen) {
        seen = key;
        ctx.onObserved?.(o);
      }
      if (o.drain) ctx.onProgress(progress(o.drain, ctx.requestedRate, o.source));
      if (done(o)) return { ok: true, bootId: o.bootId, via: o.source };
    }
    if (Date.now() > deadlineAt) return { ok: false, message: `${late(Date.now() - started)}${lastError ? `; last status poll: ${lastError}` : ''}`, cancelled: false };
    await sleep(tickMs, ctx.signal);
  }
}

function fromEvents(m: NodeModel | undefined, now: number): Observation | null {
  if (!m || m.streamState !== 'open' || m.lastVitalsAt === null || now - m.lastVitalsAt > EVENTS_FRESH_MS) return null;
  const restarting = m.restartingSince !== null;
  return {
    source: 'events',
    bootId: m.bootId,
    state: restarting ? 'restarting' : (m.figures?.state ?? null),
    drain: m.drain,
  };
}

function fromStatus(s: AdminStatus): Observation {
  return {
    source: 'status',
    bootId: s.bootId,
    state: s.state,
    drain: s.drain ? { remaining: s.drain.remaining, ratePerSec: s.drain.disconnectRatePerSecond } : null,
  };
}

function progress(d: { remaining: number; ratePerSec: number }, requested: number, source: 'events' | 'status'): ActionProgress {
  const rate = d.ratePerSec > 0 ? d.ratePerSec : requested;
  return { at: Date.now(), remaining: d.remaining, ratePerSec: d.ratePerSec, etaSeconds: rate > 0 ? Math.round((d.remaining / rate) * 10) / 10 : null, source };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
