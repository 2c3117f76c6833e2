import { z } from 'zod';
import type { ConsoleApi, LiveFrame, Result } from './api';
import { focusRequestSchema, seriesRequestSchema, timelineQuerySchema } from './api';
import { abortActionSchema, actionRequestSchema, auditQuerySchema, confirmActionSchema, rolloutControlSchema, rolloutRequestSchema, startRolloutSchema } from './actions';
import { OPERATION_NAMES } from './channels';
import type { OperationName } from './channels';
import { bookmarkEditSchema, openRecordingSchema, playbackCommandSchema, saveRecordingSchema } from './replay';

export { OPERATION_NAMES, ipcChannel } from './channels';
export type { OperationName } from './channels';

const none = z.undefined();

/**
 * The bridge between the renderer and the console core, declared once. Electron IPC
 * (preload + shell handlers) and the serve-mode WebSocket bridge both carry exactly
 * these operations, each with one argument validated by its schema on the main side.
 */
export const OPERATIONS = {
  getSeries: seriesRequestSchema,
  getTimeline: timelineQuerySchema,
  getInventory: none,
  previewAction: actionRequestSchema,
  confirmAction: confirmActionSchema,
  abortAction: abortActionSchema,
  previewRollout: rolloutRequestSchema,
  startRollout: startRolloutSchema,
  controlRollout: rolloutControlSchema,
  getActions: none,
  getAudit: auditQuerySchema,
  saveFlightRecording: saveRecordingSchema,
  startRecording: saveRecordingSchema,
  stopRecording: none,
  listRecordings: none,
  openRecording: openRecordingSchema,
  closeRecording: none,
  controlPlayback: playbackCommandSchema,
  getMarks: none,
  editBookmark: bookmarkEditSchema,
  setFocus: focusRequestSchema,
} as const satisfies Record<OperationName, z.ZodType>;

/** Operations of the API (everything but subscriptions). */
export type Operations = Omit<ConsoleApi, 'onFrame'>;

// The operation names (channels.ts, zod-free for the preload) are exactly the API's operations.
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const namesAreOperations: SameKeys<keyof Operations, OperationName> = true;
void namesAreOperations;

/** Largest message accepted over the WebSocket bridge, in bytes. */
export const MAX_BRIDGE_MESSAGE_BYTES = 64 * 1024;

/** Renderer → main over the WebSocket bridge. */
export const bridgeRequestSchema = z
  .object({ id: z.number().int().nonnegative(), op: z.enum(OPERATION_NAMES), arg: z.unknown().optional() })
  .strict();
export type BridgeRequest = z.infer<typeof bridgeRequestSchema>;

/** Main → renderer over the WebSocket bridge. */
export type BridgeMessage = { kind: 'result'; id: number; result: Result<unknown> } | { kind: 'frame'; frame: LiveFrame };

/**
 * Validates an operation's argument and calls it on the API: the one place where both
 * bridges turn untrusted input into a call. Never throws; errors are values.
 */
export async function dispatch(api: Operations, op: string, arg: unknown): Promise<Result<unknown>> {
  if (!(OPERATION_NAMES as readonly string[]).includes(op)) return { ok: false, code: 'invalid', message: `unknown operation "${String(op).slice(0, 60)}"` };
  const name = op as OperationName;
  const parsed = OPERATIONS[name].safeParse(arg);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return { ok: false, code: 'invalid', message: `${name}: ${i ? `${i.path.map(String).join('.') || 'argument'}: ${i.message}` : 'invalid argument'}` };
  }
  try {
    // Each operation takes its schema's output as its one argument (see ConsoleApi).
    const call = api[name] as (this: Operations, a: unknown) => Promise<Result<unknown>>;
    return await call.call(api, parsed.data);
  } catch (err) {
    return { ok: false, code: 'internal', message: err instanceof Error ? err.message : String(err) };
  }
}
