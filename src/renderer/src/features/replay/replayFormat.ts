import { formatClock } from '../../lib/format';

/**
 * Times and sizes as a recording's reviewer reads them: wall-clock times of the
 * recording (local time, to match logs), offsets into it, and file sizes.
 */

const dateFmt = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });

/** `Wed 1 May 2024`. */
export function formatDate(ts: number): string {
  return dateFmt.format(new Date(ts)).replace(',', '');
}

/** When a recording was made: `Wed 1 May 2024, 10:00:00–10:30:00` (both dates when it spans midnight). */
export function formatRecordedSpan(startMs: number, endMs: number): string {
  const sameDay = new Date(startMs).toDateString() === new Date(endMs).toDateString();
  return sameDay ? `${formatDate(startMs)}, ${formatClock(startMs)}–${formatClock(endMs)}` : `${formatDate(startMs)} ${formatClock(startMs)} – ${formatDate(endMs)} ${formatClock(endMs)}`;
}

/** An offset into a recording: `0:05`, `12:05`, `1:02:03`. */
export function formatOffset(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** The replay clock in words, for a screen reader's slider: `10:12:05, 12 min 5 s into the recording`. */
export function clockText(clockMs: number, startMs: number): string {
  const s = Math.max(0, Math.round((clockMs - startMs) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = [h ? `${h} h` : '', m ? `${m} min` : '', `${s % 60} s`].filter(Boolean);
  return `${formatClock(clockMs)}, ${parts.join(' ')} into the recording`;
}

/** A file size: `812 B`, `14.2 kB`, `2.3 MB`, `1.05 GB` (decimal units). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  do {
    v /= 1000;
    u++;
  } while (v >= 1000 && u < units.length - 1);
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** A span of time: `30 min`, `45 s`, `1 h 5 min`. */
export function formatSpan(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}
