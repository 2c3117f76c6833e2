import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConsoleCore } from '../../../../src/main/core';
import { AuditLog, CommandService, loadPlan, savePlan, sloBreaches } from '../../../../src/main/core/commands';
import type { FleetView, RolloutPlan, RolloutSettings } from '../../../../src/main/core/commands';
import type { NodeSummary } from '../../../../src/shared/api';

const dir = mkdtempSync(join(tmpdir(), 'sb-plan-'));
const SETTINGS: RolloutSettings = { order: 'fewest_connections', maxUnavailable: 1, deadlineSeconds: 60, disconnectRatePerSecond: 50, healthyWindowMs: 5000, maxLagP99Ms: 500, maxReconnectsPerSec: 110, comeBackTimeoutMs: 60_000, breachForMs: 2000 };

function plan(over: Partial<RolloutPlan> = {}): RolloutPlan {
  return {
    v: 1, id: 'r-1', actor: 'alice', reason: 'deploy', createdAt: 1, updatedAt: 1_700_000_000_000, state: 'running', pauseReason: null, interrupted: false, settings: SETTINGS,
    nodes: [{ id: 'gw-1', phase: 'done', connectionsAtStart: 5, drainRequestId: 'd1', restartRequestId: 'r1', drainSent: true, restartSent: true, bootIdBefore: 'a', bootIdAfter: 'b', startedAt: 1, finishedAt: 2, actionIds: [] },
      { id: 'gw-2', phase: 'draining', connectionsAtStart: 9, drainRequestId: 'd2', restartRequestId: 'r2', drainSent: true, restartSent: false, bootIdBefore: 'c', bootIdAfter: null, startedAt: 3, finishedAt: null, actionIds: [] }],
    steps: [], owner: { pid: 999_999_999, host: hostname() }, ...over,
  };
}

const service = (stateFile: string) => new CommandService({ core: new ConsoleCore(), audit: new AuditLog(join(dir, 'audit.jsonl'), 'bob'), stateFile });

describe('rollout state file', () => {
  it('is written atomically (no temporary file left), private, and read back as written', () => {
    const file = join(dir, 'a.json');
    savePlan(file, plan());
    savePlan(file, plan({ reason: 'second write' }));
    expect(readdirSync(dir).filter((f) => f.startsWith('a.json'))).toEqual(['a.json']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadPlan(file)).toEqual({ ok: true, plan: plan({ reason: 'second write' }) });
    expect(loadPlan(join(dir, 'none.json'))).toEqual({ ok: true, plan: null });
  });

  it('names what is wrong with a broken state file, and the service refuses to start a rollout over it', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"v":1,"id":');
    const load = loadPlan(file);
    expect(load.ok).toBe(false);
    expect(!load.ok && load.message).toMatch(new RegExp(`^the rollout state file ${file} is not JSON \\(.*\\); move it away to start afresh$`));
    writeFileSync(file, JSON.stringify({ ...plan(), nodes: [] }));
    expect(loadPlan(file)).toEqual({ ok: false, message: `the rollout state file ${file} is not a rollout plan (nodes: Too small: expected array to have >=1 items); move it away to start afresh` });
    const svc = service(file);
    expect(svc.rollouts.loadError).toMatch(/is not a rollout plan/);
    expect(await svc.rolloutRestart({ reason: 'deploy' })).toMatchObject({ ok: false, code: 'unavailable' });
    expect(readFileSync(file, 'utf8')).toContain('"nodes":[]');
  });

  it('a plan that was running when its console died comes back paused and interrupted; one owned by a live console is not taken over', async () => {
    const file = join(dir, 'interrupted.json');
    savePlan(file, plan());
    const svc = service(file);
    expect(svc.rollout()).toMatchObject({ id: 'r-1', state: 'paused', interrupted: true, pauseReason: `interrupted: the console running it stopped (last saved ${new Date(1_700_000_000_000).toISOString()}); resume or abandon it` });
    expect(await svc.rolloutRestart({ reason: 'another' })).toEqual({ ok: false, code: 'invalid', message: 'rollout r-1 is paused (interrupted): resume, abort or abandon it first' });

    const owned = join(dir, 'owned.json');
    savePlan(owned, plan({ owner: { pid: process.ppid, host: hostname() } }));
    const other = service(owned);
    expect(other.rollout()).toMatchObject({ state: 'paused', interrupted: false, pauseReason: `rollout r-1 is run by another console (pid ${process.ppid} on this host)` });
    expect(await other.resumeRollout('mine now')).toEqual({ ok: false, code: 'forbidden', message: `rollout r-1 is run by another console (pid ${process.ppid} on this host)` });
    expect(await other.abandonRollout('mine now')).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('refuses a rollout over nodes the inventory does not have, and bad settings, by name', async () => {
    const svc = service(join(dir, 'empty.json'));
    expect(await svc.rolloutRestart({ reason: 'deploy', nodes: ['gw-1'] })).toEqual({ ok: false, code: 'invalid', message: 'known_node: no node gw-1 in the inventory (known: none)' });
    expect(await svc.rolloutRestart({ reason: 'deploy', maxUnavailable: 0 })).toMatchObject({ ok: false, code: 'invalid', message: expect.stringMatching(/^maxUnavailable: /) as unknown });
    expect(await svc.rolloutRestart({ reason: 'x' })).toEqual({ ok: false, code: 'invalid', message: 'reason: say why, in at least 3 characters' });
    expect(await svc.abandonRollout('nothing')).toEqual({ ok: false, code: 'invalid', message: 'no rollout to abandon' });
  });
});

describe('sloBreaches', () => {
  const n = (id: string, over: Partial<NodeSummary>): NodeSummary => ({
    id, region: null, health: 'up', reason: '', bootId: 'b', connections: { ws: 0, sse: 0, longpoll: 0, total: 0 }, limit: 10, deliveredPerSec: 0, publishedPerSec: 0,
    reconnectsPerSec: 0, lagP50Ms: 1, lagP99Ms: 2, presence: { online: 0, away: 0 }, busConnected: true, lastSeenAt: 0,
    scrape: { state: 'ok', lastOkAt: 0, lastError: null, durationMs: 0, samples: 0 }, events: { state: 'ok', lastOkAt: 0, lastError: null, durationMs: 0, samples: 0 }, drain: null, canAdmin: true, ...over,
  });
  const view = (nodes: NodeSummary[]): FleetView => ({ at: 0, nodes, blind: [], streamOpen: [] });

  it('names each threshold the fleet is over, with its numbers; nodes that are restarting or down do not count', () => {
    expect(sloBreaches(view([n('gw-1', { reconnectsPerSec: 60 }), n('gw-2', { reconnectsPerSec: 50 })]), SETTINGS)).toEqual([]);
    expect(sloBreaches(view([n('gw-1', { reconnectsPerSec: 60, lagP99Ms: 700 }), n('gw-2', { reconnectsPerSec: 51, busConnected: false })]), SETTINGS)).toEqual([
      'pub/sub lag p99 700 ms on gw-1, over the 500 ms limit',
      'fleet reconnects 111/s, over the 110/s limit',
      'pub/sub (bus) link down on gw-2',
    ]);
    expect(sloBreaches(view([n('gw-1', { health: 'restarting', lagP99Ms: 9000, busConnected: false }), n('gw-2', { health: 'down', reconnectsPerSec: 500 })]), SETTINGS)).toEqual([]);
  });
});
