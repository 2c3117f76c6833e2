import type { Result, SourceInfo } from '../../../../shared/api';
import type { ConsoleCore } from '../../consoleCore';
import type { ProgressFn } from '../../recording/reader/layout';
import { RecordingFile } from '../../recording/reader/recordingFile';
import { Bookmarks } from './bookmarks';
import { CoreFeeder, ReplayClock } from './coreFeeder';
import { HistoryLoader } from './historyLoader';
import { buildMarkers } from './markers';
import type { Marker } from './markers';
import { planSeek } from './planSeek';
import type { SeekMode } from './planSeek';
import type { ReplayCursor } from './replayCursor';
import { restoreCheckpoint } from './restoreCheckpoint';
import { FRAME_MS, MAX_SPEED, MIN_SPEED, STEP_BUDGET_MS, TRANSITIONS } from './playbackState';
import type { PlaybackState, PlaybackStatus } from './playbackState';

export interface ReplayOptions {
  onProgress?: ProgressFn;
  /** Load the chart history in the background (default true). */
  preload?: boolean;
}

/**
 * A recording as a console source (the Player idea): it opens a recording and feeds a
 * console core through the same Ingest path as live sources, on the replay clock, with
 * play, pause, speed (0.25× to 64×), one-second steps, seeks anywhere (restoring the
 * nearest checkpoint instead of replaying from the start), jumps between timeline events,
 * markers for a scrubber, and bookmarks with notes. A seek replaces the core (`onCore`
 * tells the API binding); `ReplayConsole` is the data API over whichever core is current.
 */
export class ReplaySource {
  state: PlaybackState = 'loading';
  private file: RecordingFile | null = null;
  private feeder: CoreFeeder | null = null;
  private cursor: ReplayCursor | null = null;
  private readonly clock = new ReplayClock();
  private speed = 1;
  private error: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private lastWall = 0;
  private lastNotice = 0;
  private history: HistoryLoader | null = null;
  private markerList: Marker[] = [];
  private bookmarkStore: Bookmarks | null = null;
  private readonly statusListeners = new Set<(s: PlaybackStatus) => void>();
  private readonly coreListeners = new Set<(core: ConsoleCore) => void>();

  private constructor(readonly path: string) {}

  /** Opens a recording; the source comes back `paused` at its start, or in `error` with the reason. Never throws. */
  static async open(path: string, o: ReplayOptions = {}): Promise<ReplaySource> {
    const src = new ReplaySource(path);
    const r = await RecordingFile.open(path, { onProgress: o.onProgress });
    if (!r.ok) {
      src.error = r.message;
      src.transition('error');
      return src;
    }
    const file = r.value;
    src.file = file;
    src.markerList = buildMarkers(file.sparse);
    src.bookmarkStore = Bookmarks.load(path, { startMs: file.startMs, endMs: file.endMs });
    file.onWarning(() => src.notify());
    if (!src.seekTo(file.startMs, 'after')) {
      src.error = `${file.name}: no checkpoint could be read: nothing to replay${file.warnings.length ? ` (${file.warnings[0]})` : ''}`;
      src.transition('error');
      return src;
    }
    src.transition('paused');
    if (o.preload !== false) {
      src.history = new HistoryLoader(file, src.feederOptions(), () => src.notify());
      src.history.start();
    }
    return src;
  }

  /** What the UI shows as the source: a replay that can seek and change speed but not act on nodes. */
  get info(): SourceInfo {
    return { kind: 'replay', name: this.file ? `recording ${this.file.name}` : 'recording', capabilities: { seek: true, speed: true, actions: false } };
  }

  private feederOptions() {
    return { source: this.info, scrapeIntervalMs: Number(this.file?.meta.get('scrapeIntervalMs')) || 5000 };
  }

  /** The core the recording currently feeds (replaced by every seek). */
  get core(): ConsoleCore | null {
    return this.feeder?.core ?? null;
  }

  get recording(): RecordingFile | null {
    return this.file;
  }

  private transition(to: PlaybackState): void {
    if (to === this.state) return;
    if (!TRANSITIONS[this.state].includes(to)) throw new Error(`playback cannot go from ${this.state} to ${to}`);
    this.state = to;
    if (to === 'playing') {
      this.lastWall = performance.now();
      this.timer = setInterval(() => this.advance(), FRAME_MS);
      this.timer.unref();
    } else clearInterval(this.timer);
    this.notify(true);
  }

  private ready(): Result<null> | null {
    if (this.state === 'loading') return { ok: false, code: 'unavailable', message: 'the recording is still loading' };
    if (this.state === 'error') return { ok: false, code: 'unavailable', message: this.error ?? 'the recording could not be opened' };
    return null;
  }

  play(): Result<null> {
    const bad = this.ready();
    if (bad) return bad;
    if (this.state === 'ended') this.seekTo(this.file!.startMs, 'after');
    this.transition('playing');
    return { ok: true, value: null };
  }

  pause(): Result<null> {
    const bad = this.ready();
    if (bad) return bad;
    if (this.state === 'playing') this.transition('paused');
    return { ok: true, value: null };
  }

  setSpeed(x: number): Result<null> {
    if (!Number.isFinite(x) || x < MIN_SPEED || x > MAX_SPEED) return { ok: false, code: 'invalid', message: `speed must be from ${MIN_SPEED} to ${MAX_SPEED}, got ${x}` };
    this.speed = x;
    this.notify(true);
    return { ok: true, value: null };
  }

  /** One second forward, then paused. */
  step(): Result<null> {
    const bad = this.ready();
    if (bad) return bad;
    if (this.state === 'playing') this.transition('paused');
    if (this.state === 'ended') return { ok: true, value: null };
    this.feedUntil(this.clock.ms + 1000, Infinity);
    this.notify(true);
    return { ok: true, value: null };
  }

  /**
   * Seeks to `t` (clamped to the recording). `before` (default) lands on the last
   * checkpoint at or before t (at most a second before it); `after` on the first at or
   * after it, or, when none follows t (the recording's last second), on t itself: it never
   * lands before t (what a jump to an event wants: everything recorded up to t is on the
   * timeline); `exact` lands on the checkpoint before and feeds the recording up to t
   * itself. Wherever it lands, the timeline holds exactly the events recorded up to the
   * clock, as if played from the start. Playing stays playing.
   */
  seek(t: number, mode: SeekMode | 'exact' = 'before'): Result<null> {
    const bad = this.ready();
    if (bad) return bad;
    if (!Number.isFinite(t)) return { ok: false, code: 'invalid', message: `seek target must be a time in ms, got ${t}` };
    const f = this.file!;
    const target = Math.min(Math.max(t, f.startMs), f.endMs);
    // Before the first checkpoint (the recording's very start) there is none at or before
    // the target: the first one after it is where playback can start.
    if (!this.seekTo(target, mode === 'exact' ? 'before' : mode) && !(mode !== 'after' && this.seekTo(target, 'after'))) return { ok: false, code: 'unavailable', message: `no readable checkpoint near ${new Date(target).toISOString()}` };
    // planSeek falls back to the checkpoint before t when none follows it: feed from there up to t.
    if (mode === 'exact' || (mode === 'after' && this.clock.ms < target)) this.feedUntil(target, Infinity);
    if (this.state === 'ended') this.transition('paused');
    this.lastWall = performance.now();
    this.notify(true);
    return { ok: true, value: null };
  }

  /**
   * Jumps to the next timeline event (optionally of some categories): the first one not
   * on the timeline yet, i.e. recorded after the clock. By recorded time, not `ts`: an
   * event dated before the clock but raised after it (a lag breach) is still ahead, so
   * every event is either on the timeline or reachable by `next`.
   */
  next(filter?: (m: Marker) => boolean): Result<Marker | null> {
    let best: Marker | undefined;
    let bestAt = Infinity;
    for (const x of this.markerList) {
      if (filter && !filter(x)) continue;
      const at = x.shownAt;
      if (at > this.clock.ms && at < bestAt) {
        best = x;
        bestAt = at;
      }
    }
    return this.jump(best);
  }

  /** Jumps to the timeline event recorded before the one at the clock (a jump lands within a second after its event). */
  previous(filter?: (m: Marker) => boolean): Result<Marker | null> {
    let best: Marker | undefined;
    let bestAt = -Infinity;
    for (const x of this.markerList) {
      if (filter && !filter(x)) continue;
      const at = x.shownAt;
      if (at < this.clock.ms - 1500 && at >= bestAt) {
        best = x;
        bestAt = at;
      }
    }
    return this.jump(best);
  }

  /**
   * Lands where the event is on the timeline: at its recorded time (never before its `ts`),
   * on the first checkpoint from there (the state that second settled into), or there
   * exactly when no checkpoint follows (see `seek`).
   */
  private jump(m: Marker | undefined): Result<Marker | null> {
    if (!m) return { ok: true, value: null };
    const r = this.seek(m.shownAt, 'after');
    return r.ok ? { ok: true, value: m } : r;
  }

  /** Every timeline event of the recording, for a scrubber (known at open, before playing). */
  markers(): Marker[] {
    return this.markerList;
  }

  get bookmarks(): Bookmarks | null {
    return this.bookmarkStore;
  }

  /** A fresh core restored at the chosen checkpoint, with the cursor right after it. */
  private seekTo(t: number, mode: SeekMode): boolean {
    const f = this.file!;
    const plan = planSeek(f, t, mode);
    if (!plan) return false;
    const feeder = new CoreFeeder(this.clock, this.feederOptions());
    restoreCheckpoint(feeder, f, plan.checkpoint);
    const old = this.feeder;
    this.feeder = feeder;
    this.cursor = plan.cursor;
    this.clock.ms = plan.checkpoint.atMs;
    old?.stop();
    for (const fn of this.coreListeners) fn(feeder.core);
    return true;
  }

  /** Feeds recorded inputs up to `until` (or until `budgetMs` runs out); returns whether it got there. */
  private feedUntil(until: number, budgetMs: number): boolean {
    const cursor = this.cursor!;
    const feeder = this.feeder!;
    const end = performance.now() + budgetMs;
    let n = 0;
    for (;;) {
      const x = cursor.peek();
      if (!x) {
        this.clock.ms = Math.max(this.clock.ms, this.file!.endMs);
        if (this.state !== 'ended') this.transition('ended');
        return true;
      }
      if (x.atMs > until) {
        this.clock.ms = Math.max(this.clock.ms, until);
        feeder.core.publisher.markDirty();
        return true;
      }
      feeder.apply(cursor.next()!);
      if ((++n & 31) === 0 && performance.now() > end) return false;
    }
  }

  private advance(): void {
    const now = performance.now();
    const target = this.clock.ms + (now - this.lastWall) * this.speed;
    this.lastWall = now;
    this.feedUntil(target, STEP_BUDGET_MS);
    this.notify();
  }

  status(): PlaybackStatus {
    const f = this.file;
    return {
      state: this.state,
      clockMs: this.clock.ms,
      startMs: f?.startMs ?? 0,
      endMs: f?.endMs ?? 0,
      speed: this.speed,
      error: this.error,
      warnings: [...(f?.warnings ?? []), ...(this.bookmarkStore?.error ? [this.bookmarkStore.error] : [])],
      preload: this.history ? { loadedUntilMs: this.history.loadedUntilMs, done: this.history.done } : null,
    };
  }

  onStatus(fn: (s: PlaybackStatus) => void): () => void {
    this.statusListeners.add(fn);
    return () => this.statusListeners.delete(fn);
  }

  /** Called with the new core after every seek. */
  onCore(fn: (core: ConsoleCore) => void): () => void {
    this.coreListeners.add(fn);
    return () => this.coreListeners.delete(fn);
  }

  /** Status listeners hear changes at once and playback progress at most four times a second. */
  private notify(now = false): void {
    const t = performance.now();
    if (!now && t - this.lastNotice < 250) return;
    this.lastNotice = t;
    const s = this.status();
    for (const fn of this.statusListeners) {
      try {
        fn(s);
      } catch {
        // a listener's failure is its own
      }
    }
  }

  /** The chart history core when it has loaded up to `untilMs`, else null. */
  historyCore(untilMs: number): ConsoleCore | null {
    const h = this.history;
    return h && (h.done || (h.loadedUntilMs !== null && h.loadedUntilMs >= untilMs)) ? h.core : null;
  }

  /** Resolves when the chart history is loaded (at once when not preloading). */
  preloaded(): Promise<void> {
    return this.history?.whenDone() ?? Promise.resolve();
  }

  /** The active signals as the recorded console had them at the clock (for frames). */
  activeSignals() {
    return this.feeder?.activeEvents() ?? [];
  }

  close(): void {
    clearInterval(this.timer);
    this.history?.stop();
    this.feeder?.stop();
    this.file?.close();
    this.statusListeners.clear();
    this.coreListeners.clear();
  }
}
