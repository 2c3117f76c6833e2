import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { consoleUrl, ROOT, run } from './processes';
import type { Console, Proc } from './processes';
import { shoot } from './screenshots';

/**
 * Fleet actions through the UI, end to end: serve mode on a real 3-node demo fleet over
 * real sockets (the test harness, which also prints its data folder), the renderer build
 * in Chromium. Drain a node from its row menu (dry run → reason → node id typed →
 * confirm), watch the progress bar reach drained, find the action on the timeline and in
 * the audit view with an intact chain (and `switchboard audit verify` agrees), be refused
 * a second drain by max_unavailable, undrain from the detail panel. Screenshots of the
 * dialog, the progress and the audit view in both themes go to /tmp/shots and
 * test-results/screenshots.
 */
let harness: Proc;
let con: Console;
let dataDir: string;
let rendererDir: string;

const SHOTS = '/tmp/shots';

/** Every script and style the build's index.html loads is there (a build in progress empties the folder first). */
function completeBuild(dir: string): boolean {
  const index = path.join(dir, 'index.html');
  if (!existsSync(index)) return false;
  const refs = [...readFileSync(index, 'utf8').matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]);
  return refs.length >= 2 && refs.every((r) => existsSync(path.join(dir, r)));
}

/**
 * This file's own copy of the renderer build (the global setup built it): other runs in
 * the same working tree may rebuild `out/renderer` meanwhile, which empties it for a while.
 */
async function privateRendererCopy(): Promise<string> {
  const src = path.join(ROOT, 'out', 'renderer');
  const dst = mkdtempSync(path.join(tmpdir(), 'sb-e2e-renderer-'));
  await expect
    .poll(
      () => {
        rmSync(dst, { recursive: true, force: true });
        if (!completeBuild(src)) return false;
        try {
          cpSync(src, dst, { recursive: true });
        } catch {
          return false; // the build changed under the copy: again
        }
        return completeBuild(dst);
      },
      { timeout: 180_000, intervals: [500] },
    )
    .toBe(true);
  return dst;
}

test.beforeAll(async () => {
  test.setTimeout(240_000);
  mkdirSync(SHOTS, { recursive: true });
  rendererDir = await privateRendererCopy();
  harness = run(['bin/run-ts.cjs', 'test/e2e/harness/serveDemoWithIncidents.ts'], { DEMO_CLIENTS: '300', RENDERER_DIR: rendererDir });
  con = await consoleUrl(harness);
  dataDir = (await harness.waitFor(/Data dir: (\S+)/))[1];
});
test.afterAll(async () => {
  await harness?.stop();
  if (rendererDir) rmSync(rendererDir, { recursive: true, force: true });
});

async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  await shoot(page, name);
}

const health = (page: Page, id: string) => page.locator(`tr[data-node="${id}"] [data-health]`);

async function allUp(page: Page): Promise<void> {
  for (const id of ['gw-1', 'gw-2', 'gw-3']) await expect(health(page, id)).toHaveAttribute('data-health', 'up', { timeout: 30_000 });
}

/** Opens the row menu of a node and picks an action: the dialog with its dry run. */
async function openFromRow(page: Page, node: string, verb: 'Drain' | 'Undrain' | 'Restart', shot?: string): Promise<Locator> {
  await page.getByRole('button', { name: `Actions for ${node}` }).click();
  const menu = page.getByRole('menu', { name: `Actions for ${node}` });
  if (shot) {
    await expect(menu.getByRole('menuitem').first()).toBeFocused();
    await snap(page, shot);
  }
  await menu.getByRole('menuitem', { name: new RegExp(`^${verb}`) }).click();
  const dialog = page.getByRole('dialog', { name: `${verb} ${node}` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('action-preview')).toBeVisible({ timeout: 15_000 });
  return dialog;
}

/** Reason, node id typed, confirm; returns the action's id once the dialog says it started. */
async function confirmIn(dialog: Locator, node: string, reason: string): Promise<void> {
  const confirm = dialog.getByTestId('confirm-action');
  await dialog.getByRole('textbox', { name: /^Reason/ }).fill(reason);
  await expect(confirm).toBeDisabled();
  await dialog.getByTestId('confirm-text').fill(node.slice(0, -1));
  await expect(confirm).toBeDisabled();
  await dialog.getByTestId('confirm-text').fill(node);
  await expect(confirm).toBeEnabled();
  await confirm.click();
  await expect(dialog.getByTestId('action-outcome')).toBeVisible({ timeout: 15_000 });
}

/** Drains a node at a slow rate (so the bar can be seen moving), with screenshots named after `tag`. */
async function drainAndWatch(page: Page, node: string, tag: string): Promise<void> {
  const dialog = await openFromRow(page, node, 'Drain');
  await expect(dialog.getByTestId('preview-verdict')).toContainText('Every guard rail passes.');
  const moving = Number(((await dialog.locator('[data-fact="moving"] dd').first().innerText()) || '').replace(/[^0-9]/g, ''));
  expect(moving, 'connections moving').toBeGreaterThan(20);
  // Slow enough to watch on a busy machine: about 12 s for ~100 connections.
  await dialog.getByRole('textbox', { name: /Disconnect rate/ }).fill('8');
  await expect(dialog.locator('[data-fact="reconnects"]')).toContainText('disconnect rate 8.0/s', { timeout: 10_000 });
  await expect(dialog.locator('[data-dest]')).toHaveCount(2);
  await dialog.getByRole('textbox', { name: /^Reason/ }).fill('e2e: kernel patch on the host');
  await snap(page, `action-dialog-${tag}`);
  await confirmIn(dialog, node, `e2e: kernel patch on ${node}`);
  await expect(dialog.getByTestId('action-outcome')).toContainText('Started.');
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(dialog).toHaveCount(0);

  // The progress bar, from the frames, until drained.
  const panel = page.getByTestId('actions-panel');
  const item = panel.locator('article.action-item').filter({ hasText: `Drain ${node}` }).first();
  await expect(item).toHaveAttribute('data-state', 'running');
  const bar = item.getByRole('progressbar', { name: `Drain of ${node}` });
  await expect(bar).toBeVisible({ timeout: 10_000 });
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 15_000 }).toBeGreaterThan(0);
  // Focus went back to the row's menu button (further down the page): bring the panel into view.
  await panel.scrollIntoViewIfNeeded();
  await snap(page, `action-progress-${tag}`);
  await expect(item).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
  await expect(item.getByTestId('drain-progress')).toHaveAttribute('data-done', 'true');
  await expect(bar).toHaveAttribute('aria-valuetext', /^drained: /);
  expect(await bar.getAttribute('aria-valuenow')).toBe(await bar.getAttribute('aria-valuemax'));
  await expect(health(page, node)).toHaveAttribute('data-health', 'drained', { timeout: 15_000 });
}

async function undrainFromDetail(page: Page, node: string): Promise<void> {
  await page.locator(`[data-node-open="${node}"]`).click();
  const detail = page.getByTestId('node-detail');
  const bar = detail.getByRole('group', { name: `Actions on ${node}` });
  await expect(bar).toContainText(`Drain unavailable: ${node} is already drained`);
  await snap(page, `node-detail-actions-${node}`);
  await bar.getByRole('button', { name: /Undrain/ }).click();
  const dialog = page.getByRole('dialog', { name: `Undrain ${node}` });
  await expect(dialog.getByTestId('preview-verdict')).toContainText('Every guard rail passes.', { timeout: 15_000 });
  await confirmIn(dialog, node, `e2e: ${node} is patched`);
  await expect(dialog.getByTestId('action-outcome')).toContainText(/Started|Done/);
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(health(page, node)).toHaveAttribute('data-health', 'up', { timeout: 20_000 });
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);
}

/** The rolling restart's dialog with its dry run (nothing is started: Escape). */
async function rolloutDryRun(page: Page, tag: string): Promise<void> {
  await allUp(page);
  await page.getByTestId('actions-panel').getByRole('button', { name: /Rolling restart/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Rolling restart of the fleet' });
  await expect(dialog.getByRole('list', { name: 'Order of the restart' }).locator('li')).toHaveCount(3, { timeout: 15_000 });
  await expect(dialog.getByText('fleet 3', { exact: true })).toBeVisible();
  await dialog.getByRole('textbox', { name: /^Reason/ }).fill('e2e: new gateway build');
  await snap(page, `rollout-dialog-${tag}`);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
}

test('drain from the UI: dry run, typed id, progress to drained, timeline, audit with an intact chain, a refusal, then undrain', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(con.url);
  await allUp(page);
  await expect(page.getByTestId('actions-panel')).toContainText('none in the last 10 minutes');

  await drainAndWatch(page, 'gw-1', 'dark');

  // The timeline has the action and its outcome, tagged as a drain.
  const events = page.getByRole('list', { name: 'Events, newest first' });
  await expect(events.locator('[data-kind="action_running"]').filter({ hasText: 'drain of gw-1' }).first()).toBeVisible();
  const succeeded = events.locator('[data-kind="action_succeeded"]').filter({ hasText: 'drain of gw-1' }).first();
  await expect(succeeded).toBeVisible({ timeout: 10_000 });
  await expect(succeeded.locator('.event-tag')).toHaveText('action');

  // The audit view: started and succeeded, the reason, an intact chain.
  await page.getByTestId('actions-panel').getByRole('button', { name: /Audit log/ }).click();
  const audit = page.getByRole('dialog', { name: 'Audit log' });
  await expect(audit.getByTestId('audit-verdict')).toHaveAttribute('data-ok', 'true');
  await expect(audit.getByTestId('audit-verdict')).toContainText('Chain intact');
  await expect(audit.locator('tr[data-audit-action="drain"][data-audit-outcome="succeeded"]')).toContainText('e2e: kernel patch on gw-1');
  await expect(audit.locator('tr[data-audit-action="drain"][data-audit-outcome="started"]')).toHaveCount(1);
  await audit.getByRole('combobox', { name: 'Outcome' }).selectOption('succeeded');
  await expect(audit.locator('tbody tr[data-audit-outcome]')).toHaveCount(1);
  await audit.getByRole('combobox', { name: 'Outcome' }).selectOption('');
  await snap(page, 'audit-dark');
  await page.keyboard.press('Escape');
  await expect(audit).toHaveCount(0);
  // The CLI reads the same chain the view judged.
  const verify = run(['bin/switchboard.cjs', 'audit', 'verify', '--audit-file', path.join(dataDir, 'audit.jsonl')]);
  const verdict = await verify.waitFor(/intact: (\d+) records/, 60_000);
  expect(Number(verdict[1])).toBeGreaterThanOrEqual(2);
  await expect.poll(() => verify.child.exitCode, { timeout: 30_000 }).toBe(0);

  // A second drain while gw-1 is drained: max_unavailable refuses it in the dry run.
  const refused = await openFromRow(page, 'gw-2', 'Drain', 'row-menu-dark');
  await expect(refused.getByTestId('preview-verdict')).toContainText('Refused by the guard rails: max_unavailable');
  await expect(refused.locator('[data-rule="max_unavailable"]')).toHaveAttribute('data-ok', 'false');
  await refused.getByRole('textbox', { name: /^Reason/ }).fill('e2e: second node');
  await refused.getByTestId('confirm-text').fill('gw-2');
  await expect(refused.getByTestId('confirm-action')).toBeDisabled();
  await expect(refused.locator('.foot-missing')).toContainText('Refused by max_unavailable: nothing can be sent.');
  await snap(page, 'action-refused-dark');
  await page.keyboard.press('Escape');
  await expect(refused).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Actions for gw-2' })).toBeFocused();

  await undrainFromDetail(page, 'gw-1');
  await rolloutDryRun(page, 'dark');
});

test('light theme: the dialog, the progress and the audit view', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(con.url);
  await allUp(page);
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await drainAndWatch(page, 'gw-3', 'light');
  await page.getByTestId('actions-panel').getByRole('button', { name: /Audit log/ }).click();
  const audit = page.getByRole('dialog', { name: 'Audit log' });
  await expect(audit.getByTestId('audit-verdict')).toHaveAttribute('data-ok', 'true');
  await expect(audit.locator('tr[data-audit-outcome="succeeded"]').first()).toBeVisible();
  await snap(page, 'audit-light');
  await page.keyboard.press('Escape');
  await undrainFromDetail(page, 'gw-3');
  await rolloutDryRun(page, 'light');
});
