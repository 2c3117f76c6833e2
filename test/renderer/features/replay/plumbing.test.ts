// @vitest-environment jsdom
import { createElement } from 'react';
import { act, cleanup, configure, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveFrame } from '../../../../src/shared/api';
import { ALWAYS_OPEN } from '../../../../src/renderer/src/bridge';
import { ChartsGrid, replayWindow } from '../../../../src/renderer/src/features/charts';
import { connectLive, createLiveStore, startsOver } from '../../../../src/renderer/src/features/live';
import { notARecording, recordingFilesFor, uploadName, xhrUploads } from '../../../../src/renderer/src/features/replay';
import type { RecordingFiles, XhrLike } from '../../../../src/renderer/src/features/replay';
import { event, frame, node } from '../../helpers/frames';
import { fakeLayout, MemoryApi, openLink, renderWith } from '../../helpers/renderConsole';
import { liveFrame, replayFrame, START } from './fixtures';

// Two cores shared with other test runs: give renders and requests time (waits end as soon as they can).
configure({ asyncUtilTimeout: 5000 });

afterEach(cleanup);

describe('upload names and first bytes', () => {
  it('a file name made safe for the recordings folder, .mcap, never one taken', () => {
    expect(uploadName('incident.mcap', new Set())).toBe('incident.mcap');
    expect(uploadName('incident.mcap', new Set(['incident.mcap', 'incident-2.mcap']))).toBe('incident-3.mcap');
    expect(uploadName('Incident 12 May (gw-2).MCAP', new Set())).toBe('Incident_12_May_gw-2_.mcap');
    expect(uploadName('../../etc/passwd', new Set())).toBe('passwd.mcap');
    expect(uploadName('.hidden', new Set())).toBe('hidden.mcap');
    expect(uploadName('ünïcödé', new Set())).toBe('_n_c_d_.mcap');
    expect(uploadName('...', new Set())).toBe('upload.mcap');
    expect(uploadName('x'.repeat(300), new Set())).toHaveLength(105);
    // Always within the server's naming rule.
    for (const n of ['a b.mcap', '-lead.mcap', '___', 'ok.name.v2.mcap']) expect(uploadName(n, new Set())).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,119}$/);
  });

  it('the MCAP magic tells a recording from any other file, before uploading', async () => {
    expect(await notARecording(new File([new Uint8Array([0x89, 0x4d, 0x43, 0x41, 0x50, 0x30, 0x0d, 0x0a, 1, 2])], 'ok.mcap'))).toBeNull();
    expect(await notARecording(new File(['PK\u0003\u0004zip'], 'archive.mcap'))).toMatch(/^archive\.mcap is not an MCAP recording/);
    expect(await notARecording(new File(['\u0089MC'], 'short.mcap'))).toMatch(/^short\.mcap is not an MCAP recording/);
    expect(await notARecording(new File([], 'empty.mcap'))).toBe('empty.mcap is empty (0 bytes): not a recording');
  });
});

describe('xhrUploads', () => {
  class FakeXhr implements XhrLike {
    static last: FakeXhr;
    method = '';
    url = '';
    headers: Record<string, string> = {};
    body: Blob | null = null;
    status = 0;
    responseText = '';
    upload: XhrLike['upload'] = { onprogress: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    onabort: (() => void) | null = null;
    constructor() {
      FakeXhr.last = this;
    }
    open(method: string, url: string) {
      this.method = method;
      this.url = url;
    }
    setRequestHeader(k: string, v: string) {
      this.headers[k] = v;
    }
    send(body: Blob) {
      this.body = body;
    }
    answer(status: number, body: unknown) {
      this.status = status;
      this.responseText = typeof body === 'string' ? body : JSON.stringify(body);
      this.onload!();
    }
  }
  const files = xhrUploads('http://127.0.0.1:7300', 'TOKEN-abcdefghijklmnop', () => new FakeXhr());
  const upload = (name: string, onProgress = (_s: number, _t: number) => {}) => (files as Extract<RecordingFiles, { kind: 'upload' }>).upload(new Blob(['0123456789']), name, onProgress);

  it('POSTs the raw file to /api/recordings with the name and the session token; reports progress; answers with the stored name', async () => {
    const seen: [number, number][] = [];
    const p = upload('my incident.mcap', (s, t) => seen.push([s, t]));
    const x = FakeXhr.last;
    expect(x.method).toBe('POST');
    expect(x.url).toBe('http://127.0.0.1:7300/api/recordings?name=my%20incident.mcap');
    expect(x.headers).toEqual({ Authorization: 'Bearer TOKEN-abcdefghijklmnop' });
    expect(x.body!.size).toBe(10);
    x.upload.onprogress!({ loaded: 4, total: 10, lengthComputable: true });
    x.upload.onprogress!({ loaded: 10, total: 0, lengthComputable: false });
    expect(seen).toEqual([
      [4, 10],
      [10, 10],
    ]);
    x.answer(200, { ok: true, value: { name: 'my_incident.mcap', bytes: 10 } });
    expect(await p).toEqual({ ok: true, value: { name: 'my_incident.mcap', bytes: 10 } });
  });

  it("the server's refusals as they are: 400 with its message, 401 as forbidden, 413 too big, a non-JSON error, a dropped connection", async () => {
    let p = upload('a.mcap');
    FakeXhr.last.answer(400, { ok: false, code: 'invalid', message: 'a recording named a.mcap exists already: choose another name' });
    expect(await p).toEqual({ ok: false, code: 'invalid', message: 'a recording named a.mcap exists already: choose another name' });
    p = upload('a.mcap');
    FakeXhr.last.answer(401, { ok: false, code: 'forbidden', message: 'missing or wrong session token (Authorization: Bearer <token>)' });
    expect(await p).toEqual({ ok: false, code: 'forbidden', message: 'the console refused the upload: missing or wrong session token (Authorization: Bearer <token>)' });
    p = upload('big.mcap');
    FakeXhr.last.answer(413, { ok: false, code: 'invalid', message: 'the file is 5000000000 bytes; at most 4294967296 are accepted' });
    expect(await p).toMatchObject({ ok: false, message: 'the file is 5000000000 bytes; at most 4294967296 are accepted' });
    p = upload('b.mcap');
    FakeXhr.last.answer(502, '<html>Bad Gateway</html>');
    expect(await p).toEqual({ ok: false, code: 'internal', message: 'upload of b.mcap failed: HTTP 502' });
    p = upload('c.mcap');
    FakeXhr.last.onerror!();
    expect(await p).toMatchObject({ ok: false, code: 'unavailable', message: expect.stringContaining('upload of c.mcap failed: the console closed the connection') });
  });

  it('which way a page hands files over: by path in the desktop app, by upload in serve mode, not at all without a token', () => {
    const up = (origin: string, token: string): RecordingFiles => ({ kind: 'none', why: `${origin} ${token}` });
    expect(recordingFilesFor({ kind: 'electron' }, { pathForFile: () => '/x.mcap' }, up).kind).toBe('path');
    expect(recordingFilesFor({ kind: 'electron' }, undefined, up)).toMatchObject({ kind: 'none' });
    expect(recordingFilesFor({ kind: 'serve', origin: 'http://h:1', token: 'tok' }, undefined, up)).toEqual({ kind: 'none', why: 'http://h:1 tok' });
    expect(recordingFilesFor({ kind: 'no-token' }, undefined, up).kind).toBe('none');
  });
});

describe('switching between live and a recording', () => {
  it('a frame starts a new picture when the session switches source, another recording opens, or a seek replaced the core', () => {
    const live = liveFrame();
    const rep = replayFrame({ seq: 50 });
    expect(startsOver(null, live)).toBe(false);
    expect(startsOver(live, rep)).toBe(true);
    expect(startsOver(rep, { ...live, seq: 1000 })).toBe(true);
    expect(startsOver(rep, replayFrame({ seq: 51, name: 'other.mcap' }))).toBe(true);
    // Playing on: later frames of the same core.
    expect(startsOver(rep, replayFrame({ seq: 51, status: { clockMs: rep.ts + 100 } }))).toBe(false);
    // A re-sent frame (same seq: only the session part changed).
    expect(startsOver(rep, { ...rep, session: { ...rep.session } })).toBe(false);
    // A seek: the new core counts from 1, and its clock may go back.
    expect(startsOver(rep, replayFrame({ seq: 1, status: { clockMs: rep.ts + 60_000 } }))).toBe(true);
    expect(startsOver(rep, replayFrame({ seq: 60, status: { clockMs: rep.ts - 5000 } }))).toBe(true);
  });

  it('events of the live fleet do not mix with the recording’s: the list starts over and the new timeline is fetched; a paused view resumes', async () => {
    const api = new MemoryApi();
    const store = createLiveStore();
    const stop = connectLive(api, openLink, store);
    await waitFor(() => expect(api.timelineQueries).toHaveLength(1));
    api.push({ ...liveFrame(), seq: 100, events: [event(1, { title: 'live event 1' }), event(2, { title: 'live event 2' })] });
    store.getState().pause();
    expect(store.getState().events.map((e) => e.title)).toEqual(['live event 2', 'live event 1']);
    // Id 1 again, in the recording: a different event.
    api.timeline = { ok: true, value: [event(1, { title: 'recorded event 1', ts: START })] };
    api.push({ ...replayFrame({ seq: 1 }), events: [] });
    expect(store.getState().paused).toBe(false);
    expect(store.getState().view?.frame.session.mode).toBe('replay');
    await waitFor(() => expect(store.getState().events.map((e) => e.title)).toEqual(['recorded event 1']));
    expect(api.timelineQueries).toHaveLength(2);
    expect(store.getState().shownEvents.map((e) => e.title)).toEqual(['recorded event 1']);
    stop();
  });

  it('a history answer for the old picture that arrives late is dropped', async () => {
    const api = new MemoryApi();
    const store = createLiveStore();
    let release: (() => void) | null = null;
    const old = [event(7, { title: 'live, late' })];
    api.getTimeline = async (q) => {
      api.timelineQueries.push(q);
      if (api.timelineQueries.length === 1) {
        await new Promise<void>((r) => (release = r));
        return { ok: true, value: old };
      }
      return { ok: true, value: [event(1, { title: 'recorded' })] };
    };
    const stop = connectLive(api, { ...openLink, status: () => ALWAYS_OPEN }, store);
    api.push(liveFrame());
    api.push(replayFrame({ seq: 1 }));
    await waitFor(() => expect(store.getState().events.map((e) => e.title)).toEqual(['recorded']));
    release!();
    await new Promise((r) => setTimeout(r, 20));
    expect(store.getState().events.map((e) => e.title)).toEqual(['recorded']);
    stop();
  });
});

describe('charts during a replay', () => {
  it('their window ends at the replay clock, not at this page’s time, and moves with it', async () => {
    const restore = fakeLayout();
    const rect = HTMLElement.prototype.getBoundingClientRect;
    HTMLElement.prototype.getBoundingClientRect = () => ({ width: 400, height: 168, left: 0, top: 0, right: 400, bottom: 168, x: 0, y: 0, toJSON: () => ({}) }) as DOMRect;
    try {
      const api = new MemoryApi();
      const store = createLiveStore();
      const clock = START + 5 * 60_000;
      act(() => store.getState().applyFrame(replayFrame({ status: { clockMs: clock } })));
      expect(replayWindow(store.getState())).toMatchObject({ endMs: clock });
      renderWith(createElement(ChartsGrid), store, api);
      await waitFor(() => expect(api.seriesRequests.length).toBeGreaterThanOrEqual(4));
      for (const r of api.seriesRequests) {
        expect(r.toMs).toBe(clock);
        expect(r.fromMs).toBe(clock - 5 * 60_000);
      }
      // A seek: the charts ask again, for the window ending at the new clock.
      const n = api.seriesRequests.length;
      act(() => store.getState().applyFrame(replayFrame({ status: { clockMs: clock + 90_000 } })));
      await waitFor(() => expect(api.seriesRequests.length).toBeGreaterThanOrEqual(n + 4));
      expect(api.seriesRequests.slice(n).every((r) => r.toMs === clock + 90_000)).toBe(true);
      // Playing: one refetch per two seconds of wall time at any speed, not per frame.
      act(() => store.getState().applyFrame(replayFrame({ status: { clockMs: clock + 90_000, state: 'playing', speed: 8 } })));
      const key = replayWindow(store.getState())!.key;
      act(() => store.getState().applyFrame(replayFrame({ status: { clockMs: clock + 90_000 + 800 * 8, state: 'playing', speed: 8 } })));
      expect(replayWindow(store.getState())!.key).toBe(key);
      act(() => store.getState().applyFrame(replayFrame({ status: { clockMs: clock + 90_000 + 2100 * 8, state: 'playing', speed: 8 } })));
      expect(replayWindow(store.getState())!.key).not.toBe(key);
      // Live: no replay window.
      act(() => store.getState().applyFrame(frame([node('gw-1')])));
      expect(replayWindow(store.getState())).toBeNull();
    } finally {
      HTMLElement.prototype.getBoundingClientRect = rect;
      restore();
    }
  });
});

// Frames built by the helpers are real LiveFrames.
export type { LiveFrame };
