/**
 * Number and time formatting for the console. Everything shown to the on-call engineer
 * goes through here so units and rounding are the same on every view.
 */

const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A count: `1,234`; `—` when unknown. */
export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '—' : intFmt.format(n);
}

/** A rate per second: one decimal below 100, whole numbers above, `k` above 10,000. */
export function formatRate(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const a = Math.abs(n);
  if (a >= 10_000) return `${(n / 1000).toFixed(1)}k`;
  if (a >= 100) return intFmt.format(n);
  if (a === 0) return '0';
  return n.toFixed(1);
}

/** Milliseconds: `3 ms`, `12.5 ms` below 100, `1.2 s` above a second. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 100 || Number.isInteger(ms)) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

/** How long ago `ts` was, as of `now`: `just now`, `4 s ago`, `3 min ago`, `2 h ago`. */
export function formatAgo(ts: number | null | undefined, now: number): string {
  if (ts === null || ts === undefined) return 'never';
  const s = Math.max(0, Math.round((now - ts) / 1000));
  if (s < 2) return 'just now';
  if (s < 90) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 90) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} d ago`;
}

/** A span in seconds/minutes: `45 s`, `3 min 10 s`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  return rest ? `${m} min ${rest} s` : `${m} min`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock time `03:12:05`, to match against logs. */
export function formatClock(ts: number): string {
  const d = new Date(ts);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Local wall-clock time without seconds, for chart axes: `03:12`. */
export function formatClockShort(ts: number): string {
  const d = new Date(ts);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
