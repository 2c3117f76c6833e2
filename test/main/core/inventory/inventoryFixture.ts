import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InventorySource, InventoryStatus } from '../../../../src/main/core/inventory';
import { freePort, waitFor } from '../../../helpers/ports';

/** A fresh temp folder. */
export function tempDir(prefix = 'sb-inv-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Replaces `file` the way editors and our writer do: write a temp file, rename over. */
export function atomicWrite(file: string, text: string): void {
  const tmp = `${file}.edit.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/**
 * Resolves with the first status passed to `onChange` that satisfies `pred`, or rejects
 * after `timeoutMs`. Subscribe BEFORE causing the change.
 */
export function nextChange(source: InventorySource, pred: (s: InventoryStatus) => boolean, timeoutMs = 1000): Promise<InventoryStatus> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no matching onChange within ${timeoutMs} ms; status now ${JSON.stringify(source.status)}`));
    }, timeoutMs);
    const off = source.onChange((s) => {
      if (!pred(s)) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
  });
}

/** Records every status an InventorySource reports. */
export function recordChanges(source: InventorySource): InventoryStatus[] {
  const seen: InventoryStatus[] = [];
  source.onChange((s) => seen.push(s));
  return seen;
}

/** A node:http server on 127.0.0.1 with a free port. */
export async function startHttp(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; port: number; url: string; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A tiny node that answers /metrics like a gateway's ops port. */
export function startMetricsNode(nodeId: string): ReturnType<typeof startHttp> {
  return startHttp((req, res) => {
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(`# TYPE up_node gauge\nup_node{node_id="${nodeId}"} 1\n`);
    } else {
      res.writeHead(404).end();
    }
  });
}

export interface PrometheusHandle {
  url: string;
  port: number;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the real Prometheus (Debian package) on a free port with `configYaml`; waits for /-/ready. */
export async function startPrometheus(dir: string, configYaml: string): Promise<PrometheusHandle> {
  const port = await freePort();
  writeFileSync(join(dir, 'prometheus.yml'), configYaml);
  let log = '';
  const proc = spawn(
    '/usr/bin/prometheus',
    [`--web.listen-address=127.0.0.1:${port}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--config.file=${join(dir, 'prometheus.yml')}`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  proc.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const spawnError = new Promise<never>((_, reject) => proc.once('error', (err) => reject(new Error(`prometheus could not be started: ${err.message}`))));
  const url = `http://127.0.0.1:${port}`;
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  try {
    await Promise.race([
      spawnError,
      waitFor(
        async () => {
          if (proc.exitCode !== null) throw new Error(`prometheus exited ${proc.exitCode}: ${log.slice(-2000)}`);
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
  return { url, port, proc, stop };
}
