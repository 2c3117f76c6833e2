/**
 * bench:scale — 1,000 light fake nodes (one process, many ports) scraped by a real
 * Prometheus every 5 s through a file_sd file; the console in Prometheus mode (hybrid:
 * the 25 nodes "on screen" stream their events directly), then the console scraping and
 * streaming every node itself, same size, for comparison. Each console runs in its own
 * process, so its CPU and RSS are its own. Last stdout line: one JSON object.
 *
 * Figures: `consoleCpuPct` (CPU seconds / wall seconds of the console process, % of one
 * core), `rssBytes` (its largest RSS in the window), `queryP95Ms` (one /api/v1/query, sent
 * to parsed), `freshnessP95Ms` (once a second, for every node: now − the time of the
 * figures the console shows; Prometheus mode: when Prometheus scraped them), and the same
 * for direct mode (`scrapeP95Ms` instead of queries).
 *
 * BENCH_NODES (default 1000), BENCH_WINDOW_S (default 90) change the size and window.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { children, forkTs, killChildren, message } from './benchChildren';

const NODES = Number(process.env.BENCH_NODES ?? 1000);
const WINDOW_S = Number(process.env.BENCH_WINDOW_S ?? 90);
const WARMUP_S = 15;
const SCRAPE_S = 5;
const FOCUS = 25;
/** Targets of the issue: Prometheus mode at 1,000 nodes. */
const TARGET_CPU_PCT = 25;
const TARGET_RSS_BYTES = 500 * 1024 * 1024;
const log = (m: string) => process.stderr.write(`bench:scale ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** utime + stime of a process, seconds (from /proc; clock ticks are 100 Hz on Linux). */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function upTargets(url: string): Promise<number> {
  try {
    const body = (await (await fetch(`${url}/api/v1/targets?state=active`)).json()) as { data: { activeTargets: { health: string }[] } };
    return body.data.activeTargets.filter((t) => t.health === 'up').length;
  } catch {
    return 0;
  }
}

type Figures = Record<string, number | null>;

/** Runs one console child through warm-up and the measured window; its figures plus Prometheus' over the window. */
async function measure(name: string, args: string[], prom: ChildProcess): Promise<{ c: Figures; promCpuPct: number; promRss: number }> {
  log(`${name}: starting the console…`);
  const child = forkTs(join(__dirname, 'scaleConsole.ts'), args);
  await message<{ ready?: boolean }>(child, (m) => m.ready === true, 120_000);
  log(`${name}: warming up ${WARMUP_S} s…`);
  await sleep(WARMUP_S * 1000);
  child.send({ cmd: 'begin' });
  await message<{ begun?: boolean }>(child, (m) => m.begun === true);
  const promCpu0 = cpuSecondsOf(prom.pid!);
  const t0 = Date.now();
  log(`${name}: measuring ${WINDOW_S} s…`);
  await sleep(WINDOW_S * 1000);
  const promCpuPct = ((cpuSecondsOf(prom.pid!) - promCpu0) / ((Date.now() - t0) / 1000)) * 100;
  const promRss = rssOf(prom.pid!);
  child.send({ cmd: 'end' });
  const c = await message<Figures>(child, (m) => 'cpuSeconds' in m, 60_000);
  await new Promise((r) => {
    if (child.exitCode !== null) return r(null);
    const t = setTimeout(r, 10_000);
    child.once('exit', () => r(clearTimeout(t)));
  });
  return { c, promCpuPct, promRss };
}

const pct = (cpuSeconds: number | null, wall: number | null) => (cpuSeconds === null || wall === null ? null : Math.round((cpuSeconds / wall) * 1000) / 10);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-scale-'));
  const fleetFile = join(dir, 'fleet.json');
  const token = 'bench-read-token';
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, token);
  log(`starting ${NODES} fake nodes…`);
  const fleet = forkTs(join(__dirname, 'fakeFleet.ts'), ['--nodes', String(NODES), '--fleet-file', fleetFile, '--token', token]);
  await message<{ ready?: boolean }>(fleet, (m) => m.ready === true, 120_000);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(join(dir, 'prometheus.yml'), [
    'global:', `  scrape_interval: ${SCRAPE_S}s`, `  scrape_timeout: ${SCRAPE_S}s`,
    'scrape_configs:', '  - job_name: fleet', '    authorization:', `      credentials_file: ${tokenFile}`,
    '    file_sd_configs:', `      - files: ['${fleetFile}']`, '',
  ].join('\n'));
  log('starting Prometheus…');
  const prom = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(prom);
  const until = Date.now() + 120_000;
  let up = 0;
  while ((up = await upTargets(url)) < NODES && Date.now() < until) await sleep(1000);
  log(`Prometheus scrapes ${up} targets; letting it collect a few scrapes…`);
  await sleep(4 * SCRAPE_S * 1000);

  const p = await measure('prometheus mode', ['prometheus', url, 'fleet', String(FOCUS), tokenFile], prom);
  const d = await measure('direct mode', ['direct', fleetFile], prom);

  const consoleCpuPct = pct(p.c.cpuSeconds, p.c.wallSeconds);
  const result = {
    nodes: p.c.nodes,
    consoleCpuPct,
    rssBytes: p.c.rssMaxBytes,
    queryP95Ms: p.c.queryP95Ms,
    freshnessP95Ms: p.c.freshnessP95Ms,
    nodesUp: p.c.nodesUp,
    roundP95Ms: p.c.roundP95Ms,
    queries: p.c.queries,
    focusStreams: p.c.focusStreams,
    backfillPoints: p.c.backfillPoints,
    storeBytes: p.c.storeBytes,
    frames: p.c.frames,
    direct: {
      nodes: d.c.nodes,
      consoleCpuPct: pct(d.c.cpuSeconds, d.c.wallSeconds),
      rssBytes: d.c.rssMaxBytes,
      scrapeP95Ms: d.c.scrapeP95Ms,
      freshnessP95Ms: d.c.freshnessP95Ms,
      nodesUp: d.c.nodesUp,
      streamsOpen: d.c.streamsOpen,
      storeBytes: d.c.storeBytes,
    },
    prometheus: { targetsUp: up, scrapeIntervalS: SCRAPE_S, cpuPct: Math.round(p.promCpuPct * 10) / 10, rssBytes: p.promRss },
    targets: { consoleCpuPct: TARGET_CPU_PCT, rssBytes: TARGET_RSS_BYTES },
    withinTargets: consoleCpuPct !== null && consoleCpuPct < TARGET_CPU_PCT && (p.c.rssMaxBytes ?? Infinity) < TARGET_RSS_BYTES,
    windowS: WINDOW_S,
    node: process.version,
  };
  killChildren();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

process.on('exit', killChildren);
main().then(
  () => process.exit(0),
  (err: Error) => {
    log(`failed: ${err.message}`);
    killChildren();
    process.exit(1);
  },
);
