// @vitest-environment jsdom
import { createElement } from 'react';
import { act, cleanup, configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlaybackCommand } from '../../../../src/shared/replay';
import { Console } from '../../../../src/renderer/src/Console';
import { createLiveStore } from '../../../../src/renderer/src/features/live';
import type { LiveStore } from '../../../../src/renderer/src/features/live';
import { formatClock } from '../../../../src/renderer/src/lib/format';
import { MARKER_LEAD_MS, formatRecordedSpan } from '../../../../src/renderer/src/features/replay';
import { fakeLayout, MemoryApi, renderWith } from '../../helpers/renderConsole';
import { bookmark, END, marker, marks, replayFrame, START, status } from './fixtures';

// Two cores shared with other test runs: give renders and requests time (waits end as soon as they can).
configure({ asyncUtilTimeout: 5000 });

let store: LiveStore;
let api: MemoryApi;
let restoreLayout: () => void;
const realRect = HTMLElement.prototype.getBoundingClientRect;

beforeEach(() => {
  store = createLiveStore();
  store.getState().setLink({ state: 'open', since: 0 });
  api = new MemoryApi();
  api.answers.getMarks = () => ({ ok: true, value: marks() });
  api.answers.controlPlayback = (cmd) => {
    const c = cmd as PlaybackCommand;
    return { ok: true, value: status(c.op === 'seek' ? { clockMs: c.ts } : c.op === 'speed' ? { speed: c.speed } : {}) };
  };
  restoreLayout = fakeLayout();
  // The scrubber's area: 1000 px wide, from x = 100.
  HTMLElement.prototype.getBoundingClientRect = function (this: HTMLElement) {
    if (this.classList.contains('scrub-area') || this.classList.contains('lane')) return { left: 100, width: 1000, top: 0, height: 60, right: 1100, bottom: 60, x: 100, y: 0, toJSON: () => ({}) } as DOMRect;
    return realRect.call(this);
  };
});
afterEach(() => {
  cleanup();
  restoreLayout();
  HTMLElement.prototype.getBoundingClientRect = realRect;
});

const calls = (op: string) => api.calls.filter((c) => c.op === op).map((c) => c.arg);
const seeks = () => calls('controlPlayback').filter((c) => (c as PlaybackCommand).op === 'seek') as Extract<PlaybackCommand, { op: 'seek' }>[];

function show(f = replayFrame()) {
  act(() => store.getState().applyFrame(f));
}

async function renderReplay(f = replayFrame()) {
  show(f);
  renderWith(createElement(Console), store, api);
  await screen.findByRole('group', { name: /^Health: \d+ events?$/ });
}

describe('the REPLAY state', () => {
  it('the top bar turns into the REPLAY band: the word, the name, when it was recorded; live-only controls are gone', async () => {
    api.answers.closeRecording = () => ({ ok: true, value: null });
    await renderReplay();
    const band = screen.getByTestId('replay-banner');
    expect(band.textContent).toContain('REPLAY');
    expect(band.textContent).toContain('incident.mcap');
    expect(band.textContent).toContain(`recorded ${formatRecordedSpan(START, END)}`);
    expect(band.textContent).toContain('Not live');
    expect(document.title).toBe('REPLAY · incident.mcap — Switchboard');
    expect(document.querySelector('.app')!.className).toContain('is-replay');
    expect(document.querySelector('header.topbar')!.className).toContain('is-replay');
    // No live indicator, no recorder buttons; the chart toolbar says whose clock it follows.
    expect(screen.queryByTestId('link-state')).toBeNull();
    expect(screen.queryByTestId('save-flight')).toBeNull();
    expect(screen.queryByTestId('start-recording')).toBeNull();
    expect(screen.queryByText('Live')).toBeNull();
    expect(screen.getByText('Charts follow the replay clock')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Pause$/ })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: /Back to live/ }));
    await waitFor(() => expect(calls('closeRecording')).toHaveLength(1));
  });

  it('a refused "back to live" says why', async () => {
    api.answers.closeRecording = () => ({ ok: false, code: 'invalid', message: 'no recording is open' });
    await renderReplay();
    fireEvent.click(screen.getByRole('button', { name: /Back to live/ }));
    expect((await screen.findByRole('alert')).textContent).toBe('no recording is open');
  });
});

describe('the scrubber', () => {
  it('draws the markers in lanes by category, each with its shape, name and count, and the bookmarks as flags', async () => {
    api.answers.getMarks = () => ({ ok: true, value: marks({ bookmarks: [bookmark('b1', START + 90_000, 'look here')] }) });
    await renderReplay();
    const lanes = [...document.querySelectorAll('.lane')].map((l) => l.getAttribute('data-category'));
    expect(lanes).toEqual(['spike', 'health', 'restart', 'drain']);
    const labels = [...document.querySelectorAll('.scrub-labels .lane-label')].map((l) => l.textContent);
    expect(labels).toEqual(['Spikes 1', 'Health 1', 'Restarts 1', 'Drains 1', 'Time']);
    // Each kind has its own shape.
    const shapes = new Set([...document.querySelectorAll('.lane .mk path')].map((p) => p.getAttribute('d')));
    expect(shapes.size).toBe(4);
    const down = document.querySelector<HTMLElement>('.lane[data-category="health"] .mk')!;
    expect(down.getAttribute('aria-label')).toBe(`Health change (critical): gw-2 down (2) at ${formatClock(START + 60_000)} (gw-2)`);
    expect(down.style.left).toBe('10%');
    expect(down.className).toContain('sev-critical');
    // A spike with its span drawn to its end.
    expect(parseFloat(document.querySelector<HTMLElement>('.lane[data-category="spike"] .mk-span')!.style.width)).toBeCloseTo(((50_000 - 30_000) / 600_000) * 100, 6);
    const flag = document.querySelector<HTMLElement>('.bm-flag')!;
    expect(flag.getAttribute('aria-label')).toBe(`Bookmark at ${formatClock(START + 90_000)}: look here`);
    expect(flag.style.left).toBe('15%');
  });

  it('a marker shows its title in a tooltip (markers drawn on top of each other together), and a click goes to its moment', async () => {
    api.answers.getMarks = () => ({ ok: true, value: marks({ markers: [...marks().markers, { ...marks().markers[1], id: 20, ts: START + 60_500, title: 'gw-3 down' }] }) });
    await renderReplay();
    const [m] = document.querySelectorAll<HTMLElement>('.lane[data-category="health"] .mk');
    fireEvent.focus(m);
    const tip = screen.getByTestId('marker-tooltip');
    expect(tip.textContent).toContain('2 events here');
    expect(tip.textContent).toContain('gw-2 down (2)');
    expect(tip.textContent).toContain('gw-3 down');
    expect(tip.textContent).toContain(`Critical · Health change · ${formatClock(START + 60_000)}`);
    fireEvent.click(m);
    await waitFor(() => expect(seeks()).toEqual([{ op: 'seek', ts: START + 60_000 + MARKER_LEAD_MS, exact: true }]));
  });

  it('a click or a drag on the scrubber seeks to that moment (exactly); the playhead shows it at once', async () => {
    await renderReplay();
    const area = document.querySelector<HTMLElement>('.scrub-area')!;
    fireEvent.pointerDown(area, { clientX: 600, button: 0, pointerId: 1 });
    const half = START + 5 * 60_000;
    expect(screen.getByRole('slider', { name: 'Replay position' }).getAttribute('aria-valuenow')).toBe(String(half));
    expect(screen.getByTestId('playhead').style.left).toBe('50%');
    await waitFor(() => expect(seeks()).toEqual([{ op: 'seek', ts: half, exact: true }]));
    fireEvent.pointerMove(area, { clientX: 850, pointerId: 1 });
    fireEvent.pointerUp(area, { clientX: 850, pointerId: 1 });
    await waitFor(() => expect(seeks().at(-1)).toEqual({ op: 'seek', ts: START + 7.5 * 60_000, exact: true }));
    // Moving without a button pressed shows the time under the pointer, and seeks nothing.
    const n = seeks().length;
    fireEvent.pointerMove(area, { clientX: 200 });
    expect(document.querySelector('.scrub-hover-time')!.textContent).toBe(formatClock(START + 60_000));
    expect(seeks()).toHaveLength(n);
  });

  it('is a slider: its value is the clock, read as a time; arrows step a second (Shift: ten), Page a minute, Home and End', async () => {
    await renderReplay();
    const slider = screen.getByRole('slider', { name: 'Replay position' });
    const clock = START + 60_000;
    expect(slider.getAttribute('aria-valuemin')).toBe(String(START));
    expect(slider.getAttribute('aria-valuemax')).toBe(String(END));
    expect(slider.getAttribute('aria-valuenow')).toBe(String(clock));
    expect(slider.getAttribute('aria-valuetext')).toBe(`${formatClock(clock)}, 1 min 0 s into the recording`);
    const press = async (key: string, shiftKey = false) => {
      fireEvent.keyDown(slider, { key, shiftKey });
      const n = seeks().length;
      await waitFor(() => expect(seeks().length).toBeGreaterThanOrEqual(n));
    };
    await press('ArrowRight');
    await waitFor(() => expect(seeks().at(-1)!.ts).toBe(clock + 1000));
    // Keys pressed quickly add up from where the last one is going, not from the old clock.
    await press('ArrowRight', true);
    await waitFor(() => expect(seeks().at(-1)!.ts).toBe(clock + 11_000));
    await press('PageDown');
    await waitFor(() => expect(seeks().at(-1)!.ts).toBe(clock + 11_000 - 60_000));
    await press('ArrowLeft');
    await waitFor(() => expect(seeks().at(-1)!.ts).toBe(clock - 50_000));
    await press('End');
    await waitFor(() => expect(seeks().at(-1)!.ts).toBe(END));
    await press('Home');
    await waitFor(() => expect(seeks().at(-1)!.ts).toBe(START));
    expect(slider.getAttribute('aria-valuetext')).toBe(`${formatClock(START)}, 0 s into the recording`);
    // Never past the ends.
    await press('PageDown');
    await waitFor(() => expect(seeks().at(-1)!.ts).toBe(START));
  });

  it('follows the clock without re-rendering the markers: only the track and the playhead move', async () => {
    await renderReplay();
    const before = document.querySelector('.lane[data-category="health"] .mk');
    show(replayFrame({ status: { clockMs: START + 120_000, state: 'playing' } }));
    expect(screen.getByTestId('playhead').style.left).toBe('20%');
    expect(screen.getByTestId('replay-clock').textContent).toContain('2:00 / 10:00');
    // The same DOM node: the lanes were not rebuilt for a tick.
    expect(document.querySelector('.lane[data-category="health"] .mk')).toBe(before);
  });

  it('shows how much chart history is loaded while it loads', async () => {
    await renderReplay(replayFrame({ status: { preload: { loadedUntilMs: START + 150_000, done: false } } }));
    expect(screen.getByTestId('preload-progress').textContent).toBe('chart history 25%');
    expect(document.querySelector<HTMLElement>('.scrub-loaded')!.style.width).toBe('25%');
    show(replayFrame({ status: { preload: { loadedUntilMs: END, done: true } } }));
    expect(screen.queryByTestId('preload-progress')).toBeNull();
    expect(document.querySelector('.axis-end')!.textContent).toBe('10:00 recorded');
  });
});

describe('playback controls', () => {
  it('play and pause, step, speed 0.25× to 64×', async () => {
    await renderReplay();
    fireEvent.click(screen.getByTestId('play-pause'));
    await waitFor(() => expect(calls('controlPlayback')).toContainEqual({ op: 'play' }));
    show(replayFrame({ status: { state: 'playing', speed: 4 } }));
    expect(screen.getByTestId('playback-state').textContent).toBe('Playing at 4×');
    expect(screen.getByTestId('play-pause').textContent).toContain('Pause');
    fireEvent.click(screen.getByTestId('play-pause'));
    await waitFor(() => expect(calls('controlPlayback')).toContainEqual({ op: 'pause' }));
    fireEvent.click(screen.getByRole('button', { name: /Step 1 s/ }));
    await waitFor(() => expect(calls('controlPlayback')).toContainEqual({ op: 'step' }));

    const speed = screen.getByRole('combobox', { name: 'Speed' }) as HTMLSelectElement;
    expect([...speed.options].map((o) => o.textContent)).toEqual(['0.25×', '0.5×', '1×', '2×', '4×', '8×', '16×', '32×', '64×']);
    expect(speed.value).toBe('4');
    fireEvent.change(speed, { target: { value: '0.25' } });
    await waitFor(() => expect(calls('controlPlayback')).toContainEqual({ op: 'speed', speed: 0.25 }));
    fireEvent.change(speed, { target: { value: '64' } });
    await waitFor(() => expect(calls('controlPlayback')).toContainEqual({ op: 'speed', speed: 64 }));
  });

  it('ended: "Play again"; loading: controls wait; a refused command is shown', async () => {
    await renderReplay(replayFrame({ status: { state: 'ended', clockMs: END } }));
    expect(screen.getByTestId('play-pause').textContent).toContain('Play again');
    show(replayFrame({ status: { state: 'loading' } }));
    expect((screen.getByTestId('play-pause') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('playback-state').textContent).toBe('Loading…');
    show(replayFrame());
    api.answers.controlPlayback = () => ({ ok: false, code: 'unavailable', message: 'the recording is still loading' });
    fireEvent.click(screen.getByTestId('play-pause'));
    expect((await screen.findByText(/the recording is still loading/)).closest('[role="alert"]')).toBeTruthy();
  });

  it('previous and next event, of all kinds or one; says when there is none', async () => {
    await renderReplay();
    fireEvent.click(screen.getByRole('button', { name: 'Next event' }));
    await waitFor(() => expect(calls('controlPlayback')).toContainEqual({ op: 'next' }));
    const kind = screen.getByRole('combobox', { name: 'Events to jump between' }) as HTMLSelectElement;
    expect([...kind.options].map((o) => o.value)).toEqual(['all', 'spike', 'health', 'restart', 'drain']);
    fireEvent.change(kind, { target: { value: 'drain' } });
    fireEvent.click(screen.getByRole('button', { name: 'Next drain' }));
    await waitFor(() => expect(calls('controlPlayback')).toContainEqual({ op: 'next', category: 'drain' }));
    // The clock (1:00) is after the only spike (0:30) with time to spare, and before nothing else of it.
    fireEvent.change(kind, { target: { value: 'spike' } });
    const before = calls('controlPlayback').length;
    fireEvent.click(screen.getByRole('button', { name: 'Next reconnect spike' }));
    expect(await screen.findByText('No later reconnect spike in this recording.')).toBeTruthy();
    expect(calls('controlPlayback')).toHaveLength(before);
    fireEvent.click(screen.getByRole('button', { name: 'Previous reconnect spike' }));
    await waitFor(() => expect(calls('controlPlayback')).toContainEqual({ op: 'previous', category: 'spike' }));
  });

  it('a signal dated before the clock but raised after it (a lag breach) is still ahead: next jumps, a click on it lands where it is shown', async () => {
    // Dated 0:50 (when the lag began), raised at 1:05; the clock is at 1:00.
    const breach = marker(30, { kind: 'lag_breach', category: 'signal', severity: 'warning', title: 'Pub/sub lag breach', ts: START + 50_000, shownAt: START + 65_000 });
    api.answers.getMarks = () => ({ ok: true, value: marks({ markers: [...marks().markers, breach] }) });
    await renderReplay();
    fireEvent.change(screen.getByRole('combobox', { name: 'Events to jump between' }), { target: { value: 'signal' } });
    fireEvent.click(screen.getByRole('button', { name: /^Next / }));
    await waitFor(() => expect(calls('controlPlayback')).toContainEqual({ op: 'next', category: 'signal' }));
    expect(screen.queryByText(/No later/)).toBeNull();
    fireEvent.click(document.querySelector<HTMLElement>('.lane[data-category="signal"] .mk')!);
    await waitFor(() => expect(seeks()).toEqual([{ op: 'seek', ts: START + 65_000, exact: true }]));
  });

  it('warnings about the file (cut off, corrupted chunks) are shown', async () => {
    await renderReplay(replayFrame({ status: { warnings: ['incident.mcap was cut off inside a record at byte 81234: the rest is missing'] } }));
    expect(document.querySelector('.player-warnings')!.textContent).toContain('incident.mcap was cut off inside a record at byte 81234');
  });
});

describe('bookmarks', () => {
  const notes = () => [...document.querySelectorAll('.bm-note')].map((n) => n.textContent);

  it('add one at the clock with a note; the list is by time; click one to go there', async () => {
    let list = [bookmark('b1', START + 30_000, 'first look')];
    api.answers.getMarks = () => ({ ok: true, value: marks({ bookmarks: list }) });
    api.answers.editBookmark = (e) => {
      const edit = e as { op: 'add'; ts: number; note: string };
      list = [...list, bookmark('b2', edit.ts, edit.note)].sort((a, b) => a.ts - b.ts);
      return { ok: true, value: list };
    };
    await renderReplay();
    fireEvent.click(screen.getByRole('button', { name: /Add bookmark/ }));
    const panel = screen.getByTestId('bookmarks-panel');
    const note = within(panel).getByPlaceholderText('What happened here, what to look at');
    expect(document.activeElement).toBe(note);
    expect(panel.textContent).toContain(`Note at ${formatClock(START + 60_000)} (+1:00)`);
    fireEvent.change(note, { target: { value: '  gw-2 goes down: clients move to gw-1  ' } });
    fireEvent.click(within(panel).getByRole('button', { name: /Add bookmark/ }));
    await waitFor(() => expect(calls('editBookmark')).toEqual([{ op: 'add', ts: START + 60_000, note: 'gw-2 goes down: clients move to gw-1' }]));
    // The session bumps the revision: the marks are read again.
    show(replayFrame({ revision: 1 }));
    await waitFor(() => expect(notes()).toEqual(['first look', 'gw-2 goes down: clients move to gw-1']));
    expect(screen.getByTestId('bookmarks-toggle').textContent).toContain('2');
    expect(document.querySelectorAll('.bm-flag')).toHaveLength(2);
    expect((note as HTMLTextAreaElement).value).toBe('');
    fireEvent.click(within(panel).getByRole('button', { name: `Go to ${formatClock(START + 30_000)}` }));
    await waitFor(() => expect(seeks().at(-1)).toEqual({ op: 'seek', ts: START + 30_000, exact: true }));
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.queryByTestId('bookmarks-panel')).toBeNull();
  });

  it('edit a note, delete a bookmark (asked first)', async () => {
    let list = [bookmark('b1', START + 30_000, 'first look')];
    api.answers.getMarks = () => ({ ok: true, value: marks({ bookmarks: list }) });
    api.answers.editBookmark = (e) => {
      const edit = e as { op: 'update'; id: string; note: string } | { op: 'remove'; id: string };
      list = edit.op === 'update' ? list.map((b) => (b.id === edit.id ? { ...b, note: edit.note } : b)) : list.filter((b) => b.id !== edit.id);
      return { ok: true, value: list };
    };
    await renderReplay();
    fireEvent.click(screen.getByTestId('bookmarks-toggle'));
    const panel = screen.getByTestId('bookmarks-panel');
    await waitFor(() => expect(notes()).toEqual(['first look']));
    fireEvent.click(within(panel).getByRole('button', { name: `Edit the bookmark at ${formatClock(START + 30_000)}` }));
    const field = within(panel).getByLabelText(`Note of the bookmark at ${formatClock(START + 30_000)}`);
    fireEvent.change(field, { target: { value: 'first look: lag rises on gw-1' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls('editBookmark')).toEqual([{ op: 'update', id: 'b1', note: 'first look: lag rises on gw-1' }]));
    show(replayFrame({ revision: 1 }));
    await waitFor(() => expect(notes()).toEqual(['first look: lag rises on gw-1']));

    fireEvent.click(within(panel).getByRole('button', { name: `Delete the bookmark at ${formatClock(START + 30_000)}` }));
    expect(calls('editBookmark')).toHaveLength(1);
    fireEvent.click(within(panel).getByRole('button', { name: 'Keep' }));
    fireEvent.click(within(panel).getByRole('button', { name: `Delete the bookmark at ${formatClock(START + 30_000)}` }));
    fireEvent.click(within(panel).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(calls('editBookmark').at(-1)).toEqual({ op: 'remove', id: 'b1' }));
    show(replayFrame({ revision: 2 }));
    await waitFor(() => expect(notes()).toEqual([]));
    expect(panel.textContent).toContain('No bookmarks yet.');
  });

  it('bookmarks that cannot be saved: the reason, and no way to add or edit; a refused edit says why', async () => {
    api.answers.getMarks = () => ({ ok: true, value: marks({ bookmarks: [bookmark('b1', START + 30_000, 'kept')], bookmarksError: '/rec/incident.mcap.bookmarks.json is not valid JSON (Unexpected end)' }) });
    await renderReplay();
    fireEvent.click(screen.getByTestId('bookmarks-toggle'));
    const err = await screen.findByTestId('bookmarks-error');
    expect(err.textContent).toContain('Bookmarks cannot be saved: /rec/incident.mcap.bookmarks.json is not valid JSON (Unexpected end)');
    const panel = screen.getByTestId('bookmarks-panel');
    expect((within(panel).getByRole('button', { name: /Add bookmark/ }) as HTMLButtonElement).disabled).toBe(true);
    expect(within(panel).queryByRole('button', { name: /Edit the bookmark/ })).toBeNull();

    cleanup();
    api.answers.getMarks = () => ({ ok: true, value: marks() });
    api.answers.editBookmark = () => ({ ok: false, code: 'unavailable', message: 'cannot save bookmarks to /rec/incident.mcap.bookmarks.json: EROFS' });
    renderWith(createElement(Console), store, api);
    fireEvent.click(await screen.findByRole('button', { name: /Add bookmark/ }));
    fireEvent.click(within(screen.getByTestId('bookmarks-panel')).getByRole('button', { name: /Add bookmark/ }));
    expect((await within(screen.getByTestId('bookmarks-panel')).findByRole('alert')).textContent).toContain('EROFS');
  });
});
