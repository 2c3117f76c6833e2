import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoFleet } from '../../../../src/fleet/demo/demoFleet';
import type { DemoFleet } from '../../../../src/fleet/demo/demoFleet';
import { startLiveConsole } from '../../../../src/main/core';
import type { LiveConsole } from '../../../../src/main/core';
import { AuditLog, CommandService, loadPlan, verifyAudit } from '../../../../src/main/core/commands';
import type { AuditRecord, RolloutPlan } from '../../../../src/main/core/commands';
import { silent } from '../../../helpers/gatewayFixture';
import { waitFor } from '../../../helpers/ports';
import { startRedis } from '../../../helpers/redisServer';
import type { RedisHandle } from '../../../helpers/redisServer';
import { ClientsProcess, SteadyPublisher, clientUrls } from './traffic';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const CLIENTS = 300;
const CHANNELS = 6;
const IDS = ['gw-1', 'gw-2', 'gw-3'];

let redis: RedisHandle;
let fleet: DemoFleet;
let clients: ClientsProcess | undefined;
let publisher: SteadyPublisher;
const dir = mkdtempSync(join(tmpdir(), 'sb-rollout-'));
const fleetFile = join(dir, 'fleet.json');
const auditFile = join(dir, 'audit.jsonl');
/** Every (re)start of a node since the fleet came up: a restart must happen once per node and rollout. */
const launches: Record<string, number> = { 'gw-1': 0, 'gw-2': 0, 'gw-3': 0 };
const running: Array<{ live: LiveConsole; svc: CommandService }> = [];

beforeAll(async () => {
  redis = await startRedis();
  fleet = await startDemoFleet({ nodes: 3, clients: 0, redisUrl: redis.url, fleetFile, logger: silent, incidentEveryMs: 0, nodeConfig: { publishRatePerSecond: 10_000, publishBurst: 10_000 } });
  fleet.supervisor.onChange((id, node) => {
    if (node) launches[id]++;
  });
  clients = await ClientsProcess.start(clientUrls(fleet), CLIENTS, CHANNELS);
  publisher = new SteadyPublisher(clientUrls(fleet));
  publisher.start(CHANNELS, 3);
}, 60_000);

afterAll(async () => {
  await publisher?.stop();
  await clients?.close();
  for (const r of running) {
    await r.svc.stop();
    await r.live.stop();
  }
  await fleet?.stop();
  await redis?.stop();
});

/** A console on the fleet (as the app or the CLI starts one) with the command service on a state file; resolves once every node is seen (up, unless told otherwise). */
async function startConsole(stateFile: string, seen: readonly string[] = ['up']): Promise<{ live: LiveConsole; svc: CommandService }> {
  const live = await startLiveConsole({ inventory: { kind: 'file_sd', file: fleetFile }, scrape: { intervalMs: 1000 }, streamIdleTimeoutMs: 6000 });
  const svc = new CommandService({ core: live.core, audit: new AuditLog(auditFile, 'tester'), stateFile });
  const r = { live, svc };
  running.push(r);
  await waitFor(() => svc.view().nodes.length === 3 && svc.view().nodes.every((n) => seen.includes(n.health)), 15_000, `every node ${seen.join(' or ')} in the console`);
  return r;
}

async function stopConsole(r: { live: LiveConsole; svc: CommandService }): Promise<void> {
  running.splice(running.indexOf(r), 1);
  await r.svc.stop();
  await r.live.stop();
}

const records = (): AuditRecord[] => readFileSync(auditFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditRecord);
const boots = () => Object.fromEntries(IDS.map((id) => [id, fleet.node(id)?.bootId ?? null]));
const ROLLOUT = { deadlineSeconds: 20, disconnectRatePerSecond: 100, healthyWindowMs: 1500, comeBackTimeoutMs: 20_000, breachForMs: 1000, maxLagP99Ms: 3000 };

describe('rolling restart (real fleet over Redis, under traffic)', () => {
  it('restarts every node with a new boot id, pauses by itself on an injected SLO breach, resumes to completion, loses nothing', async () => {
    const c = await startConsole(join(dir, 'rollout-1.json'));
    const before = boots();
    const start = { ...launches };
    const started = await c.svc.rolloutRestart({ reason: 'deploy 1.2.3', ...ROLLOUT });
    if (!started.ok) throw new Error(started.message);
    const order = started.value.nodes.map((n) => n.id);
    expect(order.sort()).toEqual([...IDS]);
    // Fewest connections first.
    const conns = started.value.nodes.map((n) => n.connectionsAtStart);
    expect(conns).toEqual([...conns].sort((a, b) => a - b));

    // Once the first node is done, cut its bus link (the demo's bus-outage incident): the fleet breaches.
    const first = started.value.nodes[0].id;
    await waitFor(() => c.svc.rollout()?.nodes[0].phase === 'done', 40_000, 'the first node done');
    await fleet.incident('bus-outage', first);
    const paused = (await c.svc.waitRollout()) as RolloutPlan;
    expect(paused.state).toBe('paused');
    expect(paused.pauseReason).toMatch(new RegExp(`^SLO breach for [\\d.]+ s: pub/sub \\(bus\\) link down on ${first}$`));
    expect(paused.nodes.filter((n) => n.phase === 'done').length).toBeLessThan(3);

    // The link comes back after 5 s; the operator resumes. (The node in flight at the pause
    // finished its step and waits, drained or back: the rollout picks it up where it is.)
    await waitFor(() => c.svc.view().nodes.every((n) => n.busConnected === true), 15_000, 'bus links back');
    const resumed = await c.svc.resumeRollout('bus is back');
    expect(resumed.ok).toBe(true);
    // The timeline tells it too (the operator's resume, with the reason).
    expect(c.live.core.timeline.query({ limit: 500 }).filter((e) => e.kind === 'rollout_resumed').map((e) => e.reason)).toEqual(['bus is back']);
    const end = (await c.svc.waitRollout()) as RolloutPlan;
    expect(end.state).toBe('succeeded');
    for (const n of end.nodes) {
      expect(n.phase).toBe('done');
      expect(n.bootIdBefore).toBe(before[n.id]);
      expect(n.bootIdAfter).not.toBe(before[n.id]);
      expect(n.bootIdAfter).toBe(fleet.node(n.id)!.bootId);
      expect(launches[n.id] - start[n.id]).toBe(1);
    }
    expect(loadPlan(join(dir, 'rollout-1.json'))).toMatchObject({ ok: true, plan: { id: end.id, state: 'succeeded' } });

    // Nothing lost, doubled or reordered for any client.
    const check = await clients!.check(publisher.last);
    expect(check).toMatchObject({ clients: CLIENTS, lost: 0, duplicates: 0, reordered: 0, silent: 0 });

    // Audited: the rollout's start, its pause with the reason, the resume, the end; every node's drain and restart.
    const mine = records().filter((r) => r.actionId === end.id);
    expect(mine.map((r) => r.outcome)).toEqual(['started', 'paused', 'resumed', 'succeeded']);
    expect(mine[1]).toMatchObject({ error: paused.pauseReason, result: { auto: true } });
    const steps = records().filter((r) => (r.params as { rolloutId?: string }).rolloutId === end.id && r.outcome === 'succeeded');
    expect(steps.map((r) => `${r.action} ${r.nodes[0]}`).sort()).toEqual(IDS.flatMap((id) => [`drain ${id}`, `restart ${id}`]).sort());
    await stopConsole(c);
  }, 120_000);

  it('survives a console restart: the interrupted rollout is reported and resumes to completion, each node restarted once', async () => {
    const stateFile = join(dir, 'rollout-2.json');
    const a = await startConsole(stateFile);
    const start = { ...launches };
    const before = boots();
    const started = await a.svc.rolloutRestart({ reason: 'deploy 1.2.4', ...ROLLOUT, disconnectRatePerSecond: 50 });
    if (!started.ok) throw new Error(started.message);
    const id = started.value.id;
    // Mid-way: the first node done, the second one draining (its drain reached it).
    await waitFor(() => {
      const n = a.svc.rollout()?.nodes[1];
      return n?.drainSent === true && fleet.node(n.id)?.state !== 'serving';
    }, 40_000, 'the second node draining');
    const second = a.svc.rollout()!.nodes[1];
    await stopConsole(a);
    expect(loadPlan(stateFile)).toMatchObject({ ok: true, plan: { id, state: 'running' } });

    // The second node drains on by itself meanwhile: this console sees it draining or drained.
    const b = await startConsole(stateFile, ['up', 'draining', 'drained']);
    const found = b.svc.rollout()!;
    expect(found).toMatchObject({ id, state: 'paused', interrupted: true });
    expect(found.pauseReason).toMatch(/^interrupted: the console running it stopped \(last saved [0-9T:.-]+Z\); resume or abandon it$/);
    expect(found.nodes.map((n) => n.phase)).toEqual(['done', 'draining', 'pending']);
    // While it waits for a decision, no other rollout may start.
    expect(await b.svc.rolloutRestart({ reason: 'another one' })).toEqual({ ok: false, code: 'invalid', message: `rollout ${id} is paused (interrupted): resume, abort or abandon it first` });

    const resumed = await b.svc.resumeRollout('console restarted, carrying on');
    expect(resumed.ok).toBe(true);
    const end = (await b.svc.waitRollout()) as RolloutPlan;
    expect(end.state).toBe('succeeded');
    // The same intent after the restart: the second node's drain kept its request id.
    expect(end.nodes[1].drainRequestId).toBe(second.drainRequestId);
    for (const n of end.nodes) {
      expect(n.bootIdAfter).not.toBe(before[n.id]);
      expect(n.bootIdAfter).toBe(fleet.node(n.id)!.bootId);
      expect(launches[n.id] - start[n.id]).toBe(1);
    }
    const mine = records().filter((r) => r.actionId === id);
    expect(mine.map((r) => r.outcome)).toEqual(['started', 'resumed', 'succeeded']);
    expect(mine[1].result).toMatchObject({ interrupted: true });
    // The drain the first console was following when it stopped is recorded as interrupted.
    expect(records().some((r) => r.action === 'drain' && r.nodes[0] === second.id && r.outcome === 'interrupted')).toBe(true);
    await stopConsole(b);
  }, 120_000);

  it('an interrupted rollout can be abandoned instead: audited, no node touched, the one left mid-way named', async () => {
    const stateFile = join(dir, 'rollout-3.json');
    const a = await startConsole(stateFile);
    const started = await a.svc.rolloutRestart({ reason: 'deploy 1.2.5', ...ROLLOUT, nodes: ['gw-2'], order: 'given', disconnectRatePerSecond: 10 });
    if (!started.ok) throw new Error(started.message);
    await waitFor(() => a.svc.rollout()?.nodes[0].drainSent === true, 20_000, 'gw-2 draining');
    const boot = fleet.node('gw-2')!.bootId;
    await stopConsole(a);

    // gw-2 drains slowly (10/s): this console sees it draining.
    const b = await startConsole(stateFile, ['up', 'draining', 'drained']);
    expect(b.svc.rollout()).toMatchObject({ state: 'paused', interrupted: true });
    const abandoned = await b.svc.abandonRollout('not tonight');
    if (!abandoned.ok) throw new Error(abandoned.message);
    expect(abandoned.value.state).toBe('abandoned');
    expect(abandoned.value.steps.pop()!.what).toBe('abandoned by tester: not tonight; left mid-way: gw-2 (draining: left drained or draining, undrain it)');
    expect(fleet.node('gw-2')!.bootId).toBe(boot);
    expect(loadPlan(stateFile)).toMatchObject({ ok: true, plan: { state: 'abandoned' } });
    expect(records().pop()).toMatchObject({ action: 'rollout_restart', outcome: 'abandoned', actionId: started.value.id, reason: 'not tonight', result: { midway: ['gw-2 (draining: left drained or draining, undrain it)'] } });
    const u = await b.svc.run({ kind: 'undrain', node: 'gw-2', reason: 'rollout abandoned' });
    expect(u.ok && u.value.state).toBe('succeeded');
    expect(await verifyAudit(auditFile)).toMatchObject({ ok: true });
  }, 60_000);

  it('abort stops a running rollout and undrains the node it was draining; audited', async () => {
    const c = await startConsole(join(dir, 'rollout-abort.json'));
    // The busiest node first (clients moved around in the tests before): at 10/s its drain lasts seconds.
    const [t, next] = [...c.svc.view().nodes].sort((a, b) => b.connections.total - a.connections.total);
    expect(t.connections.total).toBeGreaterThan(50);
    const boot = fleet.node(t.id)!.bootId;
    const started = await c.svc.rolloutRestart({ reason: 'deploy 1.2.6', ...ROLLOUT, nodes: [t.id, next.id], order: 'given', disconnectRatePerSecond: 10 });
    if (!started.ok) throw new Error(started.message);
    await waitFor(() => c.svc.rollout()?.nodes[0].drainSent === true && fleet.node(t.id)?.state === 'draining', 20_000, `${t.id} draining`);
    const aborted = await c.svc.abortRollout('wrong build');
    if (!aborted.ok) throw new Error(aborted.message);
    expect(aborted.value.state).toBe('aborted');
    expect(c.live.core.timeline.query({ limit: 500 }).filter((e) => e.kind === 'rollout_aborted').map((e) => e.reason)).toEqual(['wrong build']);
    expect(aborted.value.steps.pop()!.what).toBe(`after the abort: ${t.id}: aborted`);
    expect(fleet.node(t.id)!.state).toBe('serving');
    expect(fleet.node(t.id)!.bootId).toBe(boot);
    expect((await c.svc.waitRollout())!.nodes.map((n) => n.phase)).toEqual(['draining', 'pending']);
    const mine = records().filter((r) => r.actionId === started.value.id);
    expect(mine.map((r) => r.outcome)).toEqual(['started', 'aborted']);
    expect(mine[1]).toMatchObject({ reason: 'wrong build', result: { undone: [`${t.id}: aborted`] } });
    // The drain step itself ended as aborted (undrained), audited as such.
    expect(records().filter((r) => r.action === 'drain' && (r.params as { rolloutId?: string }).rolloutId === started.value.id).map((r) => r.outcome)).toEqual(['started', 'aborted']);
    await stopConsole(c);
  }, 40_000);

  it('the CLI: Ctrl-C pauses a rollout (exit 4, state kept), `rollout resume` in a new process finishes it', async () => {
    const stateFile = join(dir, 'rollout-cli.json');
    const cliAudit = join(dir, 'cli-audit.jsonl');
    // The busiest node: at 40/s its drain lasts long enough to be interrupted.
    const id = [...IDS].sort((x, y) => fleet.node(y)!.sessions.size - fleet.node(x)!.sessions.size)[0];
    const boot = fleet.node(id)!.bootId;
    const args = ['--fleet', fleetFile, '--state-file', stateFile, '--audit-file', cliAudit];
    const first = cli('rollout', 'restart', ...args, '--reason', 'cli rollout', '--nodes', id, '--rate', '40', '--healthy-window', '1');
    await waitFor(() => first.out().includes(`rollout: ${id}: drain sent`), 20_000, 'the drain sent');
    first.child.kill('SIGINT');
    const paused = await first.done;
    expect(paused.code).toBe(4);
    expect(paused.stderr).toMatch(/^switchboard: rollout [0-9a-f-]+ paused: interrupted from the command line \(SIGINT\); state kept in .*rollout-cli\.json: `switchboard rollout resume` or `rollout abandon`\n$/);
    expect(loadPlan(stateFile)).toMatchObject({ ok: true, plan: { state: 'paused', nodes: [{ id, phase: 'draining', drainSent: true }] } });

    const status = await cli('rollout', 'status', '--state-file', stateFile).done;
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^rollout [0-9a-f-]+ by \\S+: paused: interrupted from the command line \\(SIGINT\\)\\n {2}${id}: draining\\n$`));

    const resumed = await cli('rollout', 'resume', ...args, '--reason', 'carry on').done;
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const after = fleet.node(id)!.bootId;
    expect(after).not.toBe(boot);
    expect(resumed.stdout).toMatch(new RegExp(`rollout [0-9a-f-]+ succeeded: ${id} ${boot} → ${after}; audited in .*cli-audit\\.jsonl\\n$`));
    const again = await cli('rollout', 'resume', ...args, '--reason', 'once more').done;
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^switchboard: rollout resume refused: rollout [0-9a-f-]+ is succeeded, not paused\n$/);
    const outcomes = readFileSync(cliAudit, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditRecord).filter((r) => r.action === 'rollout_restart').map((r) => r.outcome);
    expect(outcomes).toEqual(['started', 'paused', 'resumed', 'succeeded']);
    expect(await verifyAudit(cliAudit)).toMatchObject({ ok: true });
  }, 60_000);
});

function cli(...args: string[]): { child: ChildProcessWithoutNullStreams; out: () => string; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ['bin/switchboard.cjs', ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'silent' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, out: () => stdout, done };
}
