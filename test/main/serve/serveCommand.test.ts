import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/ports';
import { BridgeClient, fakeRenderer } from './serveFixture';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const site = fakeRenderer();
const children: ChildProcess[] = [];

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** Runs `node bin/switchboard.cjs serve ...args` as an operator would. */
function serve(...args: string[]): Run {
  const child = spawn(process.execPath, ['bin/switchboard.cjs', 'serve', ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn' } });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

/** Exit code 2, nothing on stdout, exactly one line on stderr, no stack. */
async function expectOneLineError(run: Run): Promise<string> {
  expect(await run.exit).toBe(2);
  expect(run.stdout()).toBe('');
  const err = run.stderr();
  expect(err.endsWith('\n')).toBe(true);
  expect(err.slice(0, -1)).not.toContain('\n');
  expect(err).not.toMatch(/\bat .*\(|\bat [\w./]+:\d+/);
  return err.slice(0, -1);
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(site.root, { recursive: true, force: true });
});

describe('switchboard serve', () => {
  it('--demo prints one line with the URL; the page loads and the bridge carries frames of the 3 demo nodes; SIGTERM stops it cleanly', async () => {
    const run = serve('--demo', '--port', '0', '--renderer-dir', site.rendererDir);
    const line = await waitFor(() => (run.stdout().includes('\n') ? run.stdout() : null), 20_000, 'the console line');
    const m = /^Switchboard console: http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]{43})\n$/.exec(line);
    expect(m, line).not.toBeNull();
    const port = Number(m![1]);
    const token = m![2];

    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(site.indexHtml);

    const c = await BridgeClient.connect(port, { protocols: [`switchboard.${token}`] });
    const f = await c.waitFrame((x) => x.nodes.length === 3, 20_000, 'a frame with the three demo nodes');
    expect(f.nodes.map((n) => n.id)).toEqual(['gw-1', 'gw-2', 'gw-3']);
    expect(f.source.kind).toBe('live');
    const inv = await c.call('getInventory');
    expect(inv.ok && (inv.value as { targets: unknown[] }).targets.length).toBe(3);

    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(await c.waitClose()).toBe(1001);
    // Only the one line on stdout, from start to stop.
    expect(run.stdout()).toBe(line);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  }, 60_000);

  it('with no fleet, serves an empty console whose frames say so', async () => {
    const run = serve('--port', '0', '--renderer-dir', site.rendererDir);
    const line = await waitFor(() => (run.stdout().includes('\n') ? run.stdout() : null), 15_000, 'the console line');
    const [, port, token] = /:(\d+)\/#token=(\S+)\n$/.exec(line)!;
    const c = await BridgeClient.connect(Number(port), { protocols: [`switchboard.${token}`] });
    const f = await c.waitFrame(() => true, 5000);
    expect(f.source.kind).toBe('none');
    expect(f.nodes).toEqual([]);
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
  }, 30_000);

  it('exits 2 with one line when the port is in use', async () => {
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const line = await expectOneLineError(serve('--port', String(port), '--renderer-dir', site.rendererDir));
      expect(line).toBe(`switchboard: port ${port} on 127.0.0.1 is in use; pick another with --port (0 = any free port)`);
    } finally {
      busy.close();
    }
  }, 30_000);

  it('exits 2 with one line for a renderer dir without a build, and for two sources at once', async () => {
    const empty = path.join(site.root, 'no-build');
    const line = await expectOneLineError(serve('--port', '0', '--renderer-dir', empty));
    expect(line).toContain(`no renderer build in ${empty} (no index.html)`);
    expect(line).toContain('npx electron-vite build');
    const two = await expectOneLineError(serve('--demo', '--fleet', 'x.json', '--renderer-dir', site.rendererDir));
    expect(two).toBe('switchboard: give one of --demo, --fleet, --static, --prometheus (got --demo and --fleet)');
  }, 30_000);
});
