import type { ActionRecord, ActionsPage, AuditPage, AuditQuery, CommandsState, RolloutControl, RolloutPlan, RolloutPreview, StartRolloutRequest } from '../../shared/actions';
import { actionConfirmText, rolloutConfirmText } from '../../shared/actions';
import type { ConsoleApi, DataApi, FocusRequest, InventoryInfo, LiveFrame, Result, SeriesRequest, SeriesWindow, SessionState, TimelineEvent, TimelineQuery } from '../../shared/api';
import type { Bookmark, BookmarkEdit, OpenRecordingRequest, PlaybackCommand, PlaybackStatus, RecorderStatus, RecordingFileInfo, ReplayMarks, SaveRecordingRequest, SavedRecording } from '../../shared/replay';
import type { ConsoleCore } from '../core';
import type { CommandService } from '../core/commands';
import { queryAudit } from '../core/commands/auditQuery';
import type { Recorder } from '../core/recording';
import { ReplayConsole, ReplaySource } from '../core/sources/replay';
import { RecordingsFolder } from './recordingsFolder';

export interface SessionOptions {
  /** The live console's core (an empty one when there is no fleet). */
  live: ConsoleCore;
  /** Fleet actions; null where there are none (no fleet, or no place for the audit log). */
  commands?: CommandService | null;
  /** The flight recorder on the live core. */
  recorder?: Recorder | null;
  /** Where recordings are saved, uploaded and listed; null = nowhere (recording ops unavailable). */
  recordingsDir?: string | null;
  /** Recordings may be opened by path (the desktop app: file picker, drag and drop). Serve mode: names in the folder only. */
  allowPaths?: boolean;
  /** The nodes on screen (hybrid sources stream their events); absent = nothing to do. */
  focus?: (nodes: string[]) => void;
}

const ACTIONS_IN_FRAME = 20;
const RECENT_MS = 10 * 60_000;
const STEPS_IN_FRAME = 20;
/** Session-only changes (an action step, a speed change) re-send the last frame at most this often. */
const RESEND_MS = 100;

type Brief = CommandsState['actions'][number];

const fail = (code: 'unavailable' | 'forbidden' | 'invalid' | 'not_found', message: string): { ok: false; code: typeof code; message: string } => ({ ok: false, code, message });

/**
 * One console session: the data of the live fleet or of an open recording, fleet actions,
 * the recorder, and replay controls, behind the whole {@link ConsoleApi}. The shell (IPC)
 * and serve mode (WebSocket bridge) each expose one session. Opening a recording switches
 * every view to it (a clear replay state; actions refused); closing it returns to live.
 */
export class ConsoleSession implements ConsoleApi {
  private replay: { source: ReplaySource; api: ReplayConsole; name: string; revision: number; off: () => void } | null = null;
  private readonly subscribers = new Set<(f: LiveFrame) => void>();
  private unsubscribeData: (() => void) | null = null;
  private lastFrame: LiveFrame | null = null;
  private resendTimer: NodeJS.Timeout | undefined;
  private lastSent = 0;
  private readonly briefs = new Map<string, Brief>();
  private rolloutPlan: RolloutPlan | null = null;
  private revision = 0;
  private readonly offCommands: (() => void) | null;
  private readonly offRecorder: (() => void) | null;
  private readonly folder: RecordingsFolder | null;

  constructor(private readonly o: SessionOptions) {
    this.folder = o.recordingsDir ? new RecordingsFolder(o.recordingsDir) : null;
    const c = o.commands ?? null;
    this.rolloutPlan = c?.rollout() ?? null;
    this.offCommands = c
      ? c.onUpdate((u) => {
          this.revision++;
          if (u.type === 'action') {
            if (u.action.state !== 'previewed') this.briefs.set(u.action.id, brief(u.action));
          } else this.rolloutPlan = u.rollout;
          this.resend();
        })
      : null;
    this.offRecorder = o.recorder ? o.recorder.onStatus(() => this.resend()) : null;
  }

  // ---- data (live or the open recording) ----

  private data(): DataApi {
    return this.replay?.api ?? this.o.live;
  }

  getSeries(req: SeriesRequest): Promise<Result<SeriesWindow>> {
    return this.data().getSeries(req);
  }

  getTimeline(q: TimelineQuery): Promise<Result<TimelineEvent[]>> {
    return this.data().getTimeline(q);
  }

  getInventory(): Promise<Result<InventoryInfo>> {
    return this.data().getInventory();
  }

  onFrame(fn: (frame: LiveFrame) => void): () => void {
    this.subscribers.add(fn);
    if (this.subscribers.size === 1) this.follow();
    return () => {
      this.subscribers.delete(fn);
      if (this.subscribers.size === 0) {
        this.unsubscribeData?.();
        this.unsubscribeData = null;
      }
    };
  }

  /** (Re)subscribes to the current data source's frames. */
  private follow(): void {
    this.unsubscribeData?.();
    this.unsubscribeData = null;
    this.lastFrame = null;
    if (this.subscribers.size === 0) return;
    this.unsubscribeData = this.data().onFrame((f) => {
      this.lastFrame = f;
      this.send(f);
    });
  }

  private send(f: LiveFrame): void {
    this.lastSent = Date.now();
    const frame: LiveFrame = { ...f, session: this.state(f) };
    for (const fn of [...this.subscribers]) fn(frame);
  }

  /** The session changed without the data changing: the last frame goes again with the new state (≤ 10 Hz). */
  private resend(): void {
    if (this.resendTimer || !this.lastFrame) return;
    const wait = Math.max(0, RESEND_MS - (Date.now() - this.lastSent));
    this.resendTimer = setTimeout(() => {
      this.resendTimer = undefined;
      if (this.lastFrame) this.send(this.lastFrame);
    }, wait);
    this.resendTimer.unref();
  }

  /** The session part of a frame. */
  state(f?: LiveFrame): SessionState {
    const r = this.replay;
    const mode = r ? 'replay' : (f?.source.kind ?? this.o.live.source.kind) === 'live' ? 'live' : 'none';
    return {
      mode,
      commands: this.o.commands ? this.commandsState() : null,
      recorder: this.o.recorder?.status() ?? null,
      replay: r ? { name: r.name, status: r.source.status(), revision: r.revision } : null,
    };
  }

  private commandsState(): CommandsState {
    const now = Date.now();
    for (const [id, b] of this.briefs) if (b.finishedAt !== null && now - b.finishedAt > RECENT_MS) this.briefs.delete(id);
    const actions = [...this.briefs.values()].sort((a, b) => b.startedAt - a.startedAt).slice(0, ACTIONS_IN_FRAME);
    const p = this.rolloutPlan;
    return {
      revision: this.revision,
      actions,
      rollout: p ? { ...p, steps: p.steps.slice(-STEPS_IN_FRAME) } : null,
      disabled: this.actionsDisabled(),
    };
  }

  private actionsDisabled(): string | null {
    if (this.replay) return `replaying ${this.replay.name}: actions are disabled (close the recording to act on the live fleet)`;
    if (!this.o.commands) return 'no fleet to act on';
    return null;
  }

  // ---- fleet actions ----

  /** The command service, or why actions cannot be taken now. */
  private commands(): Result<CommandService> {
    const c = this.o.commands;
    if (this.replay) return fail('forbidden', this.actionsDisabled() ?? 'replay');
    if (!c) return fail('unavailable', 'no fleet to act on: actions need a live fleet with admin tokens');
    return { ok: true, value: c };
  }

  async previewAction(req: unknown): Promise<Result<ActionRecord>> {
    const c = this.commands();
    return c.ok ? c.value.preview(req) : c;
  }

  async confirmAction(req: { id: string; confirmText: string }): Promise<Result<ActionRecord>> {
    const c = this.commands();
    if (!c.ok) return c;
    const r = c.value.action(req.id);
    if (!r) return fail('not_found', `no previewed action ${req.id}`);
    const expected = actionConfirmText(r.node);
    if (req.confirmText.trim() !== expected) return fail('invalid', `confirmation: type the node id "${expected}" to ${r.kind} it`);
    return c.value.confirm(req.id);
  }

  async abortAction(req: { id: string; reason: string }): Promise<Result<ActionRecord>> {
    const c = this.commands();
    return c.ok ? c.value.abort(req.id, req.reason) : c;
  }

  async previewRollout(req: unknown): Promise<Result<RolloutPreview>> {
    const c = this.commands();
    return c.ok ? c.value.previewRollout(req) : c;
  }

  async startRollout(req: StartRolloutRequest): Promise<Result<RolloutPlan>> {
    const c = this.commands();
    if (!c.ok) return c;
    const count = req.request.nodes?.length ?? c.value.view().nodes.length;
    const expected = rolloutConfirmText(count);
    if (req.confirmText.trim() !== expected) return fail('invalid', `confirmation: type "${expected}" to restart ${count} node${count === 1 ? '' : 's'}`);
    return c.value.rolloutRestart(req.request);
  }

  async controlRollout(req: RolloutControl): Promise<Result<RolloutPlan>> {
    const c = this.commands();
    if (!c.ok) return c;
    switch (req.op) {
      case 'pause':
        return c.value.pauseRollout(req.reason);
      case 'resume':
        return c.value.resumeRollout(req.reason);
      case 'abort':
        return c.value.abortRollout(req.reason);
      case 'abandon':
        return c.value.abandonRollout(req.reason);
    }
  }

  async getActions(): Promise<Result<ActionsPage>> {
    const c = this.o.commands;
    if (!c) return fail('unavailable', 'no fleet to act on');
    return { ok: true, value: { actions: c.actions().filter((a) => a.state !== 'previewed').reverse(), rollout: c.rollout(), auditFile: c.audit.file } };
  }

  async getAudit(q: AuditQuery): Promise<Result<AuditPage>> {
    const c = this.o.commands;
    if (!c) return fail('unavailable', 'no audit log: actions need a live fleet');
    return queryAudit(c.audit.file, q);
  }

  // ---- recording ----

  private recorder(): Result<{ recorder: Recorder; folder: RecordingsFolder }> {
    if (!this.o.recorder) return fail('unavailable', this.replay ? 'a replay is not recorded' : 'no recorder: recording needs a live fleet');
    if (!this.folder) return fail('unavailable', 'no recordings folder configured');
    return { ok: true, value: { recorder: this.o.recorder, folder: this.folder } };
  }

  async saveFlightRecording(req: SaveRecordingRequest): Promise<Result<SavedRecording>> {
    const r = this.recorder();
    if (!r.ok) return r;
    const target = r.value.folder.newFile(req.name, 'flight');
    if (!target.ok) return target;
    const saved = r.value.recorder.saveFlight(target.value.path);
    if (!saved.ok) return saved;
    return { ok: true, value: { name: target.value.name, bytes: saved.value.bytes, fromMs: saved.value.fromMs, toMs: saved.value.toMs } };
  }

  async startRecording(req: SaveRecordingRequest): Promise<Result<RecorderStatus>> {
    const r = this.recorder();
    if (!r.ok) return r;
    const target = r.value.folder.newFile(req.name, 'session');
    if (!target.ok) return target;
    const started = r.value.recorder.startRecording(target.value.path);
    if (!started.ok) return started;
    this.resend();
    return { ok: true, value: r.value.recorder.status() };
  }

  async stopRecording(): Promise<Result<SavedRecording>> {
    const r = this.recorder();
    if (!r.ok) return r;
    const s = r.value.recorder.stopRecording();
    if (!s) return fail('invalid', 'no recording is running');
    this.resend();
    return { ok: true, value: { name: r.value.folder.nameOf(s.file), bytes: s.bytes, fromMs: s.fromMs, toMs: s.toMs } };
  }

  async listRecordings(): Promise<Result<RecordingFileInfo[]>> {
    if (!this.folder) return fail('unavailable', 'no recordings folder configured');
    return this.folder.list();
  }

  // ---- replay ----

  async openRecording(req: OpenRecordingRequest): Promise<Result<PlaybackStatus>> {
    let file: string;
    if ('path' in req) {
      if (!this.o.allowPaths) return fail('forbidden', 'the browser console opens recordings from its recordings folder: upload the file (or drop it on the window), or run `switchboard replay FILE`');
      const p = RecordingsFolder.checkPath(req.path);
      if (!p.ok) return p;
      file = p.value;
    } else {
      if (!this.folder) return fail('unavailable', 'no recordings folder configured');
      const p = this.folder.existing(req.name);
      if (!p.ok) return p;
      file = p.value;
    }
    const source = await ReplaySource.open(file);
    const status = source.status();
    if (status.state === 'error') {
      source.close();
      return fail('invalid', status.error ?? `${file}: cannot be replayed`);
    }
    this.attachReplay(source);
    return { ok: true, value: source.status() };
  }

  /** Shows a replay source (already open) in this session: `switchboard replay FILE` starts this way. */
  attachReplay(source: ReplaySource): void {
    this.closeReplay();
    const name = source.path.split(/[\\/]/).pop() ?? source.path;
    const entry = { source, api: new ReplayConsole(source), name, revision: 0, off: () => {} };
    entry.off = source.onStatus(() => this.resend());
    this.replay = entry;
    this.follow();
  }

  private closeReplay(): void {
    const r = this.replay;
    if (!r) return;
    this.replay = null;
    r.off();
    r.source.close();
  }

  async closeRecording(): Promise<Result<null>> {
    if (!this.replay) return fail('invalid', 'no recording is open');
    this.closeReplay();
    this.follow();
    return { ok: true, value: null };
  }

  private replaying(): Result<ReplaySource> {
    return this.replay ? { ok: true, value: this.replay.source } : fail('invalid', 'no recording is open: open one first');
  }

  async controlPlayback(cmd: PlaybackCommand): Promise<Result<PlaybackStatus>> {
    const r = this.replaying();
    if (!r.ok) return r;
    const s = r.value;
    let done: Result<unknown>;
    switch (cmd.op) {
      case 'play':
        done = s.play();
        break;
      case 'pause':
        done = s.pause();
        break;
      case 'step':
        done = s.step();
        break;
      case 'speed':
        done = s.setSpeed(cmd.speed);
        break;
      case 'seek':
        done = s.seek(cmd.ts, cmd.exact ? 'exact' : 'before');
        break;
      case 'next':
      case 'previous': {
        const filter = cmd.category ? (m: { category: string }) => m.category === cmd.category : undefined;
        done = cmd.op === 'next' ? s.next(filter) : s.previous(filter);
        break;
      }
    }
    return done.ok ? { ok: true, value: s.status() } : done;
  }

  async getMarks(): Promise<Result<ReplayMarks>> {
    const r = this.replaying();
    if (!r.ok) return r;
    const b = r.value.bookmarks;
    return { ok: true, value: { markers: r.value.markers(), bookmarks: b?.list() ?? [], bookmarksError: b?.error ?? null } };
  }

  async editBookmark(edit: BookmarkEdit): Promise<Result<Bookmark[]>> {
    const r = this.replaying();
    if (!r.ok) return r;
    const b = r.value.bookmarks;
    if (!b) return fail('unavailable', 'this recording has no bookmarks store');
    const done = edit.op === 'add' ? b.add(edit.ts, edit.note) : edit.op === 'update' ? b.update(edit.id, edit.note) : b.remove(edit.id);
    if (!done.ok) return done;
    this.replay!.revision++;
    this.resend();
    return { ok: true, value: b.list() };
  }

  /** Where serve mode stores uploaded recordings (null: uploads are refused). */
  uploads(): RecordingsFolder | null {
    return this.folder;
  }

  // ---- hybrid sources ----

  async setFocus(req: FocusRequest): Promise<Result<null>> {
    this.o.focus?.(req.nodes);
    return { ok: true, value: null };
  }

  /** Ends the session's own parts (the replay, subscriptions); the live console is stopped by whoever started it. */
  close(): void {
    clearTimeout(this.resendTimer);
    this.offCommands?.();
    this.offRecorder?.();
    this.unsubscribeData?.();
    this.unsubscribeData = null;
    this.subscribers.clear();
    this.closeReplay();
  }
}

function brief(a: ActionRecord): Brief {
  const { preview: _preview, ...rest } = a;
  return { ...rest, steps: rest.steps.slice(-STEPS_IN_FRAME) };
}
