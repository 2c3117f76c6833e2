import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { consoleUrl, run } from './processes';
import type { Console, Proc } from './processes';
import { shoot } from './screenshots';

/**
 * The real `switchboard serve --demo`: the console and the demo fleet in one process,
 * the renderer in Chromium. Its temp directory goes where TMPDIR says, so the test can
 * read the demo's own fleet file and admin token and ask each node for its figures.
 */
let serve: Proc;
let con: Console;
let nodes: { id: string; ops: string }[];
let adminToken: string;

test.beforeAll(async () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'sb-e2e-serve-'));
  serve = run(['bin/switchboard.cjs', 'serve', '--demo', '--port', '0', '--clients', '90'], { TMPDIR: tmp });
  con = await consoleUrl(serve);
  const demoDir = readdirSync(tmp).find((d) => d.startsWith('switchboard-demo-'));
  if (!demoDir) throw new Error(`no demo directory in ${tmp}`);
  const groups = JSON.parse(readFileSync(path.join(tmp, demoDir, 'fleet.json'), 'utf8')) as { targets: string[]; labels: { node_id: string } }[];
  nodes = groups.map((g) => ({ id: g.labels.node_id, ops: `http://${g.targets[0]}` }));
  adminToken = (JSON.parse(readFileSync(path.join(tmp, demoDir, 'fleet.credentials.json'), 'utf8')) as { adminToken: string }).adminToken;
});
test.afterAll(async () => {
  await serve?.stop();
});

interface Counts {
  ws: number;
  sse: number;
  longpoll: number;
}

async function adminStatus(ops: string): Promise<Counts> {
  const r = await fetch(`${ops}/admin/status`, { headers: { authorization: `Bearer ${adminToken}` } });
  if (!r.ok) throw new Error(`${ops}/admin/status: HTTP ${r.status}`);
  return ((await r.json()) as { connections: Counts }).connections;
}

async function shown(page: Page, id: string): Promise<Counts> {
  const row = page.locator(`tr[data-node="${id}"]`);
  const num = async (testId: string) => Number((await row.getByTestId(testId).innerText()).replace(/,/g, ''));
  return { ws: await num('node-ws'), sse: await num('node-sse'), longpoll: await num('node-longpoll') };
}

test('the overview lists every demo node with the connection counts its /admin/status reports', async ({ page }) => {
  await page.goto(con.url);
  // The token leaves the address bar at once.
  await expect(page).toHaveURL(`${con.origin}/`);
  expect(nodes.map((n) => n.id)).toEqual(['gw-1', 'gw-2', 'gw-3']);
  for (const n of nodes) await expect(page.locator(`tr[data-node="${n.id}"] [data-health="up"]`)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('fleet-nodes-up')).toHaveText('3');
  // The users connect over a few seconds and move about: compare once both sides agree.
  await expect(async () => {
    for (const n of nodes) {
      const [status, ui] = [await adminStatus(n.ops), await shown(page, n.id)];
      expect(ui, n.id).toEqual({ ws: status.ws, sse: status.sse, longpoll: status.longpoll });
      const cell = page.locator(`[data-testid="node-conn"][data-node="${n.id}"]`);
      expect(Number(await cell.getAttribute('data-value'))).toBe(status.ws + status.sse + status.longpoll);
    }
  }).toPass({ timeout: 30_000, intervals: [250] });
  const total = Number((await page.getByTestId('fleet-connections-total').innerText()).replace(/,/g, ''));
  expect(total).toBeGreaterThan(0);
  expect(total).toBeLessThanOrEqual(90);
});

test('screenshots: the overview in dark and light, and a node’s detail', async ({ page }) => {
  await page.goto(con.url);
  await expect(page.locator('tr[data-node="gw-3"] [data-health="up"]')).toBeVisible({ timeout: 30_000 });
  // Let the charts gather a little history.
  await page.waitForTimeout(8000);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await shoot(page, 'overview-dark');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await shoot(page, 'overview-light');
  // Remembered across a reload (which also keeps working without the token in the address).
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(page.locator('tr[data-node="gw-2"]')).toBeVisible({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();

  await page.getByRole('button', { name: /^gw-2, .*: open details$/ }).press('Enter');
  const detail = page.getByTestId('node-detail');
  await expect(detail).toBeVisible();
  await expect(detail.getByTestId('scrape-state')).toHaveText('Reading');
  await expect(detail.locator('[data-chart="connections"] .recharts-surface')).toBeVisible({ timeout: 10_000 });
  await page.waitForTimeout(1500);
  await shoot(page, 'node-detail');
  await page.keyboard.press('Escape');
  await expect(detail).toBeHidden();
  await expect(page.getByRole('button', { name: /^gw-2, .*: open details$/ })).toBeFocused();
});

test('without the token the page shows no data, and opens no bridge', async ({ page }) => {
  const sockets: string[] = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  await page.goto(`${con.origin}/`);
  await expect(page.getByTestId('needs-link')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This page needs the link printed by switchboard serve');
  await page.waitForTimeout(1500);
  expect(sockets).toEqual([]);
  await expect(page.locator('table')).toHaveCount(0);
  await expect(page.getByTestId('fleet-nodes-up')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText('gw-1');
  await shoot(page, 'needs-link');
});

test('with a wrong token the console refuses the page, which shows no data', async ({ page }) => {
  await page.goto(`${con.origin}/#token=${'A'.repeat(43)}`);
  await expect(page.getByTestId('needs-link')).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId('needs-link')).toContainText('The console did not accept this page');
  await expect(page.locator('table')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText('gw-1');
});
