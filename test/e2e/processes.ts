import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

/** A child process of the tests, with its output kept and lines awaited. */
export class Proc {
  out = '';
  err = '';
  private readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (d: Buffer) => (this.out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (this.err += d.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Waits for stdout to match; fails with the process's own words if it exits first. */
  async waitFor(re: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(this.out);
      if (m) return m;
      if (this.child.exitCode !== null) throw new Error(`process exited (${this.child.exitCode}) before ${re}: ${this.err.slice(-2000)}`);
      if (Date.now() > end) throw new Error(`timed out waiting for ${re}; stdout: ${this.out.slice(-1000)} stderr: ${this.err.slice(-1000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(t);
  }
}

/** `node bin/switchboard.cjs <args>`, or a TypeScript file through bin/run-ts.cjs. */
export function run(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: 'pipe' });
  return new Proc(child);
}

/** What a serve process printed: the page URL (with the token) and its parts. */
export interface Console {
  url: string;
  origin: string;
  token: string;
}

export async function consoleUrl(p: Proc): Promise<Console> {
  const m = await p.waitFor(/Switchboard console: (http:\/\/[^/\s]+)\/#token=(\S+)/);
  return { url: `${m[1]}/#token=${m[2]}`, origin: m[1], token: m[2] };
}
