import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleCore, startPrometheusConsole } from '../../../src/main/core';
import type { PrometheusConsole } from '../../../src/main/core';
import { CONTRACT_PROFILE, ProfileError, profileFromJson } from '../../../src/main/core/profiles';
import { PrometheusClient, PrometheusSource, evaluateRound } from '../../../src/main/core/sources/prometheus';
import { prometheusTargetsSource } from '../../../src/main/core/inventory';
import { waitFor } from '../../helpers/ports';
import { startPrometheusServer } from '../../helpers/prometheusServer';
import type { PrometheusServer } from '../../helpers/prometheusServer';
import { CENTRIFUGO_RATES, startFakeCentrifugo } from './centrifugoExporter';
import type { FakeCentrifugo } from './centrifugoExporter';

const dir = mkdtempSync(join(tmpdir(), 'sb-prom-centrifugo-'));
let centrifugo: FakeCentrifugo;
let prom: PrometheusServer;
let c: PrometheusConsole;
let instance = '';

beforeAll(async () => {
  centrifugo = await startFakeCentrifugo(1_700_000_000);
  instance = `127.0.0.1:${centrifugo.port}`;
  prom = await startPrometheusServer([{ name: 'centrifugo', targets: [instance] }]);
  await waitFor(async () => (await prom.upTargets()) === 1, 20_000, 'Prometheus to scrape the fake Centrifugo');
  // rate() over a 4 s window needs a few scrapes.
  await new Promise((r) => setTimeout(r, 4500));
  c = await startPrometheusConsole({ prometheus: { url: prom.url, job: 'centrifugo' }, profile: 'centrifugo', intervalMs: 1000, scrapeIntervalMs: 1000 });
}, 40_000);

afterAll(async () => {
  await c?.stop();
  await prom?.stop();
  await centrifugo?.close();
  rmSync(dir, { recursive: true, force: true });
});

const near = (x: number, want: number, tolerance: number) => Math.abs(x - want) <= want * tolerance;

describe('the centrifugo profile against Centrifugo metric names scraped by a real Prometheus', () => {
  it('gives the figures Centrifugo has, and nothing it lacks', async () => {
    const node = await waitFor(() => c.core.buildFrame([], 0, 0).nodes.find((n) => n.health === 'up' && n.deliveredPerSec > 0), 8000, 'the node up with rates');
    expect(node.id).toBe(instance);
    // WebSocket (bidirectional and unidirectional) and HTTP streaming/SSE: 42 = centrifugo_node_num_clients.
    expect(node.connections).toEqual({ ws: 34, sse: 8, longpoll: 0, total: 42 });
    expect(node.presence).toEqual({ online: 30, away: 0 });
    expect(near(node.deliveredPerSec, CENTRIFUGO_RATES.pushPublication, 0.15)).toBe(true);
    expect(near(node.publishedPerSec, CENTRIFUGO_RATES.brokerPublication, 0.2)).toBe(true);
    expect(near(node.reconnectsPerSec, CENTRIFUGO_RATES.recover, 0.5)).toBe(true);
    // Every observation is in (5 ms, 10 ms]: histogram_quantile interpolates inside that bucket.
    expect(node.lagP99Ms).toBeGreaterThan(5);
    expect(node.lagP99Ms).toBeLessThanOrEqual(10);
    // Unavailable in Centrifugo: unknown, never a guess.
    expect(node.limit).toBeNull();
    expect(node.busConnected).toBeNull();
    expect(node.drain).toBeNull();
    expect(node.bootId).toBe('1700000000');
    expect(c.core.buildFrame([], 0, 0).fleet.blind).toEqual([]);
  });

  it('shows the unavailable concepts as such under "show query"', () => {
    const panels = c.core.buildFrame([], 0, 0).panels;
    expect(panels.find((p) => p.panel === 'connections')!.queries[2]).toBe(
      '# connectionsLongpoll: unavailable in profile centrifugo: Centrifugo has no long-polling transport (its HTTP fallbacks are SSE and HTTP streaming, shown as SSE)',
    );
    expect(panels.find((p) => p.panel === 'presence')!.queries).toEqual([
      '# presenceOnline: users present and online through the node (unique users connected to the node)\nsum by (instance) (centrifugo_node_num_users)',
      '# presenceAway: unavailable in profile centrifugo: Centrifugo has no away state',
    ]);
  });

  it('a new process start time is a restart on the timeline', async () => {
    centrifugo.restart(1_700_000_500);
    const restarted = await waitFor(() => c.core.timeline.query({ limit: 50 }).find((e) => e.kind === 'restarted' && e.node === instance), 8000, 'a restart event');
    expect(restarted.data).toMatchObject({ from: '1700000000', to: '1700000500' });
  });
});

describe('a profile with a mistake', () => {
  it('a query Prometheus rejects: the start fails naming the concept and the query', async () => {
    const broken = profileFromJson({ name: 'broken', extends: 'contract', concepts: { connectionsWs: { query: 'sum by (instance) (realtime_connections{transport="ws"} +)' } } }, 'broken.json');
    const err = await startPrometheusConsole({ prometheus: { url: prom.url }, profile: broken, intervalMs: 1000, backfillMs: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProfileError);
    expect((err as ProfileError).problems.map((p) => [p.concept, p.query])).toEqual([['connectionsWs', 'sum by (instance) (realtime_connections{transport="ws"} +)']]);
    expect((err as Error).message).toMatch(
      new RegExp(`^profile "broken", concept connectionsWs \\(query: sum by \\(instance\\) \\(realtime_connections\\{transport="ws"\\} \\+\\)\\): Prometheus at ${prom.url.replace(/\./g, '\\.')}: rejected the query: .*parse error`),
    );
  });

  it('a query rejected later (Prometheus changed, a file reloaded) is a blind spot naming the concept and the query', async () => {
    const broken = profileFromJson({ name: 'later', extends: 'centrifugo', concepts: { lagP99: { query: 'histogram_quantile(0.99, sum by (instance, le) (rate(centrifugo_node_pub_sub_lag_seconds_bucket[$__rate_interval]) @@))' } } }, 'later.json');
    const core = new ConsoleCore();
    const source = new PrometheusSource({ client: new PrometheusClient({ url: prom.url }), profile: broken, ingest: core.ingest, inventory: prometheusTargetsSource({ url: prom.url }), intervalMs: 1000, scrapeIntervalMs: 1000 });
    try {
      await source.startInventory();
      await source.round();
      const blind = source.blindSpots();
      expect(blind).toHaveLength(1);
      expect(blind[0]).toMatchObject({ node: '*', what: 'metrics' });
      expect(blind[0].reason).toMatch(/^profile "later", concept lagP99 \(query: histogram_quantile\(0\.99, sum by \(instance, le\) \(rate\(centrifugo_node_pub_sub_lag_seconds_bucket\[\$__rate_interval\]\) @@\)\)\): Prometheus at http:\/\/127\.0\.0\.1:\d+: rejected the query: /);
      // The other concepts still give the node its figures.
      expect(core.ingest.nodes.get(instance)?.figures?.connections).toEqual({ ws: 34, sse: 8, longpoll: 0 });
    } finally {
      await source.stop();
      core.stop();
    }
  });

  it('a concept that answers nothing for a minute gets a note under "Show query" (no such metric yet, or a wrong name)', async () => {
    let offset = 0;
    const quiet = profileFromJson({ name: 'quiet', extends: 'centrifugo', concepts: { presenceOnline: { query: 'sum by (instance) (centrifugo_node_num_userz)' } } }, 'quiet.json');
    const q = await startPrometheusConsole({ prometheus: { url: prom.url, job: 'centrifugo' }, profile: quiet, intervalMs: 1000, scrapeIntervalMs: 1000, backfillMs: 0, now: () => Date.now() + offset });
    try {
      const presence = () => q.core.buildFrame([], 0, 0).panels.find((p) => p.panel === 'presence')!.queries[0];
      expect(presence()).toBe('# presenceOnline: users present and online through the node\nsum by (instance) (centrifugo_node_num_userz)');
      offset = 61_000;
      expect(presence()).toMatch(/^# no series for any node since \S+: no such metric yet, or a wrong name\n# presenceOnline: /);
      expect(q.core.buildFrame([], 0, 0).fleet.blind).toEqual([]);
    } finally {
      await q.stop();
    }
  });

  it('a query that does not answer one value per node is named too, and the rest of the round stands', async () => {
    const p = { ...CONTRACT_PROFILE, name: 'scalar', concepts: { ...CONTRACT_PROFILE.concepts, presenceAway: { query: 'scalar(sum by (instance) (up))' } } };
    const r = await evaluateRound(new PrometheusClient({ url: prom.url }), p, Date.now() / 1000, 4);
    if (!r.ok) throw new Error(r.failure.message);
    expect([...r.conceptErrors.values()]).toEqual([{ concept: 'presenceAway', query: 'scalar(sum by (instance) (up))', problem: 'answers a scalar, not one value per node' }]);
    expect(r.byNode.get(instance)?.values.up).toBe(1);
  });

  it('a profile file with a mistake: loading it names the concept and the query', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ name: 'bad', extends: 'centrifugo', concepts: { lagP99: { query: 'histogram_quantile(0.99, rate(centrifugo_node_pub_sub_lag_seconds_bucket[1m]))' } } }));
    await expect(startPrometheusConsole({ prometheus: { url: prom.url }, profile: file })).rejects.toThrow(
      'profile "bad", concept lagP99 (query: histogram_quantile(0.99, rate(centrifugo_node_pub_sub_lag_seconds_bucket[1m]))): must aggregate by (instance) so that every node gets its own value, e.g. max by (instance) (...)',
    );
  });
});
