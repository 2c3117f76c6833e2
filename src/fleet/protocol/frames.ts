import { z } from 'zod';

/** Channel names: what a client may subscribe or publish to. */
export const CHANNEL_RE = /^[A-Za-z0-9_.:-]{1,128}$/;
/** User ids, as given in `?user=`. */
export const USER_RE = /^[A-Za-z0-9_.@-]{1,64}$/;

const channel = z.string().regex(CHANNEL_RE, 'channel must match [A-Za-z0-9_.:-]{1,128}');
const seq = z.number().int().nonnegative();

/** Frames a client sends (WebSocket text frames; HTTP bodies for SSE and long polling). */
export const clientFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), channel, since: seq.optional() }).strict(),
  z.object({ type: z.literal('unsubscribe'), channel }).strict(),
  z
    .object({
      type: z.literal('publish'),
      channel,
      data: z.unknown(),
      id: z.string().min(1).max(64).optional(),
      ref: z.union([z.string().max(64), z.number()]).optional(),
      ephemeral: z.boolean().optional(),
    })
    .strict(),
  z.object({ type: z.literal('presence'), state: z.enum(['online', 'away']) }).strict(),
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

/** `POST /publish` body. */
export const httpPublishSchema = z
  .object({
    channel,
    data: z.unknown(),
    id: z.string().min(1).max(64).optional(),
    ephemeral: z.boolean().optional(),
  })
  .strict();

/** `POST /presence` body. */
export const httpPresenceSchema = z.object({ sid: z.string().min(1).max(64), state: z.enum(['online', 'away']) }).strict();

/** A gap in a channel's history: messages `from..to` (inclusive) can no longer be replayed. */
export interface Gap {
  from: number;
  to: number;
}

/** Frames the server sends. */
export type ServerFrame =
  | { type: 'welcome'; node: string; bootId: string; sid: string; heartbeatMs: number }
  | { type: 'subscribed'; channel: string; seq: number; recovered: boolean; gap: Gap | null }
  | { type: 'message'; channel: string; seq: number; data: unknown; ts: number; id: string }
  | { type: 'ack'; ref?: string | number; channel: string; seq: number; duplicate: boolean }
  | { type: 'error'; code: ErrorCode; message: string; ref?: string | number }
  | { type: 'drain'; reconnectAfterMs: number };

export type ErrorCode = 'bad_request' | 'too_large' | 'rate_limited' | 'unavailable' | 'not_subscribed';

/**
 * Turns a zod failure into one sentence naming the field, e.g.
 * `unknown field "foo"` or `channel: channel must match ...`.
 */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid input';
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    const where = issue.path.length ? ` in ${issue.path.join('.')}` : '';
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}${where}`;
  }
  if (issue.code === 'invalid_union' && issue.path.length === 0) return 'unknown or missing "type"';
  const path = issue.path.length ? issue.path.join('.') : 'body';
  return `${path}: ${issue.message}`;
}

/** Parses `a:12,b:40` (SSE ids, `since` query) into positions; null when malformed. */
export function parsePositions(text: string): Map<string, number> | null {
  const out = new Map<string, number>();
  if (text === '') return out;
  for (const part of text.split(',')) {
    const i = part.lastIndexOf(':');
    if (i <= 0) return null;
    const ch = part.slice(0, i);
    const n = Number(part.slice(i + 1));
    if (!CHANNEL_RE.test(ch) || !Number.isSafeInteger(n) || n < 0) return null;
    out.set(ch, n);
  }
  return out;
}

/** Inverse of {@link parsePositions}. */
export function formatPositions(positions: Iterable<[string, number]>): string {
  const parts: string[] = [];
  for (const [ch, n] of positions) parts.push(`${ch}:${n}`);
  return parts.join(',');
}
