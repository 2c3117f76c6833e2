import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoFleet } from '../../../src/fleet/demo/demoFleet';
import type { DemoFleet } from '../../../src/fleet/demo/demoFleet';
import { startLiveConsole } from '../../../src/main/core';
import type { LiveConsole } from '../../../src/main/core';
import { credentialsPathFor } from '../../../src/shared/fleetFile';
import type { LiveFrame } from '../../../src/shared/api';
import { silent } from '../../helpers/gatewayFixture';
import { waitFor } from '../../helpers/ports';

let fleet: DemoFleet;
let live: LiveConsole;
let frame: LiveFrame | null = null;
const dir = mkdtempSync(join(tmpdir(), 'sb-core-'));
const fleetFile = join(dir, 'fleet.json');

beforeAll(async () => {
  fleet = await startDemoFleet({ nodes: 3, clients: 45, incidentEveryMs: 0, fleetFile, logger: silent, publishRatePerUser: 0.3, nodeConfig: { heartbeatMs: 2000, longPollHoldMs: 2000 } });
  live = await startLiveConsole({ inventory: { kind: 'file_sd', file: fleetFile }, scrape: { intervalMs: 1000 }, streamIdleTimeoutMs: 6000 });
  live.core.onFrame((f) => (frame = f));
}, 30_000);
afterAll(async () => {
  await live?.stop();
  await fleet?.stop();
});

const node = (id: string) => frame?.nodes.find((n) => n.id === id);

describe('the console core on the live demo fleet', () => {
  it('lists every node up, with the connection counts each node reports in /admin/status', async () => {
    await waitFor(() => fleet.supervisor.nodes.size === 3 && [...fleet.supervisor.nodes.values()].reduce((s, n) => s + n.sessions.size, 0) === 45, 15_000, 'the demo users');
    await waitFor(() => frame?.nodes.length === 3 && frame.nodes.every((n) => n.health === 'up'), 10_000, 'three nodes up');
    // Vitals arrive every second: compare once the connection counts are steady.
    await waitFor(async () => {
      const statuses = await Promise.all(fleet.targets.map(async (t) => {
        const r = await fetch(`http://${t.opsHostPort}/admin/status`, { headers: { authorization: `Bearer ${fleet.credentials.adminToken}` } });
        return (await r.json()) as { node: string; connections: { ws: number; sse: number; longpoll: number } };
      }));
      return statuses.every((s) => {
        const n = node(s.node);
        return n && n.connections.ws === s.connections.ws && n.connections.sse === s.connections.sse && n.connections.longpoll === s.connections.longpoll;
      });
    }, 8000, 'console counts equal to /admin/status');
    expect(frame!.fleet.nodesUp).toBe(3);
    expect(frame!.fleet.connections.total).toBe(45);
    expect(frame!.fleet.blind).toEqual([]);
    // Vitals make a node up within a second; the first scrape may come a moment later.
    await waitFor(() => frame!.nodes.every((n) => n.scrape.state === 'ok' && n.events.state === 'ok'), 5000, 'every scrape and stream ok');
    expect(frame!.source.kind).toBe('live');
  }, 40_000);

  it('answers chart windows already downsampled, and the inventory without tokens', async () => {
    const now = Date.now();
    const r = await live.core.getSeries({ metric: 'connections', fromMs: now - 60_000, toMs: now, width: 120 });
    if (!r.ok) throw new Error(r.message);
    expect(r.value.lines.map((l) => l.label).sort()).toEqual(['longpoll', 'sse', 'ws']);
    expect(Math.max(...r.value.lines.find((l) => l.label === 'ws')!.max)).toBeGreaterThan(0);
    const bad = await live.core.getSeries({ metric: 'connections', fromMs: now, toMs: now - 1, width: 120 });
    expect(bad).toEqual({ ok: false, code: 'invalid', message: 'toMs: toMs must be after fromMs' });
    const inv = await live.core.getInventory();
    expect(inv.ok && inv.value.targets.map((t) => t.id)).toEqual(['gw-1', 'gw-2', 'gw-3']);
    expect(JSON.stringify(inv)).not.toContain(fleet.credentials.readToken);
    expect(JSON.stringify(frame)).not.toContain(fleet.credentials.readToken);
  });

  it('shows a killed node as down within 3 s while the others stay up, then its restart', async () => {
    const old = fleet.node('gw-2')!.bootId;
    const t0 = Date.now();
    await fleet.incident('crash', 'gw-2');
    await waitFor(() => node('gw-2')?.health === 'down', 3000, 'gw-2 down');
    const took = Date.now() - t0;
    expect(took).toBeLessThan(3000);
    expect(node('gw-1')!.health).toBe('up');
    expect(node('gw-3')!.health).toBe('up');
    expect(node('gw-2')!.reason).toMatch(/not reachable/);
    // Down is not blindness.
    expect(frame!.fleet.blind.filter((b) => b.node === 'gw-2')).toEqual([]);
    await waitFor(() => node('gw-2')?.health === 'up' && node('gw-2')?.bootId !== old, 15_000, 'gw-2 back with a new boot id');
    const tl = await live.core.getTimeline({ nodes: ['gw-2'] });
    const kinds = tl.ok ? tl.value.map((e) => e.kind) : [];
    expect(kinds).toContain('node_down');
    expect(kinds).toContain('restarted');
  }, 30_000);
});

describe('a console that cannot read the fleet', () => {
  it('says so as blindness, never as down', async () => {
    const other = join(dir, 'wrong.json');
    writeFileSync(other, JSON.stringify(fleet.targets.map((t) => ({ targets: [t.opsHostPort], labels: { node_id: t.nodeId } }))));
    writeFileSync(credentialsPathFor(other), JSON.stringify({ readToken: 'wrong', adminToken: 'wrong' }), { mode: 0o600 });
    const blindConsole = await startLiveConsole({ inventory: { kind: 'file_sd', file: other }, scrape: { intervalMs: 1000 } });
    let f: LiveFrame | null = null;
    blindConsole.core.onFrame((x) => (f = x));
    try {
      await waitFor(() => f !== null && (f as LiveFrame).fleet.blind.length >= 6, 8000, 'blind spots for metrics and events of 3 nodes');
      const fr = f as unknown as LiveFrame;
      expect(fr.nodes.every((n) => n.health === 'unknown')).toBe(true);
      expect(fr.fleet.blind.find((b) => b.what === 'metrics')!.reason).toMatch(/HTTP 401/);
      expect(fr.fleet.blind.find((b) => b.what === 'events')!.reason).toMatch(/401/);
    } finally {
      await blindConsole.stop();
    }
  }, 20_000);
});

describe('the fleet series', () => {
  it('has no points for seconds in which no node was heard from (unknown is not zero)', async () => {
    const { ConsoleCore } = await import('../../../src/main/core');
    const core = new ConsoleCore();
    core.ingest.setTargets([{ id: 'x', opsUrl: 'http://127.0.0.1:1', labels: {}, readToken: null, adminToken: null, source: 'test' }]);
    core.tick();
    core.tick();
    const now = Date.now();
    const r = await core.getSeries({ metric: 'connections', fromMs: now - 60_000, toMs: now + 1000, width: 60 });
    expect(r.ok && r.value.lines.every((l) => l.t.length === 0)).toBe(true);
    core.stop();
  });
});
