/**
 * bench:core — the console core's figures, each against a baseline in the same run:
 * our parser vs parse-prometheus-text-format and JSON.parse; the console ingesting
 * 200 light fake nodes (scrape at 1 s + event streams) vs a real Prometheus scraping
 * the same 200 targets at 1 s, over the same 60 s window. Last stdout line: one JSON object.
 */
import { spawn } from 'node:child_process';
import { children, forkTs, killChildren, message } from './benchChildren';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

async function main(): Promise<void> {
  log('parser…');
  const parser = await benchParser();
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-core-'));
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
  const consoleChild = forkTs(join(__dirname, 'coreConsole.ts'), [fleetFile]);
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
    // The console's own latency from a node event to the frame carrying it: ingest of
    // the event plus building and handing out the frame (sum of the two p99s: an upper
    // bound). Frames go out at most 10 times a second, so an event also waits for the
    // next frame slot: that deliberate wait is reported apart, as frameWait*.
    frameP99Ms: round(c.ingestP99Ms + c.frameBuildP99Ms),
    ingestP99Ms: round(c.ingestP99Ms),
    frameBuildP99Ms: round(c.frameBuildP99Ms),
    frameWaitP50Ms: round(c.frameLatencyP50Ms),
    frameWaitP99Ms: round(c.frameLatencyP99Ms),
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

function cleanup(): void {
  killChildren();
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
