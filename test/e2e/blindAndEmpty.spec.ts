import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { consoleUrl, run } from './processes';
import type { Proc } from './processes';
import { shoot } from './screenshots';

const started: Proc[] = [];
test.afterAll(async () => {
  for (const p of started.reverse()) await p.stop();
});

test('a console started without a fleet explains how to give it one', async ({ page }) => {
  const serve = run(['bin/switchboard.cjs', 'serve', '--port', '0']);
  started.push(serve);
  const con = await consoleUrl(serve);
  await page.goto(con.url);
  const empty = page.getByTestId('empty-fleet');
  await expect(empty).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('No fleet to watch yet');
  await expect(empty.locator('pre code')).toHaveText(['npx switchboard serve --demo', 'npx switchboard serve --fleet fleet.json', 'npx switchboard serve --prometheus URL']);
  await shoot(page, 'empty-state');
});

test('a fleet the console cannot read is blindness (yellow banner naming the nodes and why), never down', async ({ page }) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-e2e-blind-'));
  const fleetFile = path.join(dir, 'fleet.json');
  const demo = run(['bin/switchboard.cjs', 'demo', '--nodes', '3', '--clients', '30', '--incident-every', '0', '--fleet-file', fleetFile]);
  started.push(demo);
  await demo.waitFor(/Incidents on demand/);
  // The same nodes, with tokens that are not theirs.
  const wrong = path.join(dir, 'wrong.json');
  copyFileSync(fleetFile, wrong);
  writeFileSync(path.join(dir, 'wrong.credentials.json'), JSON.stringify({ readToken: 'not-the-read-token', adminToken: 'not-the-admin-token' }), { mode: 0o600 });
  const serve = run(['bin/switchboard.cjs', 'serve', '--fleet', wrong, '--port', '0']);
  started.push(serve);
  const con = await consoleUrl(serve);
  await page.goto(con.url);
  const banner = page.getByTestId('blindness-banner');
  await expect(banner).toBeVisible({ timeout: 20_000 });
  // One line per cause, naming every node it hits, in plain words (no JSON bodies).
  await expect(banner).toContainText(/The console cannot read metrics (and live events )?of gw-1, gw-2 and gw-3: HTTP 401/, { timeout: 20_000 });
  await expect(banner).toContainText(/The console cannot read (metrics and )?live events of gw-1, gw-2 and gw-3: HTTP 401/);
  await expect(banner).toContainText('missing or wrong read token');
  await expect(banner).not.toContainText('{');
  await expect(banner.getByRole('heading')).toHaveText('The console cannot see 3 nodes (gw-1, gw-2 and gw-3)');
  for (const id of ['gw-1', 'gw-2', 'gw-3']) {
    const row = page.locator(`tr[data-node="${id}"]`);
    await expect(row.locator('[data-health]')).toHaveAttribute('data-health', 'unknown');
    await expect(row).toContainText('not visible');
    await expect(row).toContainText('console cannot read it: HTTP 401');
  }
  // No confident zeros for a fleet nobody can read.
  await expect(page.getByTestId('fleet-connections-total')).toHaveText('—');
  await expect(page.locator('tr.health-down')).toHaveCount(0);
  await page.waitForTimeout(2000);
  await shoot(page, 'blindness-banner');
});

test('when serve mode goes away the page says so, counts down its retries, and knows a restarted console wants a new link', async ({ page }) => {
  const first = run(['bin/switchboard.cjs', 'serve', '--port', '0']);
  started.push(first);
  const con = await consoleUrl(first);
  const port = new URL(con.origin).port;
  await page.goto(con.url);
  await expect(page.getByTestId('empty-fleet')).toBeVisible({ timeout: 15_000 });
  await first.stop();
  const lost = page.getByTestId('link-lost');
  await expect(lost).toContainText('Connection to the console lost.');
  await expect(lost).toContainText(/Retrying in \d+ s\.|Reconnecting \(attempt \d+\)/);
  await expect(page.getByTestId('link-state')).not.toContainText('Live');
  await shoot(page, 'link-lost');
  // The same port, a new session token: the old page is refused and says what to do.
  const second = run(['bin/switchboard.cjs', 'serve', '--port', port]);
  started.push(second);
  await consoleUrl(second);
  await expect(lost).toContainText('open the new link it printed', { timeout: 30_000 });
});
