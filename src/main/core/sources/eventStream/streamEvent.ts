/**
 * One event from a node's `/events`, as the reader delivers it. `data` is already
 * JSON-parsed (events whose data is not JSON are never delivered); its shape is the
 * caller's to validate.
 */
export interface StreamEvent {
  /** The SSE event name (`vitals`, `lifecycle`, `presence`, `reset`, ...); `message` when unnamed. */
  type: string;
  /** The event's `id:` field, or null when it had none. */
  id: string | null;
  data: unknown;
  /** The boot id from an id of the form `<boot_id>:<seq>`, else null. A new value means the node restarted. */
  bootId: string | null;
  /** The sequence number from an id of the form `<boot_id>:<seq>`, else null. */
  seq: number | null;
}

/** Longest event id the reader remembers and sends back as `Last-Event-ID` (the gateway accepts 200). */
export const MAX_EVENT_ID_LENGTH = 256;

/**
 * Splits an event id of the contract's form `<boot_id>:<seq>` at its last colon.
 * Returns null when there is no colon, the boot id is empty, or seq is not a
 * non-negative safe integer written in plain decimal digits.
 */
export function parseEventId(id: string): { bootId: string; seq: number } | null {
  const i = id.lastIndexOf(':');
  if (i <= 0) return null;
  const digits = id.slice(i + 1);
  if (!/^\d{1,16}$/.test(digits)) return null;
  const seq = Number(digits);
  return Number.isSafeInteger(seq) ? { bootId: id.slice(0, i), seq } : null;
}

/**
 * Whether an id may be sent back as a `Last-Event-ID` header: printable ASCII and at
 * most {@link MAX_EVENT_ID_LENGTH} chars. A hostile id (control chars, non-ASCII) would
 * otherwise make every reconnect request fail to build.
 */
export function isSendableEventId(id: string): boolean {
  return id.length > 0 && id.length <= MAX_EVENT_ID_LENGTH && /^[\x20-\x7e]+$/.test(id);
}
