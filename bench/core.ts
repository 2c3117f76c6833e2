/**
 * bench:core — the console core's figures, each against a baseline in the same run:
 * our parser vs parse-prometheus-text-format and JSON.parse; the console ingesting
 * 200 light fake nodes (scrape at 1 s + event streams) vs a real Prometheus scraping
 * the same 200 targets at 1 s, over the same 60 s window. Last stdout line: one JSON object.
 */
import { fork, spawn } from 'node:child_process';
import { children, forkTs, killChildren, message } from './benchChildren';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchParser } from './parser';

const NODES = Number(process.env.BENCH_NODES ?? 200);
const WINDOW_S = Number(process.env.BENCH_WINDOW_S ?? 60);
const WARMUP_S = 10;
const log = (m: string) => process.stderr.write(`bench:core ${m}\n`);


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

/**
 * The console child, with the console's own runtime flags. BENCH_CORE_CONSOLE_ARGS adds
 * node options for it (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it; the
 * profile is written when it exits at the end of the window).
 */
function forkConsole(fleetFile: string) {
  const extra = (process.env.BENCH_CORE_CONSOLE_ARGS ?? '').split(' ').filter(Boolean);
  const c = fork(join(__dirname, '..', 'bin', 'run-ts.cjs'), [join(__dirname, 'coreConsole.ts'), fleetFile], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: extra });
  children.push(c);
  return c;
}

async function main(): Promise<void> {
  log('parser…');
  // BENCH_CORE_SKIP_PARSER=1 leaves the parser figures out (quicker runs while profiling the ingest).
  const parser = process.env.BENCH_CORE_SKIP_PARSER ? {} : await benchParser();
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-core-'));
  workDir = dir;
  const fleetFile = join(dir, 'fleet.json');
  const token = 'bench-read-token';
  log(`starting ${NODES} fake nodes…`);
  const fleet = forkTs(join(__dirname, 'fakeFleet.ts'), ['--nodes', String(NODES), '--fleet-file', fleetFile, '--token', token]);
  await message<{ ready?: boolean }>(fleet, (m) => m.ready === true);

  writeFileSync(join(dir, 'token'), token);
  writeFileSync(join(dir, 'prometheus.yml'), [
    'global:', '  scrape_interval: 1s', '  scrape_timeout: 1s',
    'scrape_configs:', '  - job_name: fleet', '    authorization:', `      credentials_file: ${join(dir, 'token')}`,
    '    file_sd_configs:', `      - files: ['${fleetFile}']`, '',
  ].join('\n'));
  const prom = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, '--web.listen-address=127.0.0.1:0', '--log.level=warn'], { stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(prom);
  log('starting the console…');
  const consoleChild = forkConsole(fleetFile);
  await message<{ ready?: boolean }>(consoleChild, (m) => m.ready === true);
  log(`warming up ${WARMUP_S} s…`);
  await new Promise((r) => setTimeout(r, WARMUP_S * 1000));

  const promCpu0 = cpuSecondsOf(prom.pid!);
  consoleChild.send({ cmd: 'begin' });
  await message<{ begun?: boolean }>(consoleChild, (m) => m.begun === true);
  log(`measuring ${WINDOW_S} s…`);
  await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
  const promCpu = cpuSecondsOf(prom.pid!) - promCpu0;
  const promRss = rssOf(prom.pid!);
  consoleChild.send({ cmd: 'end' });
  const c = await message<Record<string, number>>(consoleChild, (m) => 'cpuSeconds' in m);
  // Let the console stop by itself (and write its profile, when asked for one).
  await new Promise((r) => {
    if (consoleChild.exitCode !== null) return r(null);
    const t = setTimeout(r, 10_000);
    consoleChild.once('exit', () => r(clearTimeout(t)));
  });

  const result = {
    ...parser,
    ingestTargets: NODES,
    windowSeconds: WINDOW_S,
    scrapeIntervalMs: 1000,
    consoleCpuSeconds: round(c.cpuSeconds),
    prometheusCpuSeconds: round(promCpu),
    consoleVsPrometheusCpu: round(c.cpuSeconds / promCpu),
    rssBytes: c.rssBytes,
    prometheusRssBytes: promRss,
    heapUsedBytes: c.heapUsedBytes,
    heapTotalBytes: c.heapTotalBytes,
    arrayBuffersBytes: c.arrayBuffersBytes,
    // Node event in → frame out, per event (p99 over every vitals event of the window):
    // from the console starting to ingest the event to the frame that carries it being
    // handed to a subscriber. Frames go out at most 10 times a second, so under 200
    // nodes' continuous events this is mostly the wait for the next frame slot; the two
    // parts are reported apart: the console's own work for the event (its ingest, then
    // building and handing out its frame) and that slot wait.
    frameP99Ms: round(c.eventToFrameP99Ms),
    frameP50Ms: round(c.eventToFrameP50Ms),
    frameOwnWorkP99Ms: round(c.ownWorkP99Ms),
    frameOwnWorkP50Ms: round(c.ownWorkP50Ms),
    frameSlotWaitP99Ms: round(c.slotWaitP99Ms),
    frameSlotWaitP50Ms: round(c.slotWaitP50Ms),
    ingestP99Ms: round(c.ingestP99Ms),
    frameBuildP99Ms: round(c.frameBuildP99Ms),
    events: c.events,
    frames: c.frames,
    nodesUp: c.nodesUp,
    scrapesOk: c.scrapesOk,
    streamsOpen: c.streamsOpen,
    storeSeries: c.storeSeries,
    storeBytes: c.storeBytes,
    node: process.version,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The run's temporary folder (fleet file, Prometheus' TSDB), removed at the end. */
let workDir: string | null = null;

function cleanup(): void {
  killChildren();
  if (workDir !== null) rmSync(workDir, { recursive: true, force: true });
  workDir = null;
}
process.on('exit', cleanup);
main().then(
  () => {
    cleanup();
    process.exit(0);
  },
  (err: Error) => {
    log(`failed: ${err.message}`);
    cleanup();
    process.exit(1);
  },
);
