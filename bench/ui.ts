/**
 * bench:ui — the UI in real Chromium on serve mode, with 200 light fake nodes:
 * freshness (a node's vitals sent → the DOM shows the value), long tasks over 50 ms in a
 * 60 s window, and JS heap growth over BENCH_UI_HEAP_MINUTES (default 10) after a
 * forced GC at both ends. Last stdout line: one JSON object.
 *
 * Long tasks, freshness and the heap are measured after a warm-up of BENCH_UI_WARMUP_S
 * (default 330) from the console's start (`warmupSeconds` in the output): the charts show
 * the default range, 5 minutes (CHART_RANGES[0] in the renderer's live store), and a young
 * console has less history than that, so each chart's points grow until the console is
 * 300 s old, then stay level. That is the steady state to measure: the charts are at their
 * heaviest to draw, and the heap no longer grows by the fill alone (recharts' chart points:
 * 2,537 at 100 s, 8,894 at 345 s; measured from 70 s the heap "grew" ~25% by that fill).
 * The other buffers fill sooner (sparklines: 60 s; the timeline list is capped), except
 * recharts' text-size cache (an LRU of 2,000 labels, ~2 new a second: ~1% of the heap).
 *
 * Long tasks: BENCH_UI_PROFILE=dir saves a Chromium trace of the long-task window (every
 * main-thread task with its thread CPU time, style, layout, paint and layerize, GC, JS
 * samples) to attribute them. Tasks of a few milliseconds of CPU become "long" when the
 * machine is busy (the main thread waits for a core mid-task): compare thread CPU, not
 * wall time, and note the load.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import type { Browser, Page } from '@playwright/test';
import { startFakeFleet, writeFakeFleetFile } from './fakeFleet';
import type { FakeFleet } from './fakeFleet';

const NODES = Number(process.env.BENCH_NODES ?? 200);
const LONGTASK_WINDOW_S = Number(process.env.BENCH_UI_WINDOW_S ?? 60);
const HEAP_MINUTES = Number(process.env.BENCH_UI_HEAP_MINUTES ?? 10);
/** The default chart range (300 s) filling, plus 30 s; see the header. */
const WARMUP_S = Number(process.env.BENCH_UI_WARMUP_S ?? 330);
const MARKED = 'fake-1';
/**
 * BENCH_UI_PROFILE=dir: a Chromium trace of the long-task window (ui-trace.json: tasks,
 * GC, style and layout, and JS samples; open it in DevTools' Performance panel) and the
 * long tasks seen (longtasks.json: [startTime, duration] in the page's clock) go there.
 */
const PROFILE_DIR = process.env.BENCH_UI_PROFILE;
export const log = (m: string) => process.stderr.write(`bench:ui ${m}\n`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

let serve: ChildProcess | undefined;
let browser: Browser | undefined;

function startServe(fleetFile: string): Promise<string> {
  // BENCH_UI_RENDERER_DIR: another renderer build than out/renderer (e.g. to compare two builds).
  const rendererDir = process.env.BENCH_UI_RENDERER_DIR ? ['--renderer-dir', process.env.BENCH_UI_RENDERER_DIR] : [];
  return new Promise((resolve, reject) => {
    serve = spawn(process.execPath, ['bin/switchboard.cjs', 'serve', '--fleet', fleetFile, '--port', '0', ...rendererDir], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'warn' } });
    let out = '';
    serve.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Switchboard console: (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    serve.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
}

export interface OpenConsole {
  page: Page;
  browser: Browser;
  fleet: FakeFleet;
  /** The marked node's connection count (unique per vitals event) → when it was sent. */
  sent: Map<number, number>;
  /** The marked node's connection cell in the node table. */
  cell: string;
  /** When serve mode said it was up (Date.now()): the console's history starts about then. */
  startedAt: number;
}

/** Starts NODES fake nodes, serve mode on them and Chromium, and opens the console until the marked node's row shows. */
export async function openConsole(): Promise<OpenConsole> {
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
  const startedAt = Date.now();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  // In-page scripts are strings: this file is typed for Node, not the DOM.
  await page.addInitScript(`
    window.__longTasks = [];
    window.__seen = [];
    window.__longTaskAt = [];
    window.__probes = [new PerformanceObserver((list) => { for (const e of list.getEntries()) { window.__longTasks.push(e.duration); window.__longTaskAt.push([e.startTime, e.duration]); } })];
    window.__probes[0].observe({ type: 'longtask', buffered: true });
  `);
  await page.goto(url);
  const cell = `[data-testid="node-conn"][data-node="${MARKED}"]`;
  await page.waitForSelector(cell, { timeout: 30_000 });
  return { page, browser, fleet, sent, cell, startedAt };
}

/** Stops the page-side recorders (long tasks, the cell's values), so they do not grow in the heap being watched. */
export async function stopProbes(page: Page): Promise<void> {
  await page.evaluate('for (const p of window.__probes) p.disconnect(); window.__longTasks = []; window.__longTaskAt = []; window.__seen = [];');
}

/** Runs a bench body with the console open; prints its result as the last stdout line, stops everything, exits. */
export function runBench(body: () => Promise<object>): void {
  const cleanup = () => {
    serve?.kill('SIGKILL');
    void browser?.close();
  };
  process.on('exit', () => serve?.kill('SIGKILL'));
  body().then(
    async (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
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
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

async function main(): Promise<object> {
  const { page, browser, fleet, sent, cell, startedAt } = await openConsole();
  // Record every value the cell shows, at the moment it shows it.
  await page.evaluate(`(() => {
    const el = document.querySelector(${JSON.stringify(cell)});
    const mo = new MutationObserver(() => window.__seen.push([Date.now(), el.getAttribute('data-value') || '']));
    mo.observe(el, { attributes: true, attributeFilter: ['data-value'] });
    window.__probes.push(mo);
  })()`);
  // Long tasks and freshness are measured on a console in its steady state: every chart
  // holds its full window (the heaviest drawing), as on a console that has been open a while.
  const warmLeft = Math.max(10_000, startedAt + WARMUP_S * 1000 - Date.now());
  log(`warming up until the console is ${WARMUP_S} s old (${Math.round(warmLeft / 1000)} s more)…`);
  await sleep(warmLeft);
  const cdp = await page.context().newCDPSession(page);
  if (PROFILE_DIR) {
    mkdirSync(PROFILE_DIR, { recursive: true });
    const categories = (process.env.BENCH_UI_TRACE_CATEGORIES ?? 'toplevel,devtools.timeline,disabled-by-default-devtools.timeline,v8,v8.execute,disabled-by-default-v8.cpu_profiler,blink.user_timing,loading').split(',');
    await browser.startTracing(page, { path: join(PROFILE_DIR, 'ui-trace.json'), categories });
  }
  await page.evaluate('window.__longTasks = []; window.__longTaskAt = []; window.__seen = []; window.__windowStart = performance.now();');
  log(`measuring freshness and long tasks for ${LONGTASK_WINDOW_S} s…`);
  const loadBefore = loadavg()[0];
  await sleep(LONGTASK_WINDOW_S * 1000);
  const loadAfter = loadavg()[0];
  if (PROFILE_DIR) {
    await browser.stopTracing();
    writeFileSync(join(PROFILE_DIR, 'longtasks.json'), JSON.stringify(await page.evaluate('({ windowStart: window.__windowStart, tasks: window.__longTaskAt })')));
    log(`profile of the window written to ${PROFILE_DIR}`);
  }
  const { longTasks, seen } = (await page.evaluate('({ longTasks: window.__longTasks, seen: window.__seen })')) as { longTasks: number[]; seen: [number, string][] };
  const freshness: number[] = [];
  for (const [shownAt, value] of seen) {
    const at = sent.get(Number(value));
    if (at !== undefined && shownAt >= at) freshness.push(shownAt - at);
  }
  freshness.sort((a, b) => a - b);
  await stopProbes(page);

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
    // The machine's 1-min load average around the window: long tasks depend on it (see the header).
    loadAvgAtWindow: [Math.round(loadBefore * 100) / 100, Math.round(loadAfter * 100) / 100],
    warmupSeconds: WARMUP_S,
    heapMinutes: HEAP_MINUTES,
    heapStartBytes: heap0,
    heapEndBytes: heap1,
    heapGrowthPct: Math.round(((heap1 - heap0) / heap0) * 10_000) / 100,
    chromium: browser.version(),
  };
  await fleet.stop();
  return result;
}

if (require.main === module) runBench(main);
