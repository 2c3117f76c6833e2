import type { Result } from '../../../shared/api';
import { FORMAT_VERSION, INDEX_RECORD, META_RECORD, PROFILE } from './format';
import { IndexBuilder } from './indexBuilder';
import type { ChunkBlob } from './mcap/chunkAssembler';
import { McapFileSink } from './mcap/mcapFileSink';
import type { ChannelRecord, CloseExtras, SinkState } from './mcap/mcapFileSink';

export type { RecordingStatus } from '../../../shared/replay';
import type { RecordingStatus } from '../../../shared/replay';

export interface SessionInfo {
  maxBytes?: number;
  consoleVersion: string;
  sourceName: string;
  sourceKind: string;
  keyframeEveryMs: number;
  scrapeIntervalMs: number;
  startMs: number;
  /** Saved from the flight recorder rather than recorded from start to stop. */
  flight: boolean;
}

const STATE: Record<SinkState, RecordingStatus['state']> = { open: 'recording', closed: 'stopped', capped: 'capped', failed: 'failed' };

/** One file being written from the recorder's chunks: the sink plus the index it will close with. */
export class RecordingSession {
  private readonly index = new IndexBuilder();

  private constructor(
    readonly file: string,
    private readonly sink: McapFileSink,
  ) {}

  static create(file: string, info: SessionInfo): Result<RecordingSession> {
    const meta = new Map<string, string>([
      ['format', FORMAT_VERSION],
      ['consoleVersion', info.consoleVersion],
      ['source', info.sourceName],
      ['sourceKind', info.sourceKind],
      ['startTime', new Date(info.startMs).toISOString()],
      ['startMs', String(info.startMs)],
      ['keyframeEveryMs', String(info.keyframeEveryMs)],
      ['scrapeIntervalMs', String(info.scrapeIntervalMs)],
      ['flightRecorder', String(info.flight)],
    ]);
    let holder: RecordingSession | null = null;
    try {
      const sink: McapFileSink = new McapFileSink(file, {
        library: `switchboard ${info.consoleVersion}`,
        profile: PROFILE,
        meta: { name: META_RECORD, entries: meta },
        maxBytes: info.maxBytes,
        extras: (): CloseExtras => (holder ? { metadata: [{ name: INDEX_RECORD, entries: holder.index.entries(sink.keyOffsets) }] } : {}),
      });
      holder = new RecordingSession(file, sink);
      return { ok: true, value: holder };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const why = e.code === 'EEXIST' ? 'the file already exists (a recording is never overwritten)' : e.code === 'ENOENT' ? 'its directory does not exist' : e.code === 'EACCES' ? 'permission denied' : e.message;
      return { ok: false, code: 'invalid', message: `cannot record to ${file}: ${why}` };
    }
  }

  /** Appends a chunk; returns the sink's state after (anything but `open` means the file is done). */
  write(blob: ChunkBlob, channel: (id: number) => ChannelRecord | undefined): SinkState {
    this.sink.reserve(this.index.measure(blob));
    const before = this.sink.chunks;
    const state = this.sink.write(blob, channel);
    if (this.sink.chunks > before) this.index.add(blob);
    return state;
  }

  close(): void {
    this.sink.close();
  }

  status(): RecordingStatus {
    const s = this.sink;
    return { file: this.file, state: STATE[s.state], error: s.error, bytes: s.bytes, chunks: s.chunks, fromMs: s.startMs, toMs: s.endMs };
  }
}
