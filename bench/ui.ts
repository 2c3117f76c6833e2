/**
 * bench:ui — the UI in real Chromium on serve mode, with 200 light fake nodes:
 * freshness (a node's vitals sent → the DOM shows the value), long tasks over 50 ms in a
 * 60 s window, and JS heap growth over BENCH_UI_HEAP_MINUTES (default 10) after a
 * forced GC at both ends. Last stdout line: one JSON object.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import type { Browser } from '@playwright/test';
import { startFakeFleet, writeFakeFleetFile } from './fakeFleet';

const NODES = Number(process.env.BENCH_NODES ?? 200);
const LONGTASK_WINDOW_S = Number(process.env.BENCH_UI_WINDOW_S ?? 60);
const HEAP_MINUTES = Number(process.env.BENCH_UI_HEAP_MINUTES ?? 10);
const MARKED = 'fake-1';
const log = (m: string) => process.stderr.write(`bench:ui ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

let serve: ChildProcess | undefined;
let browser: Browser | undefined;

function startServe(fleetFile: string): Promise<string> {
  return new Promise((resolve, reject) => {
    serve = spawn(process.execPath, ['bin/switchboard.cjs', 'serve', '--fleet', fleetFile, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'warn' } });
    let out = '';
    serve.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Switchboard console: (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    serve.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

async function main(): Promise<void> {
  const sent = new Map<number, number>();
  const fleet = await startFakeFleet(NODES, 'bench-ui-token', (node, sentAt, v) => {
    if (node === MARKED) sent.set(v.connections.ws, sentAt);
  });
  fleet.nodes[0].marker = true;
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-ui-'));
  const fleetFile = join(dir, 'fleet.json');
  writeFakeFleetFile(fleetFile, fleet);
  log(`${NODES} fake nodes; starting serve mode…`);
  const url = await startServe(fleetFile);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  // In-page scripts are strings: this file is typed for Node, not the DOM.
  await page.addInitScript(`
    window.__longTasks = [];
    window.__seen = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
      .observe({ type: 'longtask', buffered: true });
  `);
  await page.goto(url);
  const cell = `[data-testid="node-conn"][data-node="${MARKED}"]`;
  await page.waitForSelector(cell, { timeout: 30_000 });
  // Record every value the cell shows, at the moment it shows it.
  await page.evaluate(`(() => {
    const el = document.querySelector(${JSON.stringify(cell)});
    new MutationObserver(() => window.__seen.push([Date.now(), el.getAttribute('data-value') || '']))
      .observe(el, { attributes: true, attributeFilter: ['data-value'] });
  })()`);
  log('warming up 10 s…');
  await sleep(10_000);
  await page.evaluate('window.__longTasks = []; window.__seen = [];');
  log(`measuring freshness and long tasks for ${LONGTASK_WINDOW_S} s…`);
  await sleep(LONGTASK_WINDOW_S * 1000);
  const { longTasks, seen } = (await page.evaluate('({ longTasks: window.__longTasks, seen: window.__seen })')) as { longTasks: number[]; seen: [number, string][] };
  const freshness: number[] = [];
  for (const [shownAt, value] of seen) {
    const at = sent.get(Number(value));
    if (at !== undefined && shownAt >= at) freshness.push(shownAt - at);
  }
  freshness.sort((a, b) => a - b);

  const cdp = await page.context().newCDPSession(page);
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  const heap0 = await heap();
  log(`watching the heap for ${HEAP_MINUTES} min…`);
  await sleep(HEAP_MINUTES * 60_000);
  const heap1 = await heap();

  const result = {
    nodes: NODES,
    freshnessSamples: freshness.length,
    freshnessP50Ms: pct(freshness, 0.5) ?? null,
    freshnessP95Ms: pct(freshness, 0.95) ?? null,
    longTaskWindowSeconds: LONGTASK_WINDOW_S,
    longTasksOver50ms: longTasks.filter((d) => d > 50).length,
    longestTaskMs: longTasks.length ? Math.round(Math.max(...longTasks)) : 0,
    heapMinutes: HEAP_MINUTES,
    heapStartBytes: heap0,
    heapEndBytes: heap1,
    heapGrowthPct: Math.round(((heap1 - heap0) / heap0) * 10_000) / 100,
    chromium: browser.version(),
  };
  await fleet.stop();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function cleanup(): void {
  serve?.kill('SIGKILL');
  void browser?.close();
}
process.on('exit', () => serve?.kill('SIGKILL'));
main().then(
  async () => {
    await browser?.close();
    cleanup();
    process.exit(0);
  },
  (err: Error) => {
    log(`failed: ${err.message}`);
    cleanup();
    process.exit(1);
  },
);
