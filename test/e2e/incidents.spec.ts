import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { consoleUrl, run } from './processes';
import type { Console, Proc } from './processes';
import { shoot } from './screenshots';

/**
 * A node killed on demand. `switchboard serve --demo` has no way to trigger an incident
 * yet, so this uses a test harness made of the same parts (demo fleet, live console
 * scraping every second, the real serve server) that takes `crash gw-2` on stdin.
 */
let harness: Proc;
let con: Console;

test.beforeAll(async () => {
  harness = run(['bin/run-ts.cjs', 'test/e2e/harness/serveDemoWithIncidents.ts'], { DEMO_CLIENTS: '300' });
  con = await consoleUrl(harness);
});
test.afterAll(async () => {
  await harness?.stop();
});

const health = (page: Page, id: string) => page.locator(`tr[data-node="${id}"] [data-health]`);

test('a killed node shows as down within 3 s while the others stay up; the timeline tells the story', async ({ page }) => {
  await page.goto(con.url);
  for (const id of ['gw-1', 'gw-2', 'gw-3']) await expect(health(page, id)).toHaveAttribute('data-health', 'up', { timeout: 30_000 });
  // The reconnect-spike detector judges against a baseline of at least 30 s.
  await page.waitForTimeout(35_000);

  const t0 = Date.now();
  harness.send('crash gw-2');
  await expect(health(page, 'gw-2')).toHaveAttribute('data-health', 'down', { timeout: 3000 });
  const took = Date.now() - t0;
  expect(took).toBeLessThan(3000);
  await expect(health(page, 'gw-1')).toHaveAttribute('data-health', 'up');
  await expect(health(page, 'gw-3')).toHaveAttribute('data-health', 'up');
  const row = page.locator('tr[data-node="gw-2"]');
  await expect(row).toHaveClass(/health-down/);
  await expect(row).toContainText('Down');
  await expect(row).toContainText('not reachable');
  // Down is a fleet fact, not blindness.
  await expect(page.getByTestId('blindness-banner')).toHaveCount(0);
  await shoot(page, 'node-down');

  // The supervisor brings a fresh gw-2; the timeline has the crash and the restart.
  await expect(health(page, 'gw-2')).toHaveAttribute('data-health', 'up', { timeout: 30_000 });
  const events = page.getByRole('list', { name: 'Events, newest first' });
  await expect(events.locator('[data-kind="node_down"]').first()).toBeVisible();
  await expect(events.locator('[data-kind="restarted"]').first()).toBeVisible({ timeout: 15_000 });
  await page.waitForTimeout(4000);
  await shoot(page, 'timeline');

  // A click on the crash pauses and focuses the charts on that moment.
  await events.locator('[data-kind="node_down"] button').first().click();
  await expect(page.getByTestId('paused-note')).toContainText('Paused — showing up to');
  await page.waitForTimeout(1500);
  await shoot(page, 'focused-event');
  // The clients of gw-2 came back through the other nodes: a reconnect spike, drawn as a
  // band on the reconnect chart, labelled with its cause, the crash of gw-2 (the core
  // attributes it whether the crash or the spike reached it first).
  await expect(events.locator('[data-kind="reconnect_spike"]').first()).toBeVisible();
  const chart = page.locator('[data-chart="reconnects"]');
  await expect(chart.locator('.recharts-reference-area').first()).toBeVisible();
  const label = /after gw-2 node down/.exec((await chart.textContent()) ?? '');
  expect(label, 'a labelled spike band').not.toBeNull();
  test.info().annotations.push({ type: 'spike band label', description: label![0] });
  await page.getByRole('button', { name: 'Resume live' }).click();
  await expect(page.getByTestId('paused-note')).toHaveCount(0);
});
