import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LiveFrame, Result, SourceInfo } from '../../../src/shared/api';
import { dispatch } from '../../../src/shared/bridge';
import type { PlaybackStatus, ReplayMarks } from '../../../src/shared/replay';
import { ConsoleCore } from '../../../src/main/core/consoleCore';
import { bookmarksPath } from '../../../src/main/core/sources/replay/bookmarks';
import { startServeServer } from '../../../src/main/serve';
import type { ServeServer } from '../../../src/main/serve';
import { ConsoleSession } from '../../../src/main/session/consoleSession';
import { T0, synthRun } from '../core/recording/synthRecording';
import { fakeRenderer } from '../serve/serveFixture';
import { waitFor } from '../../helpers/ports';

/**
 * A real ConsoleSession over real recordings (made by the recorder from a synthetic
 * fleet with a drain and a restart), as the UI drives it: open by name, the REPLAY state
 * in frames, actions refused, playback, seeks, jumps between events, bookmarks, back to
 * live; bad files; uploads through the real serve server.
 */

const dir = mkdtempSync(path.join(tmpdir(), 'sb-replay-session-'));
const recordingsDir = path.join(dir, 'recordings');
const source = path.join(dir, 'incident.mcap');
const LIVE: SourceInfo = { kind: 'live', name: 'test fleet', capabilities: { seek: false, speed: false, actions: true } };
/** When the synthetic fleet's events happen (seconds after T0). */
const DRAIN_AT_S = 10;
const RESTART_AT_S = 20;

const opened: { session: ConsoleSession; core: ConsoleCore }[] = [];
const servers: ServeServer[] = [];

beforeAll(async () => {
  mkdirSync(recordingsDir, { recursive: true });
  const run = await synthRun({
    nodes: 3,
    keyframeEveryMs: 5_000,
    script: (s, r) => {
      if (s === DRAIN_AT_S) r.core.ingest.streamEvent('gw-2', { type: 'lifecycle', bootId: null, data: { ts: r.clock.ms, node: 'gw-2', kind: 'drain_started', detail: { deadlineSeconds: 30 } } });
      if (s === RESTART_AT_S) r.core.ingest.streamEvent('gw-3', { type: 'lifecycle', bootId: null, data: { ts: r.clock.ms, node: 'gw-3', kind: 'restarting', detail: {} } });
    },
  });
  run.recorder.startRecording(source);
  await run.run(40);
  run.recorder.stopRecording();
  run.recorder.detach();
  copyFileSync(source, path.join(recordingsDir, 'incident.mcap'));
});

afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const o of opened.splice(0)) {
    o.session.close();
    o.core.stop();
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A session on a live core that ticks (frames every second), with the recordings folder; frames collected. */
function liveSession(o: { allowPaths?: boolean } = {}): { session: ConsoleSession; core: ConsoleCore; frames: LiveFrame[] } {
  const core = new ConsoleCore({ source: LIVE });
  core.start();
  const session = new ConsoleSession({ live: core, recordingsDir, allowPaths: o.allowPaths ?? false });
  opened.push({ session, core });
  const frames: LiveFrame[] = [];
  session.onFrame((f) => frames.push(f));
  return { session, core, frames };
}

function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.value;
}

/** Waits for a frame that satisfies `pred`, received after `from` frames. */
async function frameWhere(frames: LiveFrame[], pred: (f: LiveFrame) => boolean, what: string, from = 0): Promise<LiveFrame> {
  return waitFor(() => frames.slice(from).find(pred), 10_000, what);
}

describe('replay through the console session', () => {
  it('opens a recording by name: frames say REPLAY, with its name, clock and span; every action is refused as forbidden', async () => {
    const { session, frames } = liveSession();
    await frameWhere(frames, (f) => f.session.mode === 'live', 'a live frame');
    const status = ok(await session.openRecording({ name: 'incident.mcap' }));
    expect(status.state).toBe('paused');
    expect(status.startMs).toBeGreaterThanOrEqual(T0);
    expect(status.startMs).toBeLessThan(T0 + 2000);
    expect(status.endMs).toBeGreaterThan(T0 + 38_000);
    const f = await frameWhere(frames, (x) => x.session.mode === 'replay', 'a replay frame');
    expect(f.source.kind).toBe('replay');
    expect(f.source.capabilities.actions).toBe(false);
    expect(f.session.replay?.name).toBe('incident.mcap');
    expect(f.session.replay?.status.clockMs).toBe(status.clockMs);
    expect(f.nodes.map((n) => n.id)).toEqual(['gw-1', 'gw-2', 'gw-3']);
    // The frame's time is the replay clock, not the wall clock: charts end there.
    expect(Math.abs(f.ts - status.clockMs)).toBeLessThan(1000);

    const refused = [
      await session.previewAction({ kind: 'drain', node: 'gw-1' } as never),
      await session.confirmAction({ id: 'x', confirmText: 'gw-1' }),
      await session.abortAction({ id: 'x', reason: 'test' }),
      await session.previewRollout({} as never),
      await session.startRollout({ request: {}, confirmText: 'fleet 3' } as never),
      await session.controlRollout({ op: 'pause', reason: 'test' } as never),
    ];
    for (const r of refused) {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.code).toBe('forbidden');
        expect(r.message).toMatch(/replaying incident\.mcap: actions are disabled/);
      }
    }
  });

  it('plays, pauses, steps, changes speed (0.25× to 64× only), seeks exactly, and jumps to the next and previous events', async () => {
    const { session, frames } = liveSession();
    const start = ok(await session.openRecording({ name: 'incident.mcap' }));
    const marks = ok(await session.getMarks());
    const kinds = marks.markers.map((m) => `${m.category}:${m.kind}`);
    expect(kinds).toContain('drain:drain_started');
    expect(kinds).toContain('restart:restarting');
    expect(marks.bookmarks).toEqual([]);
    expect(marks.bookmarksError).toBeNull();

    ok(await session.controlPlayback({ op: 'speed', speed: 8 }));
    const playing = ok(await session.controlPlayback({ op: 'play' }));
    expect(playing.state).toBe('playing');
    expect(playing.speed).toBe(8);
    const n = frames.length;
    const moved = await frameWhere(frames, (f) => (f.session.replay?.status.clockMs ?? 0) > start.clockMs + 3000, 'the clock to move at 8×', n);
    expect(moved.session.replay?.status.state).toBe('playing');
    const paused = ok(await session.controlPlayback({ op: 'pause' }));
    expect(paused.state).toBe('paused');

    // Speeds outside 0.25–64 are refused at the boundary (and by the source).
    for (const speed of [0.1, 100]) {
      const r = await dispatch(session, 'controlPlayback', { op: 'speed', speed });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.code).toBe('invalid');
    }
    for (const speed of [0.25, 64]) expect(ok(await session.controlPlayback({ op: 'speed', speed })).speed).toBe(speed);

    const target = T0 + 15_500;
    const sought = ok(await session.controlPlayback({ op: 'seek', ts: target, exact: true }));
    expect(sought.clockMs).toBe(target);
    const stepped = ok(await session.controlPlayback({ op: 'step' }));
    expect(stepped.clockMs).toBe(target + 1000);
    expect(stepped.state).toBe('paused');
    // The frames follow: a new core at the seek, then the step.
    await frameWhere(frames, (f) => f.session.replay?.status.clockMs === target + 1000 && Math.abs(f.ts - (target + 1000)) < 1000, 'a frame at the stepped clock');

    // The very start (before its first checkpoint): lands on the first moment that can play, as the open did.
    for (const exact of [true, false]) expect(ok(await session.controlPlayback({ op: 'seek', ts: start.startMs, exact })).clockMs).toBe(start.clockMs);
    // Next restart from the start, previous event from after it.
    const restart = marks.markers.find((m) => m.kind === 'restarting')!;
    const atRestart = ok(await session.controlPlayback({ op: 'next', category: 'restart' }));
    expect(atRestart.clockMs).toBeGreaterThanOrEqual(restart.ts);
    expect(atRestart.clockMs).toBeLessThan(restart.ts + 2000);
    const drain = marks.markers.find((m) => m.kind === 'drain_started')!;
    const before = ok(await session.controlPlayback({ op: 'previous', category: 'drain' }));
    expect(before.clockMs).toBeGreaterThanOrEqual(drain.ts);
    expect(before.clockMs).toBeLessThan(restart.ts);
    const next = ok(await session.controlPlayback({ op: 'next' }));
    expect(next.clockMs).toBeGreaterThan(before.clockMs);
  });

  it('bookmarks: add at a time with a note, update, remove; each bumps the revision in frames and is saved beside the recording', async () => {
    const { session, frames } = liveSession();
    ok(await session.openRecording({ name: 'incident.mcap' }));
    const sidecar = bookmarksPath(path.join(recordingsDir, 'incident.mcap'));
    rmSync(sidecar, { force: true });
    const rev = () => session.state().replay!.revision;
    expect(rev()).toBe(0);

    const added = ok(await session.editBookmark({ op: 'add', ts: T0 + 12_000, note: 'drain of gw-2 starts here' }));
    expect(added).toHaveLength(1);
    expect(rev()).toBe(1);
    await frameWhere(frames, (f) => f.session.replay?.revision === 1, 'a frame with revision 1');
    const id = added[0].id;
    const m1 = ok(await session.getMarks()) as ReplayMarks;
    expect(m1.bookmarks.map((b) => [b.ts, b.note])).toEqual([[T0 + 12_000, 'drain of gw-2 starts here']]);
    expect(JSON.parse(readFileSync(sidecar, 'utf8')).bookmarks[0].note).toBe('drain of gw-2 starts here');

    const updated = ok(await session.editBookmark({ op: 'update', id, note: 'drain of gw-2; clients move to gw-1' }));
    expect(updated[0].note).toBe('drain of gw-2; clients move to gw-1');
    expect(rev()).toBe(2);
    expect(JSON.parse(readFileSync(sidecar, 'utf8')).bookmarks[0].note).toBe('drain of gw-2; clients move to gw-1');

    // Outside the recording, or an unknown id: refused, revision unchanged.
    const outside = await session.editBookmark({ op: 'add', ts: T0 - 60_000, note: 'before' });
    expect(!outside.ok && outside.code).toBe('invalid');
    const unknown = await session.editBookmark({ op: 'remove', id: 'nope' });
    expect(!unknown.ok && unknown.code).toBe('not_found');
    expect(rev()).toBe(2);

    expect(ok(await session.editBookmark({ op: 'remove', id }))).toEqual([]);
    expect(rev()).toBe(3);
    await frameWhere(frames, (f) => f.session.replay?.revision === 3, 'a frame with revision 3');
    expect(JSON.parse(readFileSync(sidecar, 'utf8')).bookmarks).toEqual([]);

    // Reopened, the bookmarks are read back from the sidecar file.
    ok(await session.editBookmark({ op: 'add', ts: T0 + 30_000, note: 'kept' }));
    ok(await session.closeRecording());
    ok(await session.openRecording({ name: 'incident.mcap' }));
    expect(ok(await session.getMarks()).bookmarks.map((b) => b.note)).toEqual(['kept']);
    rmSync(sidecar, { force: true });
  });

  it('a bookmarks file that cannot be read is reported (bookmarksError) and left alone; adding is refused', async () => {
    const { session } = liveSession();
    const sidecar = bookmarksPath(path.join(recordingsDir, 'incident.mcap'));
    writeFileSync(sidecar, '{"version": 1, "bookmarks": "not a list"');
    try {
      ok(await session.openRecording({ name: 'incident.mcap' }));
      const m = ok(await session.getMarks());
      expect(m.bookmarksError).toMatch(/incident\.mcap\.bookmarks\.json is not valid JSON/);
      const r = await session.editBookmark({ op: 'add', ts: T0 + 5000, note: 'x' });
      expect(!r.ok && r.message).toMatch(/fix or remove the file first/);
      expect(readFileSync(sidecar, 'utf8')).toBe('{"version": 1, "bookmarks": "not a list"');
    } finally {
      rmSync(sidecar, { force: true });
    }
  });

  it('closing the recording goes back to live: frames say live again, playback commands are refused', async () => {
    const { session, frames } = liveSession();
    ok(await session.openRecording({ name: 'incident.mcap' }));
    await frameWhere(frames, (f) => f.session.mode === 'replay', 'a replay frame');
    const n = frames.length;
    ok(await session.closeRecording());
    const live = await frameWhere(frames, (f) => f.session.mode === 'live', 'a live frame after closing', n);
    expect(live.source.kind).toBe('live');
    expect(live.session.replay).toBeNull();
    expect(session.state().mode).toBe('live');
    const r = await session.controlPlayback({ op: 'play' });
    expect(!r.ok && r.code).toBe('invalid');
    const again = await session.closeRecording();
    expect(!again.ok && again.message).toMatch(/no recording is open/);
    expect((await session.getMarks()).ok).toBe(false);
  });

  it('by path: refused where paths are not allowed (serve mode), opened where they are (desktop app)', async () => {
    const served = liveSession({ allowPaths: false });
    const r = await served.session.openRecording({ path: source });
    expect(!r.ok && r.code).toBe('forbidden');
    expect(!r.ok && r.message).toMatch(/upload the file/);
    expect(served.session.state().mode).toBe('live');

    const desktop = liveSession({ allowPaths: true });
    const s = ok(await desktop.session.openRecording({ path: source }));
    expect(s.state).toBe('paused');
    expect(desktop.session.state().replay?.name).toBe('incident.mcap');
    const rel = await desktop.session.openRecording({ path: 'incident.mcap' });
    expect(!rel.ok && rel.message).toMatch(/must be absolute/);
  });

  it('a truncated, an empty and a non-MCAP file: a clear invalid error naming the file; the session stays live', async () => {
    const { session, frames } = liveSession();
    writeFileSync(path.join(recordingsDir, 'notes.mcap'), 'these are my notes, not a recording\n');
    writeFileSync(path.join(recordingsDir, 'empty.mcap'), '');
    copyFileSync(source, path.join(recordingsDir, 'cut-early.mcap'));
    truncateSync(path.join(recordingsDir, 'cut-early.mcap'), 300);
    const cases: [string, RegExp][] = [
      ['notes.mcap', /notes\.mcap is not an MCAP recording/],
      ['empty.mcap', /empty\.mcap is empty \(0 bytes\)/],
      ['cut-early.mcap', /cut-early\.mcap holds no complete chunk: nothing to replay/],
    ];
    for (const [name, message] of cases) {
      const r = await session.openRecording({ name });
      expect(r.ok, name).toBe(false);
      if (r.ok) continue;
      expect(r.code, name).toBe('invalid');
      expect(r.message, name).toMatch(message);
      expect(session.state().mode).toBe('live');
    }
    const missing = await session.openRecording({ name: 'nowhere.mcap' });
    expect(!missing.ok && missing.code).toBe('not_found');
    // A file cut in the middle opens with what it holds, and says what is missing.
    copyFileSync(source, path.join(recordingsDir, 'cut-half.mcap'));
    truncateSync(path.join(recordingsDir, 'cut-half.mcap'), Math.floor(readFileSync(source).length / 2));
    const half = ok(await session.openRecording({ name: 'cut-half.mcap' }));
    expect(half.state).toBe('paused');
    expect(half.warnings.join(' ')).toMatch(/cut-half\.mcap/);
    const n = frames.length;
    await frameWhere(frames, (f) => f.session.mode === 'replay', 'the cut file replaying', n);
    for (const f of ['notes.mcap', 'empty.mcap', 'cut-early.mcap', 'cut-half.mcap']) rmSync(path.join(recordingsDir, f), { force: true });
  });

  it('the flight recorder: saved to the folder by name, listed, opened like any recording', async () => {
    const run = await synthRun({ nodes: 2, flightWindowMs: 20_000, keyframeEveryMs: 2_000 });
    await run.run(25);
    const session = new ConsoleSession({ live: run.core, recorder: run.recorder, recordingsDir, allowPaths: false });
    opened.push({ session, core: run.core });
    const saved = ok(await session.saveFlightRecording({ name: 'flight-test' }));
    expect(saved.name).toBe('flight-test.mcap');
    expect(saved.bytes).toBeGreaterThan(1000);
    expect(saved.toMs! - saved.fromMs!).toBeGreaterThanOrEqual(15_000);
    const again = await session.saveFlightRecording({ name: 'flight-test' });
    expect(!again.ok && again.message).toMatch(/exists already/);
    const bad = await dispatch(session, 'saveFlightRecording', { name: '../escape' });
    expect(!bad.ok && bad.code).toBe('invalid');
    const list = ok(await session.listRecordings());
    expect(list.find((f) => f.name === 'flight-test.mcap')?.bytes).toBe(saved.bytes);
    const st = ok(await session.openRecording({ name: 'flight-test.mcap' }));
    expect(st.startMs).toBe(saved.fromMs);
    ok(await session.closeRecording());
    // A named recording: started, its status in the session state, stopped into the folder.
    ok(await session.startRecording({ name: 'named' }));
    expect(session.state().recorder?.recording?.state).toBe('recording');
    await run.run(3);
    const stopped = ok(await session.stopRecording());
    expect(stopped.name).toBe('named.mcap');
    expect(existsSync(path.join(recordingsDir, 'named.mcap'))).toBe(true);
    // Stopping again (a double click) answers with the same file.
    expect(ok(await session.stopRecording()).name).toBe('named.mcap');
    run.recorder.detach();
    rmSync(path.join(recordingsDir, 'flight-test.mcap'));
    rmSync(path.join(recordingsDir, 'named.mcap'));
  });
});

describe('uploads through the serve server', () => {
  interface Reply {
    status: number;
    body: { ok: boolean; code?: string; message?: string; value?: { name: string; bytes: number } };
  }

  /** POSTs raw bytes; resolves with the answer even if the server closes before reading them all. */
  function post(port: number, target: string, body: Buffer, headers: Record<string, string> = {}): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: target, method: 'POST', headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(body.length), ...headers } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      });
      // A refused upload is answered before its body is read; writing the rest may fail.
      req.on('error', (err) => reject(err));
      req.end(body);
    });
  }

  async function served(maxUploadBytes?: number) {
    const { session, frames } = liveSession();
    const server = await startServeServer({ api: session, uploads: session.uploads(), port: 0, rendererDir: fakeRenderer().rendererDir, ...(maxUploadBytes ? { maxUploadBytes } : {}) });
    servers.push(server);
    return { session, frames, server };
  }

  it('with the token: stored in the recordings folder, then opened by name', async () => {
    const { session, frames, server } = await served();
    const bytes = readFileSync(source);
    const r = await post(server.port, '/api/recordings?name=uploaded-incident.mcap', bytes, { Authorization: `Bearer ${server.token}` });
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(true);
    expect(r.body.value).toMatchObject({ name: 'uploaded-incident.mcap', bytes: bytes.length });
    expect(readFileSync(path.join(recordingsDir, 'uploaded-incident.mcap')).equals(bytes)).toBe(true);
    const st: PlaybackStatus = ok(await session.openRecording({ name: r.body.value!.name }));
    expect(st.state).toBe('paused');
    await frameWhere(frames, (f) => f.session.replay?.name === 'uploaded-incident.mcap', 'the uploaded recording replaying');
    // The same name again is refused (uploads never overwrite).
    const dup = await post(server.port, '/api/recordings?name=uploaded-incident.mcap', bytes, { Authorization: `Bearer ${server.token}` });
    expect(dup.status).toBe(400);
    expect(dup.body.message).toMatch(/exists already/);
    rmSync(path.join(recordingsDir, 'uploaded-incident.mcap'));
  });

  it('refused: without the token (401), too big (413), a bad name (400); nothing is left in the folder', async () => {
    const { server } = await served(64 * 1024);
    const before = ok(await new ConsoleSession({ live: new ConsoleCore(), recordingsDir }).listRecordings()).map((f) => f.name);
    const small = Buffer.from('\x89MCAP0\r\nsmall');
    const noToken = await post(server.port, '/api/recordings?name=a.mcap', small);
    expect(noToken.status).toBe(401);
    const wrongToken = await post(server.port, '/api/recordings?name=a.mcap', small, { Authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(wrongToken.status).toBe(401);
    const big = await post(server.port, '/api/recordings?name=big.mcap', Buffer.alloc(200 * 1024), { Authorization: `Bearer ${server.token}` }).catch((err: NodeJS.ErrnoException) => ({ status: -1, body: { ok: false, message: err.code } }));
    expect(big.status).toBe(413);
    expect(big.body.message).toMatch(/at most 65536 are accepted/);
    for (const name of ['..%2Fescape.mcap', '.hidden.mcap', 'a%20b.mcap', '']) {
      const r = await post(server.port, `/api/recordings?name=${name}`, small, { Authorization: `Bearer ${server.token}` });
      expect(r.status, name).toBe(400);
      expect(r.body.ok).toBe(false);
    }
    const after = ok(await new ConsoleSession({ live: new ConsoleCore(), recordingsDir }).listRecordings()).map((f) => f.name);
    expect(after).toEqual(before);
  });
});
