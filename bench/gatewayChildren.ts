/**
 * Child processes of the gateway bench: started through `bash -c 'ulimit -n …; exec node …'`
 * (10,000 sockets need more descriptors than some defaults allow), spoken to over IPC,
 * and all killed when the bench process exits, however it exits.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const REPO = resolve(__dirname, '..');
/** Every process the bench started and has not seen exit (children, redis-server). */
const live = new Set<ChildProcess>();
let hooked = false;

/** Kills every process still registered (SIGKILL: nothing of the bench is worth waiting for). */
export function killAll(): void {
  for (const p of live) {
    if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  }
  live.clear();
}

/** Pids of the bench's live processes, this one first. */
export function benchPids(): number[] {
  return [process.pid, ...[...live].map((p) => p.pid ?? -1).filter((pid) => pid > 0)];
}

/** Registers a process to be killed when the bench exits; installs the exit hooks once. */
export function track(p: ChildProcess): void {
  live.add(p);
  p.once('exit', () => live.delete(p));
  if (hooked) return;
  hooked = true;
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      process.stderr.write(`bench: ${sig}, stopping children\n`);
      killAll();
      process.exit(130);
    });
  }
}

/** Messages a child sends carry a `type`. */
export interface Typed {
  type: string;
}

/** A bench child process: `node [execArgv] bin/run-ts.cjs <script> [args]`, with IPC. */
export class BenchChild<Cmd extends object, Reply extends Typed> {
  readonly proc: ChildProcess;
  private readonly inbox: Reply[] = [];
  private waiters: Array<{ type: string; resolve: (r: Reply) => void; reject: (e: Error) => void }> = [];
  private exitError: Error | null = null;

  constructor(readonly label: string, script: string, args: readonly string[], execArgv: readonly string[] = [], fdLimit = 65_536) {
    // bash raises the soft descriptor limit as far as allowed, then becomes node (exec: same pid).
    const sh = 'ulimit -n "$0" 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$@"';
    this.proc = spawn('bash', ['-c', sh, String(fdLimit), process.execPath, ...execArgv, 'bin/run-ts.cjs', script, ...args], {
      cwd: REPO,
      // Child stdout goes to our stderr: the bench's stdout carries only the final JSON.
      stdio: ['ignore', 2, 2, 'ipc'],
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    track(this.proc);
    this.proc.on('error', (err) => process.stderr.write(`[gateway bench] ${label}: ${err.message}\n`));
    this.proc.on('message', (m: Reply) => {
      // A child reports a failed command as { type: 'error', message }: every waiter fails with it.
      if (m.type === 'error') {
        const err = new Error(`${label}: ${(m as { message?: unknown }).message}`);
        const waiting = this.waiters;
        this.waiters = [];
        for (const w of waiting) w.reject(err);
        if (waiting.length === 0) this.inbox.push(m);
        return;
      }
      const i = this.waiters.findIndex((w) => w.type === m.type);
      if (i >= 0) {
        const [w] = this.waiters.splice(i, 1);
        w.resolve(m);
      } else this.inbox.push(m);
    });
    this.proc.once('exit', (code, signal) => {
      this.exitError = new Error(`${label} exited (code ${code}, signal ${signal})`);
    });
  }

  get pid(): number {
    return this.proc.pid ?? -1;
  }

  /** Sends a command; a child that is gone is not an error here (its replies will not come). */
  send(cmd: Cmd): void {
    if (this.proc.connected) this.proc.send(cmd);
  }

  /** The next reply of `type` (one already received, or the next to come), or an error after `timeoutMs`. */
  next<T extends Reply['type']>(type: T, timeoutMs: number): Promise<Extract<Reply, { type: T }>> {
    const e = this.inbox.findIndex((m) => m.type === 'error');
    if (e >= 0) return Promise.reject(new Error(`${this.label}: ${(this.inbox.splice(e, 1)[0] as { message?: unknown }).message}`));
    const i = this.inbox.findIndex((m) => m.type === type);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0] as Extract<Reply, { type: T }>);
    return new Promise((resolveReply, reject) => {
      if (this.exitError) return reject(this.exitError);
      const waiter = {
        type,
        resolve: (r: Reply) => {
          clearTimeout(timer);
          this.proc.off('exit', onExit);
          resolveReply(r as Extract<Reply, { type: T }>);
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          this.proc.off('exit', onExit);
          reject(e);
        },
      };
      const onExit = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(this.exitError ?? new Error(`${this.label} exited`));
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        this.proc.off('exit', onExit);
        reject(new Error(`${this.label}: no "${type}" reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
      this.proc.once('exit', onExit);
    });
  }

  /** Sends `cmd` and waits for the reply of `type`. */
  ask<T extends Reply['type']>(cmd: Cmd, type: T, timeoutMs: number): Promise<Extract<Reply, { type: T }>> {
    const reply = this.next(type, timeoutMs);
    this.send(cmd);
    return reply;
  }

  /** Resolves once the process has exited; SIGKILL after `graceMs`. */
  stopped(graceMs = 5000): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return Promise.resolve();
    return new Promise((resolveStop) => {
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
      this.proc.once('exit', () => {
        clearTimeout(timer);
        resolveStop();
      });
    });
  }

  kill(): Promise<void> {
    const done = this.stopped(0);
    this.proc.kill('SIGKILL');
    return done;
  }
}

/** `node bin/run-ts.cjs <script>` path relative to the repo. */
export const benchScript = (name: string): string => `bench/${name}`;
