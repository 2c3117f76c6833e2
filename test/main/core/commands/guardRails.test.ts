import { describe, expect, it } from 'vitest';
import type { BlindSpot, NodeHealth, NodeSummary } from '../../../../src/shared/api';
import { DEFAULT_POLICY, previewAction } from '../../../../src/main/core/commands';
import type { FleetView, PlannedAction } from '../../../../src/main/core/commands';

const NOW = 1_700_000_000_000;

function node(id: string, total: number, limit: number | null = 1000, health: NodeHealth = 'up', over: Partial<NodeSummary> = {}): NodeSummary {
  return {
    id, region: null, health, reason: health === 'up' ? 'serving' : `${health} for the test`, bootId: `boot-${id}`,
    connections: { ws: total, sse: 0, longpoll: 0, total }, limit,
    deliveredPerSec: 0, publishedPerSec: 0, reconnectsPerSec: 0, lagP50Ms: 1, lagP99Ms: 2,
    presence: { online: 0, away: 0 }, busConnected: true, lastSeenAt: NOW - 500,
    scrape: { state: 'ok', lastOkAt: NOW - 500, lastError: null, durationMs: 3, samples: 10 },
    events: { state: 'ok', lastOkAt: NOW - 500, lastError: null, durationMs: 0, samples: 10 },
    drain: null, canAdmin: true, ...over,
  };
}

const view = (nodes: NodeSummary[], blind: BlindSpot[] = []): FleetView => ({ at: NOW, nodes, blind, streamOpen: nodes.map((n) => n.id) });
const drain = (nodeId: string, over: Partial<PlannedAction> = {}): PlannedAction => ({ kind: 'drain', node: nodeId, deadlineSeconds: 60, disconnectRatePerSecond: 100, force: false, ...over });
const failed = (p: ReturnType<typeof previewAction>) => p.checks.filter((c) => !c.ok).map((c) => c.rule);

describe('previewAction (guard rails on a view)', () => {
  it('previews a drain: connections that move, where they land by headroom, reconnect rate, deadline', () => {
    const p = previewAction(drain('gw-1'), view([node('gw-1', 600), node('gw-2', 200), node('gw-3', 600)]), DEFAULT_POLICY);
    expect(p.allowed).toBe(true);
    expect(p.refusal).toBeNull();
    expect(p.connectionsMoving).toBe(600);
    expect(p.expectedReconnectsPerSec).toBe(100);
    expect(p.expectedDrainSeconds).toBe(6);
    expect(p.forceClosedAtDeadline).toBe(0);
    // Free: gw-2 800, gw-3 400 → 600 split 400 / 200.
    expect(p.destinations).toEqual([
      { node: 'gw-2', connectionsNow: 200, connectionsAfter: 600, limit: 1000, utilizationAfter: 0.6 },
      { node: 'gw-3', connectionsNow: 600, connectionsAfter: 800, limit: 1000, utilizationAfter: 0.8 },
    ]);
    expect(p.headroom).toEqual({ free: 1200, needed: 720, margin: 0.2 });
    expect(p.unavailable).toEqual({ now: [], after: 1, max: 1 });
    expect(p.checks.map((c) => c.rule)).toEqual(['known_node', 'admin_token', 'one_action_per_node', 'node_state', 'fresh_view', 'max_unavailable', 'capacity']);
  });

  it('says how many are force-closed when the rate cannot finish before the deadline', () => {
    const p = previewAction(drain('gw-1', { deadlineSeconds: 2, disconnectRatePerSecond: 100 }), view([node('gw-1', 500), node('gw-2', 0)]), DEFAULT_POLICY);
    expect(p.expectedDrainSeconds).toBe(2);
    expect(p.forceClosedAtDeadline).toBe(300);
  });

  it('refuses an unknown node, naming the known ones', () => {
    const p = previewAction(drain('gw-9'), view([node('gw-1', 1), node('gw-2', 1)]), DEFAULT_POLICY);
    expect(p.allowed).toBe(false);
    expect(p.refusal).toBe('known_node: no node "gw-9" in the inventory (known: gw-1, gw-2)');
  });

  it('refuses beyond maxUnavailable, counting draining, drained, restarting and down nodes', () => {
    for (const h of ['draining', 'drained', 'restarting', 'down'] as const) {
      const p = previewAction(drain('gw-1'), view([node('gw-1', 10), node('gw-2', 0, 1000, h), node('gw-3', 10)]), DEFAULT_POLICY);
      expect(p.allowed, h).toBe(false);
      expect(p.refusal).toBe(`max_unavailable: 1 of 3 nodes already unavailable (gw-2 ${h}); a drain of gw-1 would make 2, more than the 1 allowed at once`);
    }
    const two = previewAction(drain('gw-1'), view([node('gw-1', 10), node('gw-2', 0, 1000, 'drained'), node('gw-3', 10)]), { ...DEFAULT_POLICY, maxUnavailable: 2 });
    expect(two.allowed).toBe(true);
    expect(two.unavailable).toEqual({ now: ['gw-2'], after: 2, max: 2 });
  });

  it('counts a node another action is running on as unavailable, and refuses a second action on it', () => {
    const v = view([node('gw-1', 10), node('gw-2', 10), node('gw-3', 10)]);
    const busy = new Map([['gw-2', 'drain 1234abcd by alice']]);
    const other = previewAction(drain('gw-1'), v, DEFAULT_POLICY, busy);
    expect(other.refusal).toBe('max_unavailable: 1 of 3 nodes already unavailable (gw-2 drain 1234abcd by alice); a drain of gw-1 would make 2, more than the 1 allowed at once');
    const same = previewAction({ ...drain('gw-2'), kind: 'restart' }, v, DEFAULT_POLICY, busy);
    expect(same.refusal).toBe('one_action_per_node: gw-2 already has an action running (drain 1234abcd by alice); wait for it or abort it');
  });

  it('refuses a drain the serving nodes cannot absorb with the margin, with the numbers; force passes it', () => {
    const v = view([node('gw-1', 500), node('gw-2', 700), node('gw-3', 750)]);
    const p = previewAction(drain('gw-1'), v, DEFAULT_POLICY);
    expect(p.allowed).toBe(false);
    expect(failed(p)).toEqual(['capacity']);
    expect(p.refusal).toBe('capacity: gw-1 carries 500 connections; with the 20% margin they need 600 free slots on the serving nodes, which have 550 (gw-2 700 of 1,000, gw-3 750 of 1,000); force with a reason to act anyway');
    expect(p.headroom).toEqual({ free: 550, needed: 600, margin: 0.2 });
    // Where they would land: over the limits, which is what the operator must see.
    expect(p.destinations.map((d) => [d.node, d.connectionsAfter])).toEqual([['gw-2', 973], ['gw-3', 977]]);
    const forced = previewAction(drain('gw-1', { force: true }), v, DEFAULT_POLICY);
    expect(forced.allowed).toBe(true);
    expect(forced.forced).toBe(true);
    expect(forced.refusal).toBeNull();
    // Exactly enough with the margin passes; force that overrides nothing is not "forced".
    const enough = previewAction(drain('gw-1', { force: true }), view([node('gw-1', 500), node('gw-2', 700), node('gw-3', 700)]), DEFAULT_POLICY);
    expect(enough.checks.find((c) => c.rule === 'capacity')!.ok).toBe(true);
    expect(enough.forced).toBe(false);
  });

  it('does not count nodes with an unknown limit as capacity, and says so', () => {
    const p = previewAction(drain('gw-1'), view([node('gw-1', 100), node('gw-2', 0, null)]), DEFAULT_POLICY);
    expect(p.refusal).toBe('capacity: gw-1 carries 100 connections and no other node is serving with a known limit to take them; not counted, limit unknown: gw-2; force with a reason to act anyway');
  });

  it('force never passes the rules that are not about capacity', () => {
    const p = previewAction(drain('gw-1', { force: true }), view([node('gw-1', 10), node('gw-2', 10, 1000, 'drained'), node('gw-3', 10)]), DEFAULT_POLICY);
    expect(p.allowed).toBe(false);
    expect(p.refusal).toMatch(/^max_unavailable: /);
  });

  it('refuses to act on a stale or unknown node, a blind one, or one not heard from recently', () => {
    const stale = previewAction(drain('gw-1'), view([node('gw-1', 10, 1000, 'stale'), node('gw-2', 0)]), DEFAULT_POLICY);
    expect(stale.refusal).toBe("fresh_view: the console's view of gw-1 is not fresh: its health is stale (stale for the test). It does not act on a node it cannot see");
    const unknown = previewAction(drain('gw-1'), view([node('gw-1', 10, 1000, 'unknown', { lastSeenAt: null }), node('gw-2', 0)]), DEFAULT_POLICY);
    expect(unknown.refusal).toBe("fresh_view: the console's view of gw-1 is not fresh: its health is unknown (unknown for the test); the console has never heard from it. It does not act on a node it cannot see");
    const blind = previewAction(drain('gw-1'), view([node('gw-1', 10), node('gw-2', 0)], [{ node: 'gw-1', what: 'events', reason: 'HTTP 401', since: NOW }]), DEFAULT_POLICY);
    expect(blind.refusal).toBe("fresh_view: the console's view of gw-1 is not fresh: the console is blind on its events: HTTP 401. It does not act on a node it cannot see");
    const old = previewAction(drain('gw-1'), view([node('gw-1', 10, 1000, 'up', { lastSeenAt: NOW - 7400 }), node('gw-2', 0)]), DEFAULT_POLICY);
    expect(old.refusal).toBe("fresh_view: the console's view of gw-1 is not fresh: it was last heard from 7.4 s ago (more than 5.0 s). It does not act on a node it cannot see");
  });

  it('refuses an action the node state does not allow, and one without an admin token', () => {
    const v = view([node('gw-1', 10), node('gw-2', 0, 1000, 'drained'), node('gw-3', 10, 1000, 'up', { canAdmin: false })]);
    const undrainUp = previewAction({ ...drain('gw-1'), kind: 'undrain' }, v, DEFAULT_POLICY);
    expect(undrainUp.refusal).toBe('node_state: gw-1 is up (serving); undrain needs it draining or drained');
    const undrainDrained = previewAction({ ...drain('gw-2'), kind: 'undrain' }, v, DEFAULT_POLICY);
    expect(undrainDrained.allowed).toBe(true);
    expect(undrainDrained.connectionsMoving).toBe(0);
    const drainDrained = previewAction(drain('gw-2'), v, DEFAULT_POLICY);
    expect(drainDrained.refusal).toBe('node_state: gw-2 is drained (drained for the test); drain needs it up');
    // A rollout step that continues its own drain may find the node drained already.
    expect(failed(previewAction(drain('gw-2', { continuing: true }), v, { ...DEFAULT_POLICY, maxUnavailable: 1 }))).toEqual([]);
    const noToken = previewAction(drain('gw-3'), view([node('gw-1', 10), node('gw-3', 10, 1000, 'up', { canAdmin: false })]), DEFAULT_POLICY);
    expect(noToken.refusal).toBe("admin_token: the console has no admin token for gw-3 (none in the inventory's credentials)");
  });
});
