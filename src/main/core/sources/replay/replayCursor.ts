import type { RawMessage, RecordingDecoder } from '../../recording/reader/recordingDecoder';
import type { ReplayInput } from '../../recording/reader/replayInput';

/**
 * The read position of a replay: the messages of the current chunk (decoded one at a time
 * as playback reaches them: a seek does not pay for building what it will not show yet),
 * and the next chunk to read. An unreadable chunk is skipped (the file reports it).
 */
export class ReplayCursor {
  private mi = 0;
  private readonly pending: ReplayInput[] = [];
  private pi = 0;

  constructor(
    private readonly decoder: RecordingDecoder,
    private nextChunk: number,
    private raw: RawMessage[] = [],
    start = 0,
  ) {
    this.mi = start;
  }

  peek(): ReplayInput | null {
    const chunks = this.decoder.file.chunks.length;
    while (this.pi >= this.pending.length) {
      this.pending.length = 0;
      this.pi = 0;
      if (this.mi < this.raw.length) {
        this.decoder.decodeMessage(this.raw[this.mi++], this.pending);
        continue;
      }
      if (this.nextChunk >= chunks) return null;
      this.raw = this.decoder.rawMessages(this.nextChunk++) ?? [];
      this.mi = 0;
    }
    return this.pending[this.pi];
  }

  next(): ReplayInput | null {
    const v = this.peek();
    if (v) this.pi++;
    return v;
  }

  /** Messages the decoder could not read so far. */
  get skipped(): number {
    return this.decoder.skipped;
  }
}
