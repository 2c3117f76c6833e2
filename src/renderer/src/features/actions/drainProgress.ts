import type { ActionRecord } from '../../../../shared/actions';

type Brief = Pick<ActionRecord, 'kind' | 'state' | 'progress' | 'steps'>;

export interface DrainFigures {
  /** Connections when the node accepted the drain; null when not known yet. */
  atStart: number | null;
  remaining: number;
  moved: number;
  ratePerSec: number;
  etaSeconds: number | null;
  /** The drain part is over (drained, or the restart that followed it). */
  done: boolean;
}

/**
 * A drain's progress as figures for a bar: connections at the start come from the node's
 * answer to the drain (the `accepted` step carries them), else the largest remaining count
 * reported. Null for an undrain, or a drain that has reported nothing yet.
 */
export function drainFigures(a: Brief): DrainFigures | null {
  if (a.kind === 'undrain') return null;
  let atStart: number | null = null;
  for (const s of a.steps) {
    const c = s.detail?.connections;
    if (typeof c === 'number' && s.what.startsWith('accepted')) {
      atStart = c;
      break;
    }
  }
  const p = a.progress;
  if (!p && atStart === null) return null;
  const done = a.state === 'succeeded' && a.kind === 'drain';
  const remaining = done ? 0 : (p?.remaining ?? atStart ?? 0);
  const start = Math.max(atStart ?? 0, remaining);
  return { atStart: start, remaining, moved: start - remaining, ratePerSec: p?.ratePerSec ?? 0, etaSeconds: done ? 0 : (p?.etaSeconds ?? null), done };
}
