import type { Json } from '../codec/shapeCodec';
import type { ChannelKind } from '../format';

/** One chunk of a recording file, as found in its summary or by scanning. */
export interface ChunkInfo {
  /** File offset of the Chunk record. */
  offset: number;
  /** Bytes of the whole record. */
  length: number;
  startMs: number;
  endMs: number;
  /** Where reading may start: the chunk opens with a sync mark, the inventory and a checkpoint. */
  key: boolean;
  /** Found unreadable (reported once in the warnings); readers skip it. */
  bad: boolean;
}

export interface ChannelInfo {
  id: number;
  topic: string;
  encoding: string;
  kind: ChannelKind;
  node: string | null;
}

/** A timeline or inventory message, held in memory for the whole recording (markers, restores). */
export interface SparseMessage {
  logMs: number;
  kind: 'timeline' | 'inventory';
  value: Json;
}

/** What opening a file found out: everything but the chunks' contents. */
export interface RecordingLayout {
  meta: Map<string, string>;
  channels: Map<number, ChannelInfo>;
  /** In file order. */
  chunks: ChunkInfo[];
  /** From the index record of a cleanly closed file; null when the chunks must be read to find them. */
  sparse: SparseMessage[] | null;
  warnings: string[];
  /** Whether the summary was used (false: the index was rebuilt by scanning). */
  indexed: boolean;
}

/** Progress of opening a large file (reading its summary, scanning it, reading its chunks for markers). */
export interface OpenProgress {
  phase: 'summary' | 'scan' | 'markers';
  done: number;
  total: number;
}

export type ProgressFn = (p: OpenProgress) => void;

/** Bad input, as one sentence naming the file and what is wrong with it. */
export class RecordingOpenError extends Error {}
