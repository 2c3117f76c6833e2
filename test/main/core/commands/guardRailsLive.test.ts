import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoFleet } from '../../../../src/fleet/demo/demoFleet';
import type { DemoFleet } from '../../../../src/fleet/demo/demoFleet';
import { startLiveConsole } from '../../../../src/main/core';
import type { LiveConsole } from '../../../../src/main/core';
import { AuditLog, CommandService, verifyAudit } from '../../../../src/main/core/commands';
import type { AuditRecord } from '../../../../src/main/core/commands';
import type { FileSdGroup } from '../../../../src/shared/fleetFile';
import { credentialsPathFor } from '../../../../src/shared/fleetFile';
import { silent } from '../../../helpers/gatewayFixture';
import { waitFor } from '../../../helpers/ports';
import { startRedis } from '../../../helpers/redisServer';
import type { RedisHandle } from '../../../helpers/redisServer';
import { clientUrls, closeClients, startClients } from './traffic';
import type { Tracked } from './traffic';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
/** Every node takes 60 connections and the fleet carries 120: the others' free slots always equal what a drained node carries, 20% short. */
const LIMIT = 60;
const CLIENTS = 120;

let redis: RedisHandle;
let fleet: DemoFleet;
let live: LiveConsole;
let svc: CommandService;
let clients: Tracked[] = [];
const consoles: LiveConsole[] = [];
let hostile: http.Server;
const dir = mkdtempSync(join(tmpdir(), 'sb-rails-'));
const fleetFile = join(dir, 'fleet.json');
const auditFile = join(dir, 'audit.jsonl');

beforeAll(async () => {
  redis = await startRedis();
  fleet = await startDemoFleet({ nodes: 3, clients: 0, redisUrl: redis.url, fleetFile, logger: silent, incidentEveryMs: 0, nodeConfig: { maxConnections: LIMIT } });
  live = await startLiveConsole({ inventory: { kind: 'file_sd', file: fleetFile }, scrape: { intervalMs: 1000 }, streamIdleTimeoutMs: 6000 });
  svc = new CommandService({ core: live.core, audit: new AuditLog(auditFile, 'tester') });
  clients = await startClients(clientUrls(fleet), CLIENTS, 4);
  // A "node" the console cannot read: every request answered 401.
  hostile = http.createServer((_req, res) => res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}'));
  await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', r));
}, 60_000);

afterAll(async () => {
  await closeClients(clients);
  await svc?.stop();
  for (const c of [live, ...consoles]) await c?.stop();
  await fleet?.stop();
  await redis?.stop();
  hostile?.close();
});

const records = (): AuditRecord[] => readFileSync(auditFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditRecord);
const total = () => svc.view().nodes.reduce((s, n) => s + n.connections.total, 0);
const busiest = () => [...svc.view().nodes].sort((a, b) => b.connections.total - a.connections.total)[0];

/** A copy of the fleet file (plus extra groups) with its own credentials beside it. */
function fleetCopy(name: string, extra: FileSdGroup[], creds: { readToken: string; adminToken: string }): string {
  const file = join(dir, `${name}.json`);
  const groups = JSON.parse(readFileSync(fleetFile, 'utf8')) as FileSdGroup[];
  writeFileSync(file, JSON.stringify([...groups, ...extra]));
  writeFileSync(credentialsPathFor(file), JSON.stringify(creds), { mode: 0o600 });
  return file;
}

async function consoleOn(file: string): Promise<LiveConsole> {
  const c = await startLiveConsole({ inventory: { kind: 'file_sd', file }, scrape: { intervalMs: 1000 }, streamIdleTimeoutMs: 6000 });
  consoles.push(c);
  return c;
}

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/switchboard.cjs', ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'silent' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('guard rails on a real fleet', () => {
  it('refuses an unknown node by name, and audits the refusal', async () => {
    await waitFor(() => svc.view().nodes.length === 3 && svc.view().nodes.every((n) => n.health === 'up') && total() === CLIENTS, 15_000, 'the console sees every client');
    const r = await svc.start({ kind: 'drain', node: 'gw-9', reason: 'typo at 3 a.m.' });
    if (!r.ok) throw new Error(r.message);
    expect(r.value.state).toBe('refused');
    expect(r.value.error).toBe('known_node: no node "gw-9" in the inventory (known: gw-1, gw-2, gw-3)');
    expect(records().pop()).toMatchObject({ action: 'drain', outcome: 'refused', nodes: ['gw-9'], reason: 'typo at 3 a.m.', error: r.value.error, actor: 'tester' });
    // Bad input is an error value naming the field, not a crash.
    expect(await svc.start({ kind: 'drain', node: 'gw-1', reason: '' })).toEqual({ ok: false, code: 'invalid', message: 'reason: say why, in at least 3 characters' });
    expect(svc.preview({ kind: 'reboot', node: 'gw-1', reason: 'why not' })).toMatchObject({ ok: false, code: 'invalid', message: expect.stringMatching(/^kind: /) as unknown });
  }, 30_000);

  it('refuses a drain the serving nodes cannot absorb with the 20% margin, with the numbers; force with a reason passes and is audited as forced', async () => {
    const t = busiest();
    const c = t.connections.total;
    const others = svc.view().nodes.filter((n) => n.id !== t.id);
    const refused = await svc.start({ kind: 'drain', node: t.id, reason: 'make room' });
    if (!refused.ok) throw new Error(refused.message);
    expect(refused.value.state).toBe('refused');
    const load = others.map((n) => `${n.id} ${n.connections.total} of ${LIMIT}`).join(', ');
    expect(refused.value.error).toBe(`capacity: ${t.id} carries ${c} connections; with the 20% margin they need ${Math.ceil(c * 1.2)} free slots on the serving nodes, which have ${2 * LIMIT - (CLIENTS - c)} (${load}); force with a reason to act anyway`);
    expect(fleet.node(t.id)!.state).toBe('serving');

    const forced = await svc.run({ kind: 'drain', node: t.id, reason: 'node has a bad disk, must go now', force: true, deadlineSeconds: 20, disconnectRatePerSecond: 50 });
    if (!forced.ok) throw new Error(forced.message);
    expect(forced.value.state).toBe('succeeded');
    expect(forced.value.preview.forced).toBe(true);
    expect(forced.value.preview.checks.find((x) => x.rule === 'capacity')!.ok).toBe(false);
    expect(fleet.node(t.id)!.state).toBe('drained');
    const mine = records().filter((x) => x.actionId === forced.value.id);
    expect(mine.map((x) => x.outcome)).toEqual(['started', 'succeeded']);
    expect(mine[0]).toMatchObject({ forced: true, reason: 'node has a bad disk, must go now', params: { force: true } });
  }, 40_000);

  it('refuses a second node while one is drained (at most 1 unavailable), then undrains', async () => {
    const drained = svc.view().nodes.find((n) => n.health === 'drained')!;
    const next = svc.view().nodes.find((n) => n.health === 'up')!;
    const r = await svc.start({ kind: 'restart', node: next.id, reason: 'second one', force: true });
    if (!r.ok) throw new Error(r.message);
    expect(r.value.state).toBe('refused');
    expect(r.value.error).toBe(`max_unavailable: 1 of 3 nodes already unavailable (${drained.id} drained); a restart of ${next.id} would make 2, more than the 1 allowed at once`);
    const u = await svc.run({ kind: 'undrain', node: drained.id, reason: 'disk replaced' });
    expect(u.ok && u.value.state).toBe('succeeded');
    expect(fleet.node(drained.id)!.state).toBe('serving');
    // refused (unknown), refused (capacity), started + succeeded (forced), refused (max_unavailable), started + succeeded (undrain).
    expect(await verifyAudit(auditFile)).toMatchObject({ ok: true, records: 7 });
  }, 30_000);

  it('refuses to act on a node the console is blind on, and counts it as unavailable', async () => {
    const port = (hostile.address() as AddressInfo).port;
    const file = fleetCopy('blind', [{ targets: [`127.0.0.1:${port}`], labels: { node_id: 'gw-9' } }], fleet.credentials);
    const c = await consoleOn(file);
    const s = new CommandService({ core: c.core, audit: new AuditLog(join(dir, 'blind-audit.jsonl')) });
    await waitFor(() => s.view().blind.some((b) => b.node === 'gw-9') && s.view().nodes.filter((n) => n.health === 'up').length === 3, 10_000, 'gw-9 blind, the rest up');
    const blind = await s.start({ kind: 'drain', node: 'gw-9', reason: 'is it even there' });
    expect(blind.ok && blind.value.state).toBe('refused');
    expect(blind.ok && blind.value.error).toMatch(/^fresh_view: the console's view of gw-9 is not fresh: its health is unknown \(the console cannot read this node \(see blind spots\)\); the console is blind on its (metrics|events): [^;]*401.*It does not act on a node it cannot see$/);
    const other = await s.start({ kind: 'drain', node: 'gw-1', reason: 'the others are fine' });
    expect(other.ok && other.value.error).toBe('max_unavailable: 1 of 4 nodes already unavailable (gw-9 unknown); a drain of gw-1 would make 2, more than the 1 allowed at once');
    await s.stop();
  }, 30_000);

  it('a wrong admin token: a clear error naming the node, and the failure audited', async () => {
    const file = fleetCopy('badtoken', [], { readToken: fleet.credentials.readToken, adminToken: 'not-the-admin-token' });
    const c = await consoleOn(file);
    const audit = join(dir, 'badtoken-audit.jsonl');
    const s = new CommandService({ core: c.core, audit: new AuditLog(audit) });
    await waitFor(() => s.view().nodes.length === 3 && s.view().nodes.every((n) => n.health === 'up'), 10_000, 'three nodes up');
    // force: on this fleet the capacity rail always fails; the token is what is under test.
    const r = await s.run({ kind: 'drain', node: 'gw-2', reason: 'token test', force: true });
    if (!r.ok) throw new Error(r.message);
    expect(r.value.state).toBe('failed');
    expect(r.value.error).toBe('the admin token for gw-2 was refused (HTTP 401): check the credentials the inventory gives for it');
    expect(fleet.node('gw-2')!.state).toBe('serving');
    const recs = readFileSync(audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditRecord);
    expect(recs.map((x) => x.outcome)).toEqual(['started', 'failed']);
    expect(recs[1]).toMatchObject({ action: 'drain', nodes: ['gw-2'], error: r.value.error });
    expect(JSON.stringify(recs)).not.toContain('not-the-admin-token');
    await s.stop();
  }, 30_000);
});

describe('switchboard drain|undrain (the CLI, same rails and audit)', () => {
  it('refuses with one line and exit 3, requires --reason (exit 2), acts with --force (exit 0), undrains (exit 0)', async () => {
    const cliAudit = join(dir, 'cli-audit.jsonl');
    const t = busiest();
    const refused = await cli('drain', t.id, '--fleet', fleetFile, '--reason', 'cli refusal', '--audit-file', cliAudit);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(new RegExp(`^switchboard: drain of ${t.id} refused by capacity: ${t.id} carries \\d+ connections; [^\\n]*\\(audited in ${cliAudit}\\)\\n$`));
    const noReason = await cli('drain', t.id, '--fleet', fleetFile);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toBe('switchboard: --reason <text> is required: say why, in at least 3 characters (it goes to the audit log)\n');
    const forced = await cli('drain', t.id, '--fleet', fleetFile, '--reason', 'cli forced drain', '--force', '--rate', '100', '--deadline', '20', '--audit-file', cliAudit);
    expect(forced.stderr).toBe('');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/FORCED capacity: /);
    expect(forced.stdout).toMatch(new RegExp(`drain ${t.id}: ${t.id} drained \\(boot \\w+, seen via (events|status)\\)`));
    expect(forced.stdout).toMatch(new RegExp(`drain of ${t.id} succeeded in [\\d.]+ s; audited in ${cliAudit}\\n$`));
    expect(fleet.node(t.id)!.state).toBe('drained');
    const undrain = await cli('undrain', t.id, '--fleet', fleetFile, '--reason', 'cli undrain', '--audit-file', cliAudit);
    expect(undrain.code).toBe(0);
    expect(fleet.node(t.id)!.state).toBe('serving');
    const recs = readFileSync(cliAudit, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditRecord);
    expect(recs.map((x) => `${x.action} ${x.outcome}${x.forced ? ' forced' : ''}`)).toEqual(['drain refused', 'drain started forced', 'drain succeeded forced', 'undrain started', 'undrain succeeded']);
    expect(await verifyAudit(cliAudit)).toMatchObject({ ok: true, records: 5 });
  }, 60_000);
});
