import { RecordingDecoder } from '../../recording/reader/recordingDecoder';
import type { RawMessage } from '../../recording/reader/recordingDecoder';
import type { RecordingFile } from '../../recording/reader/recordingFile';
import type { ReplayInput } from '../../recording/reader/replayInput';
import { ReplayCursor } from './replayCursor';

export type CheckpointInput = Extract<ReplayInput, { kind: 'checkpoint' }>;

/** Where a seek lands: the last checkpoint at or before the target, or the first at or after it. */
export type SeekMode = 'before' | 'after';

export interface SeekPlan {
  checkpoint: CheckpointInput;
  /** Positioned just after the checkpoint, with its decoder's state there. */
  cursor: ReplayCursor;
}

/**
 * Finds the checkpoint a seek restores and a cursor right after it. Checkpoints follow
 * every tick (once a second) and open every key chunk, so the work is reading from the
 * key chunk before the target up to that checkpoint — at most one key period of chunks,
 * not the recording from its start — and only advancing the coding state on the way
 * (nothing is built but the checkpoint). An unreadable chunk on the way sends it one key
 * period back.
 */
export function planSeek(file: RecordingFile, t: number, mode: SeekMode): SeekPlan | null {
  const chunks = file.chunks;
  const keys: number[] = [];
  for (let i = 0; i < chunks.length; i++) if (chunks[i].key && !chunks[i].bad) keys.push(i);
  if (keys.length === 0) return null;
  // The last key chunk starting at or before t (binary search; chunks are in time order).
  let lo = 0;
  let hi = keys.length - 1;
  let k = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (chunks[keys[mid]].startMs <= t) {
      k = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  for (let ki = k; ki >= 0; ki--) {
    const plan = fromKey(file, keys[ki], t, mode);
    if (plan) return plan;
    if (mode === 'after') break;
  }
  return mode === 'after' ? planSeek(file, t, 'before') : null;
}

function fromKey(file: RecordingFile, start: number, t: number, mode: SeekMode): SeekPlan | null {
  const chunks = file.chunks;
  const decoder = new RecordingDecoder(file);
  // Find the checkpoint from the messages' headers alone (time and channel), chunk by chunk.
  const raws: { chunk: number; raw: RawMessage[] }[] = [];
  let best: { at: number; index: number } | null = null;
  for (let i = start; i < chunks.length; i++) {
    if (mode === 'before' && chunks[i].startMs > t && i > start) break;
    const raw = decoder.rawMessages(i);
    // An unreadable chunk breaks every channel's state: start from an earlier key chunk instead.
    if (!raw) return null;
    raws.push({ chunk: i, raw });
    for (let j = 0; j < raw.length; j++) {
      if (decoder.kindOf(raw[j]) !== 'checkpoint') continue;
      if (mode === 'before' && raw[j].atMs <= t) best = { at: raws.length - 1, index: j };
      if (mode === 'after' && raw[j].atMs >= t) {
        best = { at: raws.length - 1, index: j };
        break;
      }
    }
    if (mode === 'after' && best) break;
  }
  if (!best || raws[0]?.chunk !== start) return null;
  // Decode up to the checkpoint, building nothing (only the coding state moves), then the checkpoint itself.
  for (let c = 0; c < best.at; c++) for (const m of raws[c].raw) decoder.decodeMessage(m, null);
  const last = raws[best.at];
  for (let j = 0; j < best.index; j++) decoder.decodeMessage(last.raw[j], null);
  const out: ReplayInput[] = [];
  decoder.decodeMessage(last.raw[best.index], out);
  const checkpoint = out.find((x): x is CheckpointInput => x.kind === 'checkpoint');
  if (!checkpoint) return null;
  return { checkpoint, cursor: new ReplayCursor(decoder, last.chunk + 1, last.raw, best.index + 1) };
}
