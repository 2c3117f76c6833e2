import type { ConsoleCore } from '../../consoleCore';
import type { RecordingFile } from '../../recording/reader/recordingFile';
import { COMPRESSED_SERIES_MAX_CAPACITY } from '../../store';
import { CoreFeeder, ReplayClock } from './coreFeeder';
import type { FeederOptions } from './coreFeeder';
import { planSeek } from './planSeek';
import type { ReplayCursor } from './replayCursor';
import { restoreCheckpoint } from './restoreCheckpoint';

/** Work per slice before yielding to the event loop (playback and the UI stay responsive). */
const SLICE_MS = 15;

/**
 * The chart history of a replay (Foxglove's preloading): a second core fed the whole
 * recording, front to back, in the background, through the same Ingest path. Charts read
 * its store, cut at the replay clock, so a chart after a seek shows the hour before the
 * seek as it was live, not only what the playback core saw since the seek.
 * `loadedUntilMs` says how far it got (the scrubber can shade the loaded range).
 */
export class HistoryLoader {
  private readonly feeder: CoreFeeder;
  private cursor: ReplayCursor | null = null;
  private timer: NodeJS.Immediate | undefined;
  private stopped = false;
  loadedUntilMs: number | null = null;
  done = false;
  private readonly waiters: (() => void)[] = [];

  constructor(
    private readonly file: RecordingFile,
    o: FeederOptions,
    private readonly onProgress: () => void,
  ) {
    // Keep the whole recording (at the store's expected 1 s resolution), at least the default hour.
    const spanMs = Math.max(3_600_000, file.endMs - file.startMs + 120_000);
    this.feeder = new CoreFeeder(new ReplayClock(), { ...o, store: { retentionMs: Math.min(spanMs, COMPRESSED_SERIES_MAX_CAPACITY * 1000) } });
  }

  get core(): ConsoleCore {
    return this.feeder.core;
  }

  start(): void {
    const plan = planSeek(this.file, this.file.startMs, 'after');
    if (!plan) {
      this.finish();
      return;
    }
    restoreCheckpoint(this.feeder, this.file, plan.checkpoint);
    this.cursor = plan.cursor;
    this.loadedUntilMs = plan.checkpoint.atMs;
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped || this.done) return;
    this.timer = setImmediate(() => this.slice());
  }

  private slice(): void {
    const cursor = this.cursor!;
    const end = performance.now() + SLICE_MS;
    let n = 0;
    for (;;) {
      const x = cursor.next();
      if (!x) {
        this.loadedUntilMs = this.file.endMs;
        this.finish();
        return;
      }
      this.feeder.apply(x);
      this.loadedUntilMs = x.atMs;
      if ((++n & 63) === 0 && performance.now() > end) break;
    }
    this.onProgress();
    this.schedule();
  }

  private finish(): void {
    this.done = true;
    this.onProgress();
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves when the whole recording is loaded (or the loader was stopped). */
  whenDone(): Promise<void> {
    return this.done || this.stopped ? Promise.resolve() : new Promise((r) => this.waiters.push(r));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearImmediate(this.timer);
    this.feeder.stop();
    for (const w of this.waiters.splice(0)) w();
  }
}
