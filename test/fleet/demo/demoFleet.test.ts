import { readFileSync, statSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoFleet } from '../../../src/fleet/demo/demoFleet';
import type { DemoFleet } from '../../../src/fleet/demo/demoFleet';
import { busOutage } from '../../../src/fleet/demo/incidents';
import type { FileSdGroup, FleetCredentials } from '../../../src/shared/fleetFile';
import { credentialsPathFor } from '../../../src/shared/fleetFile';
import { silent } from '../../helpers/gatewayFixture';
import { waitFor } from '../../helpers/ports';

let fleet: DemoFleet;
const dir = mkdtempSync(join(tmpdir(), 'sb-demo-'));
const fleetFile = join(dir, 'fleet.json');

beforeAll(async () => {
  fleet = await startDemoFleet({ nodes: 3, clients: 60, incidentEveryMs: 0, fleetFile, logger: silent, publishRatePerUser: 0.5, nodeConfig: { heartbeatMs: 2000, longPollHoldMs: 2000 } });
}, 20_000);
afterAll(async () => {
  await fleet.stop();
});

const totalSessions = () => [...fleet.supervisor.nodes.values()].reduce((s, n) => s + n.sessions.size, 0);

describe('demo fleet', () => {
  it('writes a file_sd file without secrets and the tokens beside it with mode 0600', async () => {
    const groups = JSON.parse(readFileSync(fleetFile, 'utf8')) as FileSdGroup[];
    expect(groups.map((g) => g.labels?.node_id)).toEqual(['gw-1', 'gw-2', 'gw-3']);
    for (const g of groups) expect(g.targets[0]).toMatch(/^127\.0\.0\.1:\d+$/);
    const credFile = credentialsPathFor(fleetFile);
    expect(credFile).toBe(join(dir, 'fleet.credentials.json'));
    expect(statSync(credFile).mode & 0o777).toBe(0o600);
    const creds = JSON.parse(readFileSync(credFile, 'utf8')) as FleetCredentials;
    expect(creds).toEqual(fleet.credentials);
    expect(readFileSync(fleetFile, 'utf8')).not.toContain(creds.readToken);
    const metrics = await fetch(`http://${groups[0].targets[0]}/metrics`, { headers: { authorization: `Bearer ${creds.readToken}` } });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('realtime_node_info{node_id="gw-1"');
  });

  it('connects every simulated user with a transport mix, and messages flow', async () => {
    await waitFor(() => totalSessions() === 60, 15_000, 'all 60 users connected');
    const byTransport = { ws: 0, sse: 0, longpoll: 0 };
    for (const n of fleet.supervisor.nodes.values()) for (const t of ['ws', 'sse', 'longpoll'] as const) byTransport[t] += n.counts[t];
    expect(byTransport.ws).toBe(42);
    expect(byTransport.sse).toBe(12);
    expect(byTransport.longpoll).toBe(6);
    const before = fleet.simulator.received;
    await waitFor(() => fleet.simulator.received > before + 20, 10_000, 'messages delivered to users');
  });

  it('a slow-consumers incident gets slow clients cut', async () => {
    const msg = await fleet.incident('slow-consumers', 'gw-1');
    expect(msg).toMatch(/^5 slow consumers cut on gw-1$/);
  }, 20_000);

  it('a bus outage shows as pub/sub lag on that node', async () => {
    const node = fleet.node('gw-3')!;
    busOutage(node, 800);
    expect(node.bus.connected).toBe(false);
    await fleet.node('gw-1')!.publish('room-0', 'during the outage', undefined, false);
    await waitFor(() => node.bus.connected, 3000, 'the link to come back');
    // Observations of the lag histogram above 0.5 s: the messages held during the outage.
    await waitFor(async () => {
      const h = await node.metrics.pubsubLag.get();
      const count = h.values.find((v) => v.metricName === 'realtime_pubsub_lag_seconds_count')!.value;
      const upTo05 = h.values.find((v) => v.metricName === 'realtime_pubsub_lag_seconds_bucket' && v.labels.le === 0.5)!.value;
      return count - upTo05 >= 1;
    }, 3000, 'late messages counted as lag');
  });

  it('a crashed node is restarted by the supervisor with a new boot id on the same ports', async () => {
    const old = fleet.node('gw-2')!;
    const { clientPort, opsPort, bootId } = old;
    await fleet.incident('crash', 'gw-2');
    const fresh = await waitFor(() => {
      const n = fleet.node('gw-2');
      return n && n !== old ? n : null;
    }, 10_000, 'gw-2 back');
    expect(fresh.bootId).not.toBe(bootId);
    expect([fresh.clientPort, fresh.opsPort]).toEqual([clientPort, opsPort]);
    // Its users reconnected elsewhere (a reconnect storm) and the fleet still carries all 60.
    await waitFor(() => totalSessions() === 60, 15_000, 'users reconnected');
    const reconnects = [...fleet.supervisor.nodes.values()].reduce((s, n) => s + n.metrics.tallies.sum(n.metrics.tallies.reconnects), 0);
    expect(reconnects).toBeGreaterThan(0);
  }, 30_000);
});
