import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayNode } from '../../../src/fleet/gateway';
import { publish, startNodes, stopNodes, wsUrl } from '../../helpers/gatewayFixture';
import { freePort, waitFor } from '../../helpers/ports';
import { startRedis } from '../../helpers/redisServer';
import type { RedisHandle } from '../../helpers/redisServer';
import { WsProbe, range } from '../../helpers/wsProbe';

let redis: RedisHandle;
let nodes: GatewayNode[] = [];
let child: ChildProcess | undefined;
const dir = mkdtempSync(join(tmpdir(), 'sb-cli-'));
writeFileSync(join(dir, 'admin'), 'adm\n');

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await stopNodes(nodes);
  await redis.stop();
});

/** Runs `switchboard gateway` as a real process, the way a supervisor would. */
async function spawnGateway(args: string[]): Promise<{ proc: ChildProcess; port: number; opsPort: number }> {
  const [port, opsPort] = [await freePort(), await freePort()];
  const proc = spawn(process.execPath, ['bin/switchboard.cjs', 'gateway', '--port', String(port), '--ops-port', String(opsPort), '--admin-token-file', join(dir, 'admin'), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'silent' } });
  await waitFor(() => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false), 20_000, 'the gateway process');
  return { proc, port, opsPort };
}

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['bin/switchboard.cjs', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SWITCHBOARD_ADMIN_TOKEN: '', ...env } });
    let stderr = '';
    let stdout = '';
    p.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    p.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    p.on('exit', (code) => resolve({ code, stderr, stdout }));
  });
}

describe('a gateway process killed with SIGKILL', () => {
  it('its clients resume on another node with no loss, duplicate or reordering', async () => {
    const g = await spawnGateway(['--node-id', 'gw-doomed', '--redis', redis.url]);
    child = g.proc;
    nodes = await startNodes(1, { redisUrl: redis.url });
    const p = new WsProbe(`ws://127.0.0.1:${g.port}/ws?user=v`);
    await p.opened;
    p.send({ type: 'subscribe', channel: 'kill' });
    await p.waitFrame((f) => f.type === 'subscribed');
    let n = 0;
    for (; n < 10; n++) await publish(nodes[0], 'kill', n);
    await waitFor(() => p.seqs('kill').length === 10);
    g.proc.kill('SIGKILL');
    await p.waitClosed();
    for (; n < 25; n++) await publish(nodes[0], 'kill', n);
    const q = new WsProbe(wsUrl(nodes[0], 'v'));
    await q.opened;
    q.send({ type: 'subscribe', channel: 'kill', since: p.seqs('kill').at(-1) });
    for (; n < 30; n++) await publish(nodes[0], 'kill', n);
    await waitFor(() => q.seqs('kill').at(-1) === 30, 5000, 'all 30');
    expect([...p.seqs('kill'), ...q.seqs('kill')]).toEqual(range(1, 30));
    q.close();
  });
});

describe('switchboard gateway command', () => {
  it('refuses to start without an admin token, in one clear line', async () => {
    const r = await run(['gateway', '--node-id', 'x', '--port', '0', '--ops-port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('switchboard: an admin token is required: --admin-token-file F or SWITCHBOARD_ADMIN_TOKEN');
  });

  it('names an unreadable token file and a bad option value', async () => {
    const r = await run(['gateway', '--node-id', 'x', '--admin-token-file', join(dir, 'missing')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read admin token file .*missing: ENOENT/);
    const bad = await run(['gateway', '--node-id', 'x', '--port', 'eighty']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--port.*expected a whole number from 0 to 65535, got "eighty"/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it('after /admin/restart drains and exits with code 75 for its supervisor', async () => {
    const g = await spawnGateway(['--node-id', 'gw-r']);
    const exited = new Promise<number | null>((resolve) => g.proc.on('exit', resolve));
    const res = await fetch(`http://127.0.0.1:${g.opsPort}/admin/restart`, { method: 'POST', headers: { authorization: 'Bearer adm' }, body: JSON.stringify({ requestId: 'r1', deadlineSeconds: 2, disconnectRatePerSecond: 10 }) });
    expect(res.status).toBe(202);
    expect(await exited).toBe(75);
  });
});
