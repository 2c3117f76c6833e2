/**
 * The state of the renderer's link to the console core, as a string union (one state
 * machine, no flags). `refused`: the server would not take our token (or never let us
 * in); `lost`: we were connected and the link dropped, a retry is scheduled at `retryAt`.
 */
export type BridgeStatus =
  | { state: 'connecting'; attempt: number }
  | { state: 'open'; since: number }
  | { state: 'lost'; retryAt: number; attempt: number; since: number; lastError: string }
  | { state: 'refused'; retryAt: number; attempt: number; reason: string };

/** The status of a bridge that cannot drop (Electron IPC through the preload). */
export const ALWAYS_OPEN: BridgeStatus = { state: 'open', since: 0 };

/** Something whose link status can be watched. */
export interface StatusSource {
  status(): BridgeStatus;
  onStatus(fn: (s: BridgeStatus) => void): () => void;
  /** Try again now instead of waiting for the scheduled retry. */
  retryNow(): void;
}
