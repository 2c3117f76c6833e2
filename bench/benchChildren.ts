/**
 * Child processes of a benchmark: TypeScript scripts forked with an IPC channel, a typed
 * wait for a message, and one list so every child is killed however the bench ends.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** Every child started by this benchmark (add others, e.g. a spawned server, too). */
export const children: ChildProcess[] = [];

/** Forks `file` (TypeScript) through bin/run-ts.cjs with an IPC channel. */
export function forkTs(file: string, args: string[]): ChildProcess {
  const c = fork(join(__dirname, '..', 'bin', 'run-ts.cjs'), [file, ...args], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(c);
  return c;
}

/** The first message from `c` that satisfies `pred`; rejects on timeout or if the child exits. */
export function message<T>(c: ChildProcess, pred: (m: T) => boolean, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('child did not answer in time')), timeoutMs);
    const on = (m: T) => {
      if (!pred(m)) return;
      clearTimeout(t);
      c.off('message', on);
      resolve(m);
    };
    c.on('message', on);
    c.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
  });
}

/** Kills every child still running. */
export function killChildren(): void {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
}
