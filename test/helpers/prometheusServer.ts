import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from './ports';

/** One scrape job of the test Prometheus. */
export interface ScrapeJob {
  name: string;
  /** A Prometheus file_sd file (e.g. the demo fleet's), re-read every second. */
  fileSd?: string;
  /** host:port targets. */
  targets?: string[];
  /** File holding the bearer token Prometheus sends to the targets. */
  bearerTokenFile?: string;
}

export interface PrometheusServer {
  url: string;
  port: number;
  proc: ChildProcess;
  /** The temporary folder (config, TSDB); removed by stop(). */
  dir: string;
  /** Active targets of the targets API whose health is "up". */
  upTargets(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts the real Prometheus (Debian's /usr/bin/prometheus) on a free port of 127.0.0.1
 * with a temporary config and TSDB, scraping `jobs` every `scrapeIntervalSec` (default 1);
 * waits for /-/ready. stop() kills it and removes its folder.
 */
export async function startPrometheusServer(jobs: readonly ScrapeJob[], scrapeIntervalSec = 1): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-prometheus-'));
  const port = await freePort();
  const lines = ['global:', `  scrape_interval: ${scrapeIntervalSec}s`, `  scrape_timeout: ${scrapeIntervalSec}s`, 'scrape_configs:'];
  for (const j of jobs) {
    lines.push(`  - job_name: ${JSON.stringify(j.name)}`);
    if (j.bearerTokenFile) lines.push('    authorization:', '      type: Bearer', `      credentials_file: ${JSON.stringify(j.bearerTokenFile)}`);
    if (j.fileSd) lines.push('    file_sd_configs:', `      - files: [${JSON.stringify(j.fileSd)}]`, '        refresh_interval: 1s');
    if (j.targets) lines.push('    static_configs:', `      - targets: [${j.targets.map((t) => JSON.stringify(t)).join(', ')}]`);
  }
  writeFileSync(join(dir, 'prometheus.yml'), `${lines.join('\n')}\n`);
  let log = '';
  const proc = spawn(
    '/usr/bin/prometheus',
    [`--web.listen-address=127.0.0.1:${port}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--config.file=${join(dir, 'prometheus.yml')}`, '--log.level=warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  proc.stdout?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  proc.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const spawnError = new Promise<never>((_, reject) => proc.once('error', (err) => reject(new Error(`prometheus could not be started: ${err.message}`))));
  try {
    await Promise.race([
      spawnError,
      waitFor(
        async () => {
          if (proc.exitCode !== null) throw new Error(`prometheus exited ${proc.exitCode}: ${log}`);
          const res = await fetch(`${url}/-/ready`).catch(() => null);
          return res?.status === 200;
        },
        20_000,
        'prometheus /-/ready',
      ),
    ]);
  } catch (err) {
    await stop();
    throw err;
  }
  const upTargets = async (): Promise<number> => {
    const body = (await (await fetch(`${url}/api/v1/targets?state=active`)).json()) as { data: { activeTargets: { health: string }[] } };
    return body.data.activeTargets.filter((t) => t.health === 'up').length;
  };
  return { url, port, proc, dir, upTargets, stop };
}
