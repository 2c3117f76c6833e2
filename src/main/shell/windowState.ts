import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { BrowserWindow, Rectangle } from 'electron';
import { z } from 'zod';
import type { ShellLogger } from './shellLogger';

/** Where and how big the window was, in screen DIPs; `maximized` restores over the bounds. */
export const windowStateSchema = z
  .object({
    x: z.number().int().min(-100_000).max(100_000),
    y: z.number().int().min(-100_000).max(100_000),
    width: z.number().int().min(200).max(100_000),
    height: z.number().int().min(150).max(100_000),
    maximized: z.boolean(),
  })
  .strict();
export type WindowState = z.infer<typeof windowStateSchema>;

/** A window-state file is a few dozen bytes; anything larger is not ours. */
const MAX_STATE_BYTES = 4096;
/** Moves and resizes come in bursts; save once they settle. */
export const SAVE_DEBOUNCE_MS = 500;

/**
 * Reads the saved state, or null when there is none or it is unusable: a corrupt or
 * foreign file is ignored (with a log line naming what was wrong), never fatal.
 */
export function loadWindowState(file: string, log: ShellLogger): WindowState | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn(`window state: cannot read ${file}: ${(err as Error).message}`);
    return null;
  }
  if (text.length > MAX_STATE_BYTES) {
    log.warn(`window state: ignoring ${file}: larger than ${MAX_STATE_BYTES} bytes`);
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    log.warn(`window state: ignoring ${file}: not JSON (${(err as Error).message})`);
    return null;
  }
  const parsed = windowStateSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    log.warn(`window state: ignoring ${file}: ${i ? `${i.path.map(String).join('.') || 'state'}: ${i.message}` : 'invalid'}`);
    return null;
  }
  return parsed.data;
}

/** Writes the state atomically (a crash mid-write leaves the old file, never half a file). */
export function saveWindowState(file: string, state: WindowState, log: ShellLogger): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(state)}\n`, { mode: 0o600 });
    renameSync(tmp, file);
  } catch (err) {
    log.warn(`window state: cannot write ${file}: ${(err as Error).message}`);
  }
}

/**
 * True when the window's centre lies in the work area of a connected display, so a
 * window saved on a monitor that is now unplugged does not open off screen.
 */
export function isOnVisibleDisplay(bounds: Rectangle, workAreas: readonly Rectangle[]): boolean {
  const cx = bounds.x + bounds.width / 2;
  const cy = bounds.y + bounds.height / 2;
  return workAreas.some((a) => cx >= a.x && cx < a.x + a.width && cy >= a.y && cy < a.y + a.height);
}

/**
 * Saves `win`'s state to `file` on close and, debounced, after moves and resizes. The
 * normal (restored) bounds are saved, so a maximized window comes back maximized over
 * its old size.
 */
export function trackWindowState(win: BrowserWindow, file: string, log: ShellLogger): void {
  let timer: NodeJS.Timeout | undefined;
  const save = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (win.isDestroyed()) return;
    const b = win.getNormalBounds();
    const state = { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height), maximized: win.isMaximized() };
    const parsed = windowStateSchema.safeParse(state);
    if (parsed.success) saveWindowState(file, parsed.data, log);
  };
  const later = (): void => {
    clearTimeout(timer);
    timer = setTimeout(save, SAVE_DEBOUNCE_MS);
    timer.unref();
  };
  win.on('move', later);
  win.on('resize', later);
  win.on('maximize', later);
  win.on('unmaximize', later);
  win.on('close', save);
  win.once('closed', () => clearTimeout(timer));
}
