// @vitest-environment jsdom
import { createElement } from 'react';
import { act, cleanup, configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../../../../src/shared/api';
import type { RecordingFileInfo } from '../../../../src/shared/replay';
import { Console } from '../../../../src/renderer/src/Console';
import { createLiveStore } from '../../../../src/renderer/src/features/live';
import type { LiveStore } from '../../../../src/renderer/src/features/live';
import { recordingUi } from '../../../../src/renderer/src/features/recording';
import { openStore, RecordingFilesProvider } from '../../../../src/renderer/src/features/replay';
import type { RecordingFiles, UploadedRecording } from '../../../../src/renderer/src/features/replay';
import { fakeLayout, MemoryApi, renderWith } from '../../helpers/renderConsole';
import { liveFrame, recorder, replayFrame, START, status } from './fixtures';

// Two cores shared with other test runs: give renders and requests time (waits end as soon as they can).
configure({ asyncUtilTimeout: 5000 });

let store: LiveStore;
let api: MemoryApi;
let restoreLayout: () => void;

const FILES: RecordingFileInfo[] = [
  { name: 'flight-20240501T101200Z.mcap', bytes: 2_345_678, modifiedAt: START + 12 * 60_000 },
  { name: 'incident.mcap', bytes: 812, modifiedAt: START },
];

beforeEach(() => {
  store = createLiveStore();
  store.getState().setLink({ state: 'open', since: 0 });
  api = new MemoryApi();
  api.answers.listRecordings = () => ({ ok: true, value: FILES });
  api.answers.openRecording = () => ({ ok: true, value: status() });
  restoreLayout = fakeLayout();
  recordingUi.setState({ drawer: false, notice: null });
  openStore.getState().set({ phase: 'idle' });
});
afterEach(() => {
  cleanup();
  restoreLayout();
});

const calls = (op: string) => api.calls.filter((c) => c.op === op).map((c) => c.arg);

function renderLive(files?: RecordingFiles, f = liveFrame()) {
  act(() => store.getState().applyFrame(f));
  const ui = files ? createElement(RecordingFilesProvider, { value: files }, createElement(Console)) : createElement(Console);
  return renderWith(ui, store, api);
}

function mcapFile(name: string, size = 4096): File {
  const bytes = new Uint8Array(size);
  bytes.set([0x89, 0x4d, 0x43, 0x41, 0x50, 0x30, 0x0d, 0x0a]);
  return new File([bytes], name, { type: 'application/octet-stream' });
}

describe('recording controls (live)', () => {
  it('"Save last 30 min" saves the flight recorder and names the file, its size and span, with a way to open it', async () => {
    api.answers.saveFlightRecording = () => ({ ok: true, value: { name: 'flight-20240501T101200Z.mcap', bytes: 2_345_678, fromMs: START, toMs: START + 12 * 60_000 } });
    renderLive();
    const save = screen.getByTestId('save-flight');
    expect(save.textContent!.trim()).toBe('Save last 30 min');
    expect(save.getAttribute('title')).toContain('keeps the last 30 min in memory (2.35 MB now)');
    fireEvent.click(save);
    const notice = await screen.findByTestId('recording-notice');
    expect(calls('saveFlightRecording')).toEqual([{}]);
    expect(notice.textContent).toContain('Saved the flight recording as flight-20240501T101200Z.mcap (2.35 MB,');
    fireEvent.click(within(notice).getByRole('button', { name: /Open it/ }));
    await waitFor(() => expect(calls('openRecording')).toEqual([{ name: 'flight-20240501T101200Z.mcap' }]));
    await waitFor(() => expect(screen.queryByTestId('recording-notice')).toBeNull());
  });

  it('a failed save says why', async () => {
    api.answers.saveFlightRecording = () => ({ ok: false, code: 'unavailable', message: 'cannot write /data/recordings: ENOSPC' });
    renderLive();
    fireEvent.click(screen.getByTestId('save-flight'));
    const notice = await screen.findByTestId('recording-notice');
    expect(notice.getAttribute('role')).toBe('alert');
    expect(notice.textContent).toContain('The flight recording was not saved: cannot write /data/recordings: ENOSPC');
  });

  it('Record starts a named recording; while it runs: REC, its name and live size, and Stop', async () => {
    api.answers.startRecording = () => ({ ok: true, value: recorder() });
    api.answers.stopRecording = () => ({ ok: true, value: { name: 'session-20240501T100000Z.mcap', bytes: 1_500_000, fromMs: START, toMs: START + 60_000 } });
    renderLive();
    fireEvent.click(screen.getByTestId('start-recording'));
    await waitFor(() => expect(calls('startRecording')).toEqual([{}]));
    const running = { file: '/data/recordings/session-20240501T100000Z.mcap', state: 'recording' as const, error: null, bytes: 1_200_000, chunks: 60, fromMs: START, toMs: START + 60_000 };
    act(() => store.getState().applyFrame(liveFrame(recorder({ recording: running }))));
    expect(screen.getByTestId('recording-status').textContent).toBe('REC session-20240501T100000Z.mcap · 1.20 MB');
    act(() => store.getState().applyFrame(liveFrame(recorder({ recording: { ...running, bytes: 1_500_000 } }))));
    expect(screen.getByTestId('recording-status').textContent).toContain('1.50 MB');
    expect(screen.queryByTestId('start-recording')).toBeNull();
    fireEvent.click(screen.getByTestId('stop-recording'));
    expect((await screen.findByTestId('recording-notice')).textContent).toContain('Recording saved as session-20240501T100000Z.mcap (1.50 MB,');
  });

  it('a recording that stopped by itself (size cap, disk full) says so plainly', () => {
    renderLive(undefined, liveFrame(recorder({ recording: { file: '/data/recordings/big.mcap', state: 'capped', error: 'the size cap (100 MB) was reached', bytes: 99_000_000, chunks: 900, fromMs: START, toMs: START + 3_600_000 } })));
    const st = screen.getByTestId('recording-status');
    expect(st.getAttribute('role')).toBe('alert');
    expect(st.textContent!.trim()).toBe('Recording stopped at its size cap: the size cap (100 MB) was reached');
    expect(screen.getByTestId('start-recording')).toBeTruthy();
    cleanup();
    renderLive(undefined, liveFrame(recorder({ recording: { file: '/data/recordings/big.mcap', state: 'failed', error: 'ENOSPC: no space left on device', bytes: 5_000, chunks: 3, fromMs: START, toMs: START + 3000 } })));
    expect(screen.getByTestId('recording-status').textContent!.trim()).toBe('Recording stopped: ENOSPC: no space left on device');
  });

  it('the recordings panel: the folder with sizes and Open buttons; a named recording started from it', async () => {
    api.answers.startRecording = () => ({ ok: true, value: recorder() });
    renderLive();
    fireEvent.click(screen.getByTestId('recordings-button'));
    const drawer = screen.getByTestId('recordings-drawer');
    const rows = await within(drawer).findAllByRole('row');
    expect(rows.map((r) => r.getAttribute('data-recording'))).toEqual([null, 'flight-20240501T101200Z.mcap', 'incident.mcap']);
    expect(rows[1].textContent).toContain('2.35 MB');
    expect(rows[2].textContent).toContain('812 B');
    expect(drawer.textContent).toContain('Holding 12 min now (2.35 MB)');
    fireEvent.change(within(drawer).getByLabelText('Recording name'), { target: { value: 'before-the-rollout' } });
    fireEvent.click(within(drawer).getByRole('button', { name: /Start recording/ }));
    await waitFor(() => expect(calls('startRecording')).toEqual([{ name: 'before-the-rollout' }]));
    fireEvent.click(within(drawer).getByRole('button', { name: 'Open incident.mcap' }));
    await waitFor(() => expect(calls('openRecording')).toEqual([{ name: 'incident.mcap' }]));
    // Opened: the panel closes.
    await waitFor(() => expect(screen.queryByTestId('recordings-drawer')).toBeNull());
  });

  it('the panel says why the folder cannot be listed; Escape closes it', async () => {
    api.answers.listRecordings = () => ({ ok: false, code: 'unavailable', message: 'no recordings folder configured' });
    renderLive();
    fireEvent.click(screen.getByTestId('recordings-button'));
    expect(await screen.findByText('The recordings folder cannot be listed: no recordings folder configured')).toBeTruthy();
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.queryByTestId('recordings-drawer')).toBeNull();
  });

  it('during a replay: no save or record buttons; the recordings panel still opens another recording', async () => {
    act(() => store.getState().applyFrame(replayFrame()));
    renderWith(createElement(Console), store, api);
    expect(screen.queryByTestId('save-flight')).toBeNull();
    expect(screen.queryByTestId('start-recording')).toBeNull();
    fireEvent.click(screen.getByTestId('recordings-button'));
    const drawer = screen.getByTestId('recordings-drawer');
    await within(drawer).findAllByRole('row');
    expect(within(drawer).queryByText('Record the live fleet')).toBeNull();
    // The open one is marked, not offered again.
    expect(within(drawer).getByRole('row', { name: /incident\.mcap/ }).textContent).toContain('open now');
    expect(within(drawer).getByRole('button', { name: 'Open flight-20240501T101200Z.mcap' })).toBeTruthy();
  });
});

describe('opening a file', () => {
  function uploader(answer: (name: string) => Result<UploadedRecording>) {
    const uploads: { name: string; size: number }[] = [];
    let progress: ((sent: number, total: number) => void) | null = null;
    let finish: (() => void) | null = null;
    const files: RecordingFiles = {
      kind: 'upload',
      upload: (file, name, onProgress) => {
        uploads.push({ name, size: file.size });
        progress = onProgress;
        return new Promise((resolve) => (finish = () => resolve(answer(name))));
      },
    };
    return { files, uploads, progress: (s: number, t: number) => act(() => progress!(s, t)), finish: () => act(() => finish!()) };
  }

  it('a browser uploads the picked file with progress, under a free name, then opens it by name', async () => {
    const up = uploader((name) => ({ ok: true, value: { name, bytes: 4096 } }));
    renderLive(up.files);
    fireEvent.click(screen.getByTestId('recordings-button'));
    const input = screen.getByTestId('open-file-input') as HTMLInputElement;
    expect(input.accept).toBe('.mcap');
    // The folder already has incident.mcap: the upload takes the next free name.
    fireEvent.change(input, { target: { files: [mcapFile('incident.mcap')] } });
    await waitFor(() => expect(up.uploads).toEqual([{ name: 'incident-2.mcap', size: 4096 }]));
    up.progress(1024, 4096);
    const progress = screen.getByTestId('open-progress');
    expect(progress.textContent).toContain('Uploading incident.mcap 1.02 kB of 4.10 kB (25%)');
    expect(within(progress).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('25');
    up.finish();
    await waitFor(() => expect(calls('openRecording')).toEqual([{ name: 'incident-2.mcap' }]));
    await waitFor(() => expect(screen.queryByTestId('open-progress')).toBeNull());
  });

  it('a file that is not a recording is refused before any upload, naming it; a refused upload or open says why', async () => {
    const up = uploader(() => ({ ok: false, code: 'forbidden', message: 'the console refused the upload: missing or wrong session token' }));
    renderLive(up.files);
    fireEvent.click(screen.getByTestId('recordings-button'));
    const input = screen.getByTestId('open-file-input');
    fireEvent.change(input, { target: { files: [new File(['my notes'], 'notes.txt')] } });
    const err = await screen.findByTestId('open-error');
    expect(err.textContent).toContain('Could not open notes.txt. notes.txt is not an MCAP recording');
    fireEvent.change(input, { target: { files: [new File([], 'empty.mcap')] } });
    await waitFor(() => expect(screen.getByTestId('open-error').textContent).toContain('empty.mcap is empty (0 bytes): not a recording'));
    expect(up.uploads).toEqual([]);

    fireEvent.change(input, { target: { files: [mcapFile('real.mcap')] } });
    await waitFor(() => expect(up.uploads).toHaveLength(1));
    up.finish();
    await waitFor(() => expect(screen.getByTestId('open-error').textContent).toContain('the console refused the upload: missing or wrong session token'));
    expect(calls('openRecording')).toEqual([]);

    const ok = uploader((name) => ({ ok: true, value: { name, bytes: 4096 } }));
    cleanup();
    api.answers.openRecording = () => ({ ok: false, code: 'invalid', message: 'cut.mcap holds no complete chunk: nothing to replay' });
    renderLive(ok.files);
    // The panel is still open (it closes only when a recording opens).
    expect(screen.getByTestId('recordings-drawer')).toBeTruthy();
    fireEvent.change(screen.getByTestId('open-file-input'), { target: { files: [mcapFile('cut.mcap')] } });
    await waitFor(() => expect(ok.uploads).toHaveLength(1));
    ok.finish();
    await waitFor(() => expect(screen.getByTestId('open-error').textContent).toContain('Could not open cut.mcap. cut.mcap holds no complete chunk: nothing to replay'));
    fireEvent.click(within(screen.getByTestId('open-error')).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('open-error')).toBeNull();
  });

  it('the desktop app opens the file where it is, by its path', async () => {
    const files: RecordingFiles = { kind: 'path', pathForFile: (f) => (f.name === 'made-up.mcap' ? '' : `/home/me/Downloads/${f.name}`) };
    renderLive(files);
    fireEvent.click(screen.getByTestId('recordings-button'));
    fireEvent.change(screen.getByTestId('open-file-input'), { target: { files: [new File(['x'], 'incident.mcap')] } });
    await waitFor(() => expect(calls('openRecording')).toEqual([{ path: '/home/me/Downloads/incident.mcap' }]));
    // Opened: the panel closed. A file the page made itself has no path.
    await waitFor(() => expect(screen.queryByTestId('recordings-drawer')).toBeNull());
    fireEvent.click(screen.getByTestId('recordings-button'));
    fireEvent.change(screen.getByTestId('open-file-input'), { target: { files: [new File(['x'], 'made-up.mcap')] } });
    expect((await screen.findByTestId('open-error')).textContent).toContain('made-up.mcap has no path on disk');
  });

  it('drag and drop anywhere on the window: an overlay says what a drop does; the drop opens the file', async () => {
    const up = uploader((name) => ({ ok: true, value: { name, bytes: 4096 } }));
    renderLive(up.files);
    const file = mcapFile('dropped.mcap');
    const dataTransfer = { types: ['Files'], files: [file], dropEffect: 'none' };
    fireEvent.dragEnter(window, { dataTransfer });
    expect(screen.getByTestId('drop-overlay').textContent).toContain('Drop the recording to replay it');
    fireEvent.dragOver(window, { dataTransfer });
    expect(dataTransfer.dropEffect).toBe('copy');
    fireEvent.drop(window, { dataTransfer });
    expect(screen.queryByTestId('drop-overlay')).toBeNull();
    await waitFor(() => expect(up.uploads).toEqual([{ name: 'dropped.mcap', size: 4096 }]));
    // Progress shows under the top bar when the panel is closed.
    up.progress(4096, 4096);
    expect(screen.getByTestId('open-progress').textContent).toContain('(100%)');
    up.finish();
    await waitFor(() => expect(calls('openRecording')).toEqual([{ name: 'dropped.mcap' }]));
    // Dragging something that is not a file (text) does nothing.
    fireEvent.dragEnter(window, { dataTransfer: { types: ['text/plain'], files: [] } });
    expect(screen.queryByTestId('drop-overlay')).toBeNull();
  });
});
