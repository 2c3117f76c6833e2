import { basename } from 'node:path';
import type { Result } from '../../../shared/api';
import type { ConsoleCore } from '../consoleCore';
import { CONSOLE_VERSION } from './consoleVersion';
import { CoreRecordWriter } from './coreRecordWriter';
import { tapCore } from './coreTap';
import type { CoreTapListener } from './coreTap';
import { FlightRing } from './flightRing';
import { ChunkAssembler } from './mcap/chunkAssembler';
import type { ChunkBlob } from './mcap/chunkAssembler';
import { DEFAULT_ZSTD_LEVEL, loadCompression } from './mcap/compression';
import type { RecordingClock } from './recordingClock';
import { RecordingSession } from './recordingSession';
import type { RecordingStatus } from './recordingSession';

export interface RecorderOptions {
  /** The core's clock (log times are on it); Date.now unless the core was given another. */
  now?: () => number;
  /**
   * The clock the core was given (its `now`), held still through each recorded input so
   * recorded times are exactly the core's (see RecordingClock). Takes the place of `now`.
   */
  clock?: RecordingClock;
  /** Flight recorder window, ms; default 30 minutes. 0 turns the flight recorder off. */
  flightWindowMs?: number;
  /** A chunk is closed (and reaches the file) at least this often, ms; default 1000. */
  chunkEveryMs?: number;
  /** Every channel starts over with a key message this often, ms; default 5000 (bounds seek work and the loss after a bad chunk). */
  keyframeEveryMs?: number;
  /** A chunk is also closed when its uncompressed size passes this; default 8 MiB. */
  maxChunkBytes?: number;
  zstdLevel?: number;
  /** Console version written into each file's metadata (default: this console's). */
  consoleVersion?: string;
  /** Source name written into each file's metadata (default: the core's source name). */
  sourceName?: string;
}

export const DEFAULT_FLIGHT_WINDOW_MS = 30 * 60_000;

export type { FlightStatus, RecorderStatus } from '../../../shared/replay';
import type { RecorderStatus } from '../../../shared/replay';

/**
 * Records everything a console core ingests — inventory, stream status, stream events,
 * scrape outcomes (parsed samples), ticks — and every timeline event it shows, plus a
 * checkpoint of every node model after each tick, into MCAP chunks closed at least once a
 * second and compressed with zstd. The chunks go to the always-on flight recorder (the
 * last 30 minutes in memory, savable at any moment) and, between `startRecording` and
 * `stopRecording`, to a file. Recording never breaks the console: a failing file stops
 * the recording with a reason in `status()`, a failing tap is counted and skipped.
 */
export class Recorder {
  private readonly asm: ChunkAssembler;
  private readonly writer: CoreRecordWriter;
  private readonly ring: FlightRing | null;
  private session: RecordingSession | null = null;
  private lastSession: RecordingStatus | null = null;
  private readonly now: () => number;
  private readonly o: Required<Omit<RecorderOptions, 'now' | 'clock'>>;
  private timer: NodeJS.Timeout | undefined;
  private untap: (() => void) | null = null;
  private errors = 0;
  private lastError: string | null = null;
  private busy = 0;
  private readonly listeners = new Set<(s: RecorderStatus) => void>();
  private readonly clock: RecordingClock | null;

  private constructor(
    private readonly core: ConsoleCore,
    o: RecorderOptions,
  ) {
    this.now = o.clock?.now ?? o.now ?? Date.now;
    this.clock = o.clock ?? null;
    this.o = {
      flightWindowMs: o.flightWindowMs ?? DEFAULT_FLIGHT_WINDOW_MS,
      chunkEveryMs: o.chunkEveryMs ?? 1000,
      keyframeEveryMs: o.keyframeEveryMs ?? 5_000,
      maxChunkBytes: o.maxChunkBytes ?? 8 * 1024 * 1024,
      zstdLevel: o.zstdLevel ?? DEFAULT_ZSTD_LEVEL,
      consoleVersion: o.consoleVersion ?? CONSOLE_VERSION,
      sourceName: o.sourceName ?? core.source.name,
    };
    this.asm = new ChunkAssembler(this.o.zstdLevel);
    this.writer = new CoreRecordWriter(core, this.asm, this.now, this.o, () => this.closeChunk());
    this.ring = this.o.flightWindowMs > 0 ? new FlightRing(this.o.flightWindowMs) : null;
  }

  /** Starts recording a core (loads the wasm compressor first). The flight recorder runs from here on. */
  static async attach(core: ConsoleCore, o: RecorderOptions = {}): Promise<Recorder> {
    await loadCompression();
    const r = new Recorder(core, o);
    await r.start();
    return r;
  }

  private async start(): Promise<void> {
    // What the console already knows goes first, so a recording started mid-run replays from a complete state.
    await this.writer.seedInventory();
    this.writer.beginKeyChunk(true);
    const clock = this.clock;
    this.untap = tapCore(this.core, this.timedListener(), (err) => this.noteError(err), clock ? (fn) => clock.hold(fn) : undefined);
    this.timer = setInterval(() => this.flush(), this.o.chunkEveryMs);
    this.timer.unref();
  }

  /** The writer's tap methods, each timed into `busyMs`. */
  private timedListener(): CoreTapListener {
    const w = this.writer;
    return {
      targets: (t) => this.timed(() => w.targets(t)),
      inventory: (s) => this.timed(() => w.inventory(s)),
      streamStatus: (node, s) => this.timed(() => w.streamStatus(node, s)),
      streamEvent: (node, e) => this.timed(() => w.streamEvent(node, e)),
      scrape: (node, o) => this.timed(() => w.scrape(node, o)),
      tick: () => this.timed(() => w.tick()),
      afterTick: () => this.timed(() => w.afterTick()),
      timeline: (e) => this.timed(() => w.timeline(e)),
    };
  }

  private timed(fn: () => void): void {
    const t = performance.now();
    try {
      fn();
    } finally {
      this.busy += performance.now() - t;
    }
  }

  private noteError(err: unknown): void {
    this.errors++;
    this.lastError = err instanceof Error ? err.message : String(err);
  }

  /**
   * Closes the current chunk now (it is closed every `chunkEveryMs` anyway): compresses
   * it and hands it to the flight ring and the file.
   */
  flush(): void {
    this.timed(() => this.closeChunk());
  }

  private closeChunk(forceKey = false, withTimeline = false): void {
    const blob = this.asm.finish();
    if (blob) this.deliver(blob);
    if (forceKey || this.writer.keyDue()) this.writer.beginKeyChunk(withTimeline);
  }

  private deliver(blob: ChunkBlob): void {
    this.ring?.push(blob);
    const s = this.session;
    if (!s) return;
    const state = s.write(blob, (id) => this.writer.record(id));
    if (state !== 'open') this.endSession();
  }

  private endSession(): void {
    const s = this.session;
    if (!s) return;
    s.close();
    this.lastSession = s.status();
    this.session = null;
    this.emit();
  }

  /**
   * Starts writing a named recording to `file` (a new file: never overwrites). It begins
   * with a key chunk holding the current state and the timeline so far.
   */
  startRecording(file: string, o: { maxBytes?: number } = {}): Result<RecordingStatus> {
    if (this.session) return { ok: false, code: 'unavailable', message: `already recording to ${this.session.file}` };
    const t = performance.now();
    try {
      const session = RecordingSession.create(file, {
        maxBytes: o.maxBytes,
        consoleVersion: this.o.consoleVersion,
        sourceName: this.o.sourceName,
        sourceKind: this.core.source.kind,
        keyframeEveryMs: this.o.keyframeEveryMs,
        scrapeIntervalMs: this.core.ingest.scrapeIntervalMs,
        startMs: this.now(),
        flight: false,
      });
      if (!session.ok) return session;
      // Everything so far goes to the ring; the file starts at a fresh key chunk.
      this.closeChunk(true, true);
      this.session = session.value;
      this.lastSession = null;
      this.emit();
      return { ok: true, value: session.value.status() };
    } finally {
      this.busy += performance.now() - t;
    }
  }

  /** Ends the named recording: the last chunk is written and the file closed with its index. */
  stopRecording(): RecordingStatus | null {
    const t = performance.now();
    try {
      if (this.session) {
        const blob = this.asm.finish();
        if (blob) this.deliver(blob);
        this.endSession();
      }
      return this.lastSession;
    } finally {
      this.busy += performance.now() - t;
    }
  }

  /** Writes the flight recorder's window (up to now) to a new file: "save the last 30 minutes". */
  saveFlight(file: string): Result<{ file: string; bytes: number; fromMs: number; toMs: number; chunks: number }> {
    if (!this.ring) return { ok: false, code: 'unavailable', message: 'the flight recorder is off (flightWindowMs is 0)' };
    const t = performance.now();
    try {
      this.closeChunk();
      const chunks = this.ring.snapshot();
      if (chunks.length === 0) return { ok: false, code: 'unavailable', message: 'the flight recorder holds nothing yet' };
      const session = RecordingSession.create(file, {
        consoleVersion: this.o.consoleVersion,
        sourceName: this.o.sourceName,
        sourceKind: this.core.source.kind,
        keyframeEveryMs: this.o.keyframeEveryMs,
        scrapeIntervalMs: this.core.ingest.scrapeIntervalMs,
        startMs: chunks[0].startMs,
        flight: true,
      });
      if (!session.ok) return session;
      const s = session.value;
      for (const blob of chunks) if (s.write(blob, (id) => this.writer.record(id)) !== 'open') break;
      s.close();
      const st = s.status();
      if (st.state === 'failed') return { ok: false, code: 'internal', message: `${basename(file)}: ${st.error}` };
      return { ok: true, value: { file, bytes: st.bytes, fromMs: st.fromMs ?? chunks[0].startMs, toMs: st.toMs ?? chunks.at(-1)!.endMs, chunks: st.chunks } };
    } finally {
      this.busy += performance.now() - t;
    }
  }

  status(): RecorderStatus {
    const r = this.ring;
    return {
      flight: r ? { windowMs: r.windowMs, chunks: r.count, bytes: r.bytes, fromMs: r.fromMs, toMs: r.toMs } : null,
      recording: this.session ? this.session.status() : this.lastSession,
      errors: this.errors,
      lastError: this.lastError,
      busyMs: this.busy,
    };
  }

  /** Called when a recording starts or ends (stopped, capped, failed). */
  onStatus(fn: (s: RecorderStatus) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(): void {
    const s = this.status();
    for (const fn of this.listeners) {
      try {
        fn(s);
      } catch {
        // a listener's failure is its own
      }
    }
  }

  /** Stops recording: ends a named recording, removes the tap. The flight ring is dropped. */
  detach(): void {
    clearInterval(this.timer);
    this.stopRecording();
    this.untap?.();
    this.untap = null;
  }
}
