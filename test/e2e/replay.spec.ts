import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { consoleUrl, run } from './processes';
import type { Console, Proc } from './processes';
import { shoot } from './screenshots';

/**
 * Flight recorder and replay from the UI, on a real three-node demo fleet in serve mode
 * (the harness takes `crash gw-2` on stdin): save the last minutes, open them from the
 * recordings list, see REPLAY, seek to a moment and find the figures that were live
 * then, the crash on the scrubber, bookmarks; upload files through the file input.
 */
let harness: Proc;
let con: Console;
let dataDir: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  harness = run(['bin/run-ts.cjs', 'test/e2e/harness/serveDemoWithIncidents.ts'], { DEMO_CLIENTS: '300' });
  con = await consoleUrl(harness);
  dataDir = (await harness.waitFor(/Data dir: (\S+)/))[1];
});
test.afterAll(async () => {
  await harness?.stop();
});

const SHOTS = '/tmp/shots';

/** A screenshot for people (test-results/screenshots) and for the reviewer's eyes (/tmp/shots). */
async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  await shoot(page, name);
}

const health = (page: Page, id: string) => page.locator(`tr[data-node="${id}"] [data-health]`);
const text = async (l: Locator) => ((await l.textContent()) ?? '').trim();

interface Sample {
  t: number;
  total: string;
  ws: string;
  online: string;
}

/** What the live figures show, with the time, every `everyMs` for `forMs` (sampled in the page: exact times even on a busy machine). */
async function sampleLive(page: Page, forMs: number, everyMs = 100): Promise<Sample[]> {
  // Strings: this runs in the page (the Node tsconfig has no DOM types).
  await page.evaluate(`(() => {
    const read = (id) => document.querySelector('[data-testid="' + id + '"]')?.textContent ?? '';
    window.__samples = [];
    window.__sampler = setInterval(() => window.__samples.push({ t: Date.now(), total: read('fleet-connections-total'), ws: read('fleet-conn-ws'), online: read('fleet-presence-online') }), ${everyMs});
  })()`);
  await page.waitForTimeout(forMs);
  return (await page.evaluate('clearInterval(window.__sampler), window.__samples')) as Sample[];
}

/** A moment in the middle of a stretch where the sampled figures `keys` stayed the same for ± `holdMs` (the last such one). */
function steadyMoment(samples: Sample[], keys: readonly (keyof Omit<Sample, 't'>)[], holdMs: number, from: number, to: number): Sample | null {
  const same = (a: Sample, b: Sample) => keys.every((k) => a[k] === b[k]);
  let best: Sample | null = null;
  for (const s of samples) {
    if (s.t - holdMs < from || s.t + holdMs > to || keys.some((k) => s[k] === '' || s[k] === '—')) continue;
    const around = samples.filter((x) => Math.abs(x.t - s.t) <= holdMs);
    // Sampled every 100 ms: at least one sample per 250 ms of the stretch, all the same.
    if (around.length >= (2 * holdMs) / 250 && around.every((x) => same(x, s))) best = s;
  }
  return best;
}

/** Seeks on the scrubber to a sampled moment and checks the replay shows what was live then. */
async function seekAndCompare(page: Page, moment: Sample, keys: readonly (keyof Omit<Sample, 't'>)[]): Promise<void> {
  const slider = page.getByRole('slider', { name: 'Replay position' });
  const startMs = Number(await slider.getAttribute('aria-valuemin'));
  const endMs = Number(await slider.getAttribute('aria-valuemax'));
  await clickScrubberAt(page, moment.t);
  const pxMs = (endMs - startMs) / (await slider.boundingBox())!.width;
  // While a seek is under way the slider shows its target (aria-busy); after it, the replay clock.
  await expect(slider).toHaveAttribute('aria-busy', 'false');
  await expect.poll(async () => Math.abs(Number(await slider.getAttribute('aria-valuenow')) - moment.t), { message: 'the clock lands where clicked' }).toBeLessThanOrEqual(pxMs + 1);
  const ids = { total: 'fleet-connections-total', ws: 'fleet-conn-ws', online: 'fleet-presence-online' } as const;
  for (const k of keys) await expect(page.getByTestId(ids[k])).toHaveText(moment[k]);
}

/** Clicks the scrubber where `ts` is (the slider's value range is the recording's span). */
async function clickScrubberAt(page: Page, ts: number): Promise<void> {
  const track = page.getByRole('slider', { name: 'Replay position' });
  const min = Number(await track.getAttribute('aria-valuemin'));
  const max = Number(await track.getAttribute('aria-valuemax'));
  const box = (await track.boundingBox())!;
  await page.mouse.click(box.x + ((ts - min) / (max - min)) * box.width, box.y + box.height / 2);
}

async function saveFlight(page: Page): Promise<string> {
  await page.getByTestId('save-flight').click();
  const notice = page.getByTestId('recording-notice');
  await expect(notice).toContainText('Saved the flight recording as flight-');
  const m = /Saved the flight recording as (flight-[^\s]+\.mcap) \((\d[\d.]* (?:kB|MB|B))/.exec(await text(notice));
  expect(m, `notice: ${await text(notice)}`).not.toBeNull();
  return m![1];
}

test('the flight recording of a crash: save it, open it, REPLAY, seek to a moment and see what was live then, markers, bookmarks, back to live', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(con.url);
  for (const id of ['gw-1', 'gw-2', 'gw-3']) await expect(health(page, id)).toHaveAttribute('data-health', 'up', { timeout: 30_000 });
  await expect(page.getByTestId('save-flight')).toHaveText(/Save last 30 min/);

  // About twenty seconds of the live fleet, noting what the figures show and when.
  const samples = await sampleLive(page, 20_000);
  harness.send('crash gw-2');
  await expect(health(page, 'gw-2')).toHaveAttribute('data-health', 'down', { timeout: 5000 });
  await expect(health(page, 'gw-2')).toHaveAttribute('data-health', 'up', { timeout: 30_000 });
  const events = page.getByRole('list', { name: 'Events, newest first' });
  await expect(events.locator('[data-kind="restarted"]').first()).toBeVisible({ timeout: 15_000 });

  // Save the flight recorder from the top bar: the notice names the file and its size.
  const name = await saveFlight(page);

  // Open it from the recordings list.
  await page.getByTestId('recordings-button').click();
  const drawer = page.getByTestId('recordings-drawer');
  await expect(drawer).toBeVisible();
  const row = drawer.locator(`tr[data-recording="${name}"]`);
  await expect(row).toBeVisible();
  await snap(page, 'recordings-drawer');
  await row.getByRole('button', { name: `Open ${name}` }).click();

  // REPLAY: the band, the name and date, the frame; live-only controls gone.
  const banner = page.getByTestId('replay-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('REPLAY');
  await expect(banner).toContainText(name);
  await expect(banner).toContainText(/recorded \w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d:\d\d–\d\d:\d\d:\d\d/);
  await expect(page.locator('.app')).toHaveClass(/is-replay/);
  await expect(drawer).toHaveCount(0);
  await expect(page.getByTestId('save-flight')).toHaveCount(0);
  await expect(page.getByTestId('start-recording')).toHaveCount(0);
  await expect(page.getByTestId('link-state')).toHaveCount(0);
  await expect(page.getByTestId('playback-state')).toHaveText('Paused');

  // The crash is on the scrubber: gw-2 down (health lane) and its restart (restart lane), with words.
  const down = page.locator('.lane[data-category="health"] [data-kind="node_down"]');
  await expect(down.first()).toBeAttached();
  expect(await down.first().getAttribute('aria-label')).toMatch(/gw-2/);
  await expect(page.locator('.lane[data-category="restart"] [data-kind="restarted"]').first()).toBeAttached();
  // Its tooltip says what it is (markers close together are listed together).
  await down.first().focus();
  await expect(page.getByTestId('marker-tooltip')).toContainText('gw-2');
  await expect(page.getByTestId('marker-tooltip')).toContainText('Health change');

  // Moments before the crash where live figures held still: seek there on the scrubber, and
  // the figures are the ones that were live then. Connections: steady for ± 1.5 s; presence
  // changes about once a second: steady for ± 0.5 s (frames reach the page within ~0.2 s).
  const slider = page.getByRole('slider', { name: 'Replay position' });
  const startMs = Number(await slider.getAttribute('aria-valuemin'));
  const endMs = Number(await slider.getAttribute('aria-valuemax'));
  const found = (m: Sample | null, what: string): Sample => {
    expect(m, `a moment with steady ${what} in ${samples.length} samples within the recording ${startMs}–${endMs}`).not.toBeNull();
    return m!;
  };
  const connMoment = found(steadyMoment(samples, ['total', 'ws'], 1500, startMs + 2000, endMs), 'connections');
  await seekAndCompare(page, connMoment, ['total', 'ws']);
  await expect(page.getByTestId('fleet-nodes-up')).toHaveText('3');
  const presenceMoment = found(steadyMoment(samples, ['online'], 500, startMs + 2000, connMoment.t - 2000), 'presence');
  await seekAndCompare(page, presenceMoment, ['online']);
  test.info().annotations.push({ type: 'seek', description: `live at ${new Date(connMoment.t).toISOString()}: ${connMoment.total} connections (${connMoment.ws} WS); at ${new Date(presenceMoment.t).toISOString()}: ${presenceMoment.online} online; the replay shows the same` });

  // Keyboard: the slider steps by a second, Home goes to the start.
  await slider.focus();
  const at = Number(await slider.getAttribute('aria-valuenow'));
  await page.keyboard.press('ArrowRight');
  await expect(slider).toHaveAttribute('aria-valuenow', String(at + 1000));
  await expect(slider).toHaveAttribute('aria-valuetext', /^\d\d:\d\d:\d\d, .* into the recording$/);
  await page.keyboard.press('Home');
  await expect.poll(async () => Number(await slider.getAttribute('aria-valuenow')) - startMs, { message: 'Home: the first moment that plays (its first checkpoint)' }).toBeLessThanOrEqual(1000);
  await expect(page.getByTestId('replay-clock')).toContainText('0:00 / ');

  // A click on the crash marker goes there: gw-2 is down, the others up, the timeline has it.
  // (Markers close together overlap on screen: the click goes to this one's own button.)
  await down.first().dispatchEvent('click');
  await expect(health(page, 'gw-2')).toHaveAttribute('data-health', 'down', { timeout: 10_000 });
  await expect(events.locator('[data-kind="node_down"]').first()).toBeVisible();
  await expect(health(page, 'gw-1')).toHaveAttribute('data-health', 'up');
  const downAt = Number(await slider.getAttribute('aria-valuenow'));

  // Next restart: the supervisor's fresh gw-2, after the crash.
  await page.getByRole('combobox', { name: 'Events to jump between' }).selectOption('restart');
  await page.getByRole('button', { name: 'Next restart' }).click();
  await expect(events.locator('[data-kind="restarted"]').first()).toBeVisible({ timeout: 10_000 });
  // The slider follows the next frame: wait for it rather than read it at once.
  await expect.poll(async () => Number(await slider.getAttribute('aria-valuenow')), { message: 'Next restart moves the clock past the crash', timeout: 10_000 }).toBeGreaterThan(downAt);
  await page.getByRole('button', { name: 'Next restart' }).click();
  await expect(page.getByText('No later restart in this recording.')).toBeVisible();
  await page.getByRole('button', { name: 'Previous restart' }).click();
  await expect(page.getByText('No earlier restart in this recording.')).toBeVisible();
  await page.getByRole('combobox', { name: 'Events to jump between' }).selectOption('health');
  await page.getByRole('button', { name: 'Previous health change' }).click();
  await expect(health(page, 'gw-2')).toHaveAttribute('data-health', 'down', { timeout: 10_000 });

  // A bookmark at the crash, with a note: a flag on the scrubber and a line in the list.
  await page.getByRole('button', { name: 'Add bookmark' }).click();
  const panel = page.getByTestId('bookmarks-panel');
  await page.getByPlaceholder('What happened here, what to look at').fill('gw-2 crashed here: clients moved to gw-1 and gw-3');
  await panel.getByRole('button', { name: 'Add bookmark' }).click();
  await expect(panel.locator('.bm-item')).toHaveCount(1);
  await expect(panel.locator('.bm-note')).toHaveText('gw-2 crashed here: clients moved to gw-1 and gw-3');
  await expect(page.locator('.bm-flag')).toHaveCount(1);
  await expect(page.getByTestId('bookmarks-toggle')).toContainText('1');
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);

  // Play at 4× from the start: the clock moves and the state says so.
  await slider.focus();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('replay-clock')).toContainText('0:00 / ');
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('4');
  await page.getByTestId('play-pause').click();
  await expect(page.getByTestId('playback-state')).toHaveText('Playing at 4×');
  const before = Number(await slider.getAttribute('aria-valuenow'));
  await expect.poll(async () => Number(await slider.getAttribute('aria-valuenow')) - before, { timeout: 10_000 }).toBeGreaterThan(3000);
  await page.getByTestId('play-pause').click();
  await expect(page.getByTestId('playback-state')).toHaveText('Paused');

  // Screenshots of the replay for a reviewer's eyes, in both themes, at the crash.
  await down.first().dispatchEvent('click');
  await expect(health(page, 'gw-2')).toHaveAttribute('data-health', 'down', { timeout: 10_000 });
  await expect(page.getByTestId('preload-progress')).toHaveCount(0, { timeout: 30_000 });
  await snap(page, 'replay-dark');
  await page.getByTestId('bookmarks-toggle').click();
  await snap(page, 'replay-bookmarks-dark');
  await page.getByRole('button', { name: 'Close bookmarks' }).click();
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await snap(page, 'replay-light');
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();

  // Back to live: the band goes, the live figures and controls come back.
  await page.getByTestId('back-to-live').click();
  await expect(banner).toHaveCount(0);
  await expect(page.locator('.app')).not.toHaveClass(/is-replay/);
  await expect(page.getByTestId('link-state')).toContainText('Live');
  await expect(page.getByTestId('save-flight')).toBeVisible();
  for (const id of ['gw-1', 'gw-2', 'gw-3']) await expect(health(page, id)).toHaveAttribute('data-health', 'up');
});

test('a named recording from the top bar; the file input: a file that is not a recording is refused clearly, a broken one too; a real one uploads with progress and opens', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(con.url);
  await expect(health(page, 'gw-1')).toHaveAttribute('data-health', 'up', { timeout: 30_000 });
  const name = await saveFlight(page);

  // A named recording: REC with its name and a size that grows, then Stop saves it to the folder.
  await page.getByTestId('start-recording').click();
  const rec = page.getByTestId('recording-status');
  await expect(rec).toContainText(/REC session-\d{8}T\d{6}Z\.mcap · /);
  const size = async () => /· (.+)$/.exec(await text(rec))![1];
  const first = await size();
  await expect.poll(size, { timeout: 15_000, message: 'the recording grows' }).not.toBe(first);
  await snap(page, 'recording-live');
  await page.getByTestId('stop-recording').click();
  await expect(page.getByTestId('recording-notice')).toContainText(/Recording saved as session-\d{8}T\d{6}Z\.mcap \(/);
  await expect(page.getByTestId('start-recording')).toBeVisible();
  const session = /Recording saved as (session-\S+\.mcap)/.exec(await text(page.getByTestId('recording-notice')))![1];

  await page.getByTestId('recordings-button').click();
  await expect(page.locator(`tr[data-recording="${session}"]`)).toBeVisible();
  const input = page.getByTestId('open-file-input');

  // Not MCAP at all: refused before uploading, naming the file.
  await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('these are my notes about the incident\n') });
  const err = page.getByTestId('open-error');
  await expect(err).toContainText('Could not open notes.txt.');
  await expect(err).toContainText('notes.txt is not an MCAP recording');
  await snap(page, 'open-error');
  await err.getByRole('button', { name: 'Dismiss' }).click();

  // MCAP's magic and nothing usable: uploaded, then the console says why it cannot be replayed.
  await input.setInputFiles({ name: 'broken.mcap', mimeType: 'application/octet-stream', buffer: Buffer.concat([Buffer.from([0x89, 0x4d, 0x43, 0x41, 0x50, 0x30, 0x0d, 0x0a]), Buffer.alloc(4096, 7)]) });
  await expect(err).toContainText('Could not open broken.mcap.');
  await expect(err).toContainText('broken.mcap holds no Switchboard recording');
  await expect(page.getByTestId('replay-banner')).toHaveCount(0);
  await err.getByRole('button', { name: 'Dismiss' }).click();

  // A real recording (the flight recording just saved, as a reviewer would have been sent it).
  const copy = path.join(test.info().outputPath(), 'incident-from-oncall.mcap');
  mkdirSync(path.dirname(copy), { recursive: true });
  copyFileSync(path.join(dataDir, 'recordings', name), copy);
  // A slow link (as to a console across the world): the upload's progress is on screen.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 24 * 1024 });
  await input.setInputFiles(copy);
  const progress = page.getByTestId('open-progress');
  await expect(progress).toContainText(/Uploading incident-from-oncall\.mcap .* of .* \(\d+%\)/);
  await snap(page, 'upload-progress');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  const banner = page.getByTestId('replay-banner');
  await expect(banner).toContainText('incident-from-oncall.mcap', { timeout: 30_000 });
  await expect(page.getByTestId('open-progress')).toHaveCount(0);
  await expect(page.getByTestId('scrubber')).toBeVisible();
  await page.getByTestId('back-to-live').click();
  await expect(banner).toHaveCount(0);
});
