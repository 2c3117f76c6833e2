import type { TimelineEvent } from '../../../../shared/api';
import type { IngestEvent, IngestStreamStatus } from '../../ingest/ingest';
import { RecordDecoder } from '../codec/recordCodec';
import { LayoutMemo, ScrapeDecoder } from '../codec/scrapeCodec';
import { ACTIVE_KEY } from '../format';
import { forEachMessage } from '../mcap/recordParse';
import type { InventoryMessage } from '../recordedInventory';
import type { RecordingFile } from './recordingFile';
import type { NodeSnapshot, ReplayInput } from './replayInput';

const TEXT = new TextDecoder();

/** One message of a chunk, not decoded yet (its data is a view into the decompressed chunk). */
export interface RawMessage {
  channelId: number;
  sequence: number;
  atMs: number;
  data: Uint8Array;
}
/** Scrape dictionaries already parsed, per file and channel (shared by the file's decoders). */
const MEMOS = new WeakMap<RecordingFile, Map<number, LayoutMemo>>();

/**
 * Turns a recording's chunks back into the calls the recorded core received, in file
 * order. Stateful like the encoder: delta-coded channels need every message of their
 * channel since its last key message, so a reader decodes chunks in order from a key
 * chunk. A gap (an unreadable chunk, a sequence number that does not follow) makes that
 * channel wait for its next key message; messages it cannot decode are counted in
 * `skipped`, never thrown.
 */
export class RecordingDecoder {
  private readonly scrape = new Map<number, ScrapeDecoder>();
  private readonly records = new Map<number, RecordDecoder>();
  private readonly lastSeq = new Map<number, number>();
  /** Messages that could not be decoded (waiting for a key message after a gap, or damaged). */
  skipped = 0;

  private readonly memos: Map<number, LayoutMemo>;

  constructor(readonly file: RecordingFile) {
    let memos = MEMOS.get(file);
    if (!memos) MEMOS.set(file, (memos = new Map()));
    this.memos = memos;
  }

  /** Forgets all coding state (before decoding from another key chunk). */
  reset(): void {
    this.scrape.clear();
    this.records.clear();
    this.lastSeq.clear();
  }

  /**
   * Decodes chunk `i` into its inputs; false when the chunk is unreadable (the file
   * reports it once; the coding state is dropped, so channels resume at their next key).
   * With `out` null the chunk only advances the coding state (nothing is built: skipping
   * ahead to a seek target); `marks` then hears the time of each checkpoint passed.
   */
  decodeChunk(i: number, out: ReplayInput[] | null, marks?: (atMs: number) => void): boolean {
    const raw = this.rawMessages(i);
    if (!raw) return false;
    for (const m of raw) this.message(m.channelId, m.sequence, m.atMs, m.data, out, marks);
    return true;
  }

  /**
   * The messages of chunk `i` without decoding them (their times and channels are
   * known: a seek looks for its checkpoint this way). Null when the chunk is unreadable;
   * the coding state is then dropped.
   */
  rawMessages(i: number): RawMessage[] | null {
    const r = this.file.readChunk(i);
    if (!r.ok) {
      this.reset();
      return null;
    }
    const list: RawMessage[] = [];
    try {
      forEachMessage(r.records, (channelId, sequence, atMs, data) => list.push({ channelId, sequence, atMs, data }));
    } catch {
      // The chunk's record structure is broken past some point (its CRC was 0): what came before stands.
    }
    return list;
  }

  /** The kind of a message's channel (undefined: a channel this version does not know). */
  kindOf(m: RawMessage) {
    return this.file.channels.get(m.channelId)?.kind;
  }

  /** Decodes one message (messages must come in file order); see decodeChunk for `out` and `marks`. */
  decodeMessage(m: RawMessage, out: ReplayInput[] | null, marks?: (atMs: number) => void): void {
    this.message(m.channelId, m.sequence, m.atMs, m.data, out, marks);
  }

  private message(channelId: number, seq: number, atMs: number, data: Uint8Array, out: ReplayInput[] | null, marks?: (atMs: number) => void): void {
    const ch = this.file.channels.get(channelId);
    if (!ch) return;
    // State-only decoding: JSON channels carry no coding state.
    if (!out && (ch.kind === 'status' || ch.kind === 'inventory' || ch.kind === 'timeline' || ch.kind === 'tick' || ch.kind === 'sync')) {
      this.lastSeq.set(channelId, seq);
      return;
    }
    const prev = this.lastSeq.get(channelId);
    this.lastSeq.set(channelId, seq);
    const gap = prev === undefined || seq !== ((prev + 1) >>> 0);
    try {
      switch (ch.kind) {
        case 'scrape': {
          let d = this.scrape.get(channelId);
          if (!d) {
            let memo = this.memos.get(channelId);
            if (!memo) this.memos.set(channelId, (memo = new LayoutMemo()));
            this.scrape.set(channelId, (d = new ScrapeDecoder(memo)));
          }
          if (gap) d.reset();
          try {
            const outcome = d.decode(atMs, data, out !== null);
            if (outcome && out) out.push({ kind: 'scrape', atMs, node: ch.node!, outcome });
          } catch (err) {
            d.reset();
            throw err;
          }
          return;
        }
        case 'events': {
          const recs = this.recordsOf(channelId, gap).decode(data, out !== null);
          if (!out) return;
          for (const [, v] of recs) {
            const e = v as unknown as IngestEvent;
            out.push({ kind: 'event', atMs, node: ch.node!, event: { type: String(e.type), data: e.data, bootId: e.bootId ?? null } });
          }
          return;
        }
        case 'checkpoint': {
          if (!out) {
            this.recordsOf(channelId, gap).decode(data, false);
            marks?.(atMs);
            return;
          }
          const nodes = new Map<string, NodeSnapshot>();
          let active: number[] = [];
          for (const [k, v] of this.recordsOf(channelId, gap).decode(data)) {
            if (k === ACTIVE_KEY) active = Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [];
            else if (k.startsWith('n:') && v && typeof v === 'object' && !Array.isArray(v)) nodes.set(k.slice(2), v);
          }
          out.push({ kind: 'checkpoint', atMs, nodes, active });
          return;
        }
        case 'status':
          out!.push({ kind: 'status', atMs, node: ch.node!, status: json(data) as IngestStreamStatus });
          return;
        case 'inventory':
          out!.push({ kind: 'inventory', atMs, msg: json(data) as InventoryMessage });
          return;
        case 'timeline':
          out!.push({ kind: 'timeline', atMs, event: json(data) as TimelineEvent });
          return;
        case 'tick':
          out!.push({ kind: 'tick', atMs });
          return;
        case 'sync':
          out!.push({ kind: 'sync', atMs });
          return;
      }
    } catch {
      this.skipped++;
    }
  }

  private recordsOf(channelId: number, gap: boolean): RecordDecoder {
    let d = this.records.get(channelId);
    if (!d) this.records.set(channelId, (d = new RecordDecoder()));
    if (gap) d.reset();
    return d;
  }
}

function json(data: Uint8Array): unknown {
  return JSON.parse(TEXT.decode(data));
}
