import { z } from 'zod';

/**
 * The fleet contract's `/events` payloads as the console accepts them: unknown extra
 * fields are ignored (a newer node may add some), wrong types are rejected with the
 * field named, numbers must be finite and within sane bounds (a hostile node cannot
 * push NaN or 1e308 into the store).
 */
const count = z.number().finite().min(0).max(1e9);
const rate = z.number().finite().min(0).max(1e9);
const ms = z.number().finite().min(0).max(1e7);
const ts = z.number().finite().min(0).max(1e13 * 10);
const transports = z.object({ ws: count, sse: count, longpoll: count });
const quantiles = z.object({ p50: ms, p99: ms });
const nodeId = z.string().min(1).max(200);

export const vitalsSchema = z.object({
  ts,
  node: nodeId,
  state: z.enum(['serving', 'draining', 'drained']),
  connections: transports,
  limit: count,
  rates: z.object({ opened: rate, closed: rate, reconnects: rate, published: rate, delivered: rate, dropped: rate }),
  pubsubLagMs: quantiles,
  deliveryLatencyMs: quantiles,
  presence: z.object({ online: count, away: count }),
  eventLoopLagMs: ms,
  rssBytes: z.number().finite().min(0).max(1e14),
  busConnected: z.boolean(),
});
export type Vitals = z.infer<typeof vitalsSchema>;

/** `reset` carries the current state (rates and quantiles may be missing) plus the boot id. */
export const resetSchema = z.object({
  ts,
  node: nodeId,
  state: z.enum(['serving', 'draining', 'drained']),
  connections: transports,
  limit: count,
  presence: z.object({ online: count, away: count }),
  busConnected: z.boolean(),
  bootId: z.string().min(1).max(200),
});
export type ResetState = z.infer<typeof resetSchema>;

export const LIFECYCLE_KINDS = ['started', 'drain_started', 'drain_progress', 'drained', 'undrained', 'restarting', 'bus_down', 'bus_up', 'shutdown'] as const;
export const lifecycleSchema = z.object({
  ts,
  node: nodeId,
  kind: z.enum(LIFECYCLE_KINDS),
  detail: z.record(z.string().max(100), z.unknown()).optional(),
});
export type Lifecycle = z.infer<typeof lifecycleSchema>;

export const presenceSchema = z.object({
  ts,
  node: nodeId,
  online: count,
  away: count,
  offline: count,
  sample: z.array(z.object({ user: z.string().max(200), to: z.enum(['online', 'away', 'offline']) })).max(50),
});
export type PresenceEvent = z.infer<typeof presenceSchema>;

/** `path: message` of the first problem, for a blind-spot reason. */
export function firstIssue(err: z.ZodError): string {
  const i = err.issues[0];
  return i ? `${i.path.join('.') || 'data'}: ${i.message}` : 'invalid';
}
