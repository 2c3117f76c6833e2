import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoFleet } from '../../../src/fleet/demo/demoFleet';
import type { DemoFleet } from '../../../src/fleet/demo/demoFleet';
import { startLiveConsole, startPrometheusConsole } from '../../../src/main/core';
import type { LiveConsole, PrometheusConsole } from '../../../src/main/core';
import type { LiveFrame } from '../../../src/shared/api';
import { sleep, waitFor } from '../../helpers/ports';
import { startPrometheusServer } from '../../helpers/prometheusServer';
import type { PrometheusServer } from '../../helpers/prometheusServer';
import { WsProbe } from '../../helpers/wsProbe';

/** Prometheus scrapes, and the console asks it, every second. */
const SCRAPE_MS = 1000;
const ROUND_MS = 1000;
/** Scheduling slack on a loaded two-core machine. */
const SLACK_MS = 1000;

const dir = mkdtempSync(join(tmpdir(), 'sb-prom-mode-'));
const fleetFile = join(dir, 'fleet.json');
const readTokenFile = join(dir, 'read.token');
let fleet: DemoFleet;
let prom: PrometheusServer;
let direct: LiveConsole;
let viaProm: PrometheusConsole;
let promStartedAt = 0;
let consoleStartedAt = 0;

const frameOf = (c: { core: { buildFrame(e: [], d: number, s: number): LiveFrame } }): LiveFrame => c.core.buildFrame([], 0, 0);
const totals = (f: LiveFrame) => f.fleet.connections;

beforeAll(async () => {
  fleet = await startDemoFleet({ nodes: 3, clients: 60, fleetFile, incidentEveryMs: 0, logger: pino({ level: 'silent' }) });
  writeFileSync(readTokenFile, `${fleet.credentials.readToken}\n`);
  promStartedAt = Date.now();
  prom = await startPrometheusServer([{ name: 'realtime-gateway', fileSd: fleetFile, bearerTokenFile: readTokenFile }], SCRAPE_MS / 1000);
  await waitFor(async () => (await prom.upTargets()) === 3, 20_000, 'Prometheus to scrape the 3 demo nodes');
  direct = await startLiveConsole({ inventory: { kind: 'file_sd', file: fleetFile }, scrape: { intervalMs: SCRAPE_MS } });
  // A few scrapes so that rates and the back-fill have data (several 1 s steps before the console starts).
  await sleep(5000);
  consoleStartedAt = Date.now();
  viaProm = await startPrometheusConsole({
    prometheus: { url: prom.url, job: 'realtime-gateway', readTokenFile, authHint: 'check --prometheus-token-file' },
    profile: 'contract',
    intervalMs: ROUND_MS,
    scrapeIntervalMs: SCRAPE_MS,
    // Ten minutes of history: 1 s steps (one hour would be 5 s steps).
    backfillMs: 600_000,
    maxFocus: 2,
  });
}, 50_000);

afterAll(async () => {
  await viaProm?.stop();
  await direct?.stop();
  await prom?.stop();
  await fleet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the console in Prometheus mode on the demo fleet', () => {
  it('knows the nodes by their node_id, up, with the boot ids direct mode reads', async () => {
    await waitFor(() => frameOf(viaProm).nodes.filter((n) => n.health === 'up').length === 3, 10_000, 'three nodes up via Prometheus');
    await waitFor(() => frameOf(direct).nodes.every((n) => n.bootId !== null), 10_000, 'boot ids in direct mode');
    const p = frameOf(viaProm);
    const d = frameOf(direct);
    expect(p.nodes.map((n) => n.id)).toEqual(['gw-1', 'gw-2', 'gw-3']);
    expect(p.nodes.map((n) => n.bootId)).toEqual(d.nodes.map((n) => n.bootId));
    expect(p.nodes.every((n) => n.limit === 10_000 && n.busConnected === true && n.scrape.state === 'ok')).toBe(true);
    expect(p.source).toMatchObject({ kind: 'live', name: `Prometheus at ${prom.url} (profile contract)` });
    expect(p.fleet.blind).toEqual([]);
  });

  it('shows the same connection totals as direct mode, within one scrape interval and one query round', async () => {
    await waitFor(() => totals(frameOf(direct)).total === 60, 10_000, 'the 60 simulated users connected');
    // Direct mode's totals, every 100 ms; each Prometheus-mode reading must be one of them
    // from the last scrape interval plus one query round.
    const history: { t: number; key: string }[] = [];
    const key = (c: LiveFrame['fleet']['connections']) => `${c.ws}/${c.sse}/${c.longpoll}/${c.total}`;
    const sampler = setInterval(() => history.push({ t: Date.now(), key: key(totals(frameOf(direct))) }), 100);
    try {
      await sleep(SCRAPE_MS + ROUND_MS + SLACK_MS);
      for (let i = 0; i < 12; i++) {
        const now = Date.now();
        const seen = new Set(history.filter((h) => h.t >= now - (SCRAPE_MS + ROUND_MS + SLACK_MS)).map((h) => h.key));
        const got = key(totals(frameOf(viaProm)));
        expect(seen.has(got), `Prometheus mode shows ${got}; direct mode showed ${[...seen].join(', ')}`).toBe(true);
        await sleep(250);
      }
      expect(totals(frameOf(viaProm)).total).toBe(60);

      // A change: twelve more WebSocket clients on gw-1. Direct mode sees it first;
      // Prometheus mode at most one scrape and one round later.
      const before = totals(frameOf(direct)).ws;
      const probes = Array.from({ length: 12 }, (_, i) => new WsProbe(`${fleet.targets[0].clientUrl.replace('http', 'ws')}/ws?user=extra-${i}`));
      try {
        await Promise.all(probes.map((p) => p.opened));
        const directAt = (await waitFor(() => (totals(frameOf(direct)).ws === before + 12 ? Date.now() : 0), 5000, 'direct mode to count the new clients')) as number;
        const promAt = (await waitFor(() => (totals(frameOf(viaProm)).ws === before + 12 ? Date.now() : 0), 8000, 'Prometheus mode to count the new clients')) as number;
        expect(promAt - directAt).toBeLessThanOrEqual(SCRAPE_MS + ROUND_MS + SLACK_MS);
      } finally {
        for (const p of probes) p.ws.close();
      }
    } finally {
      clearInterval(sampler);
    }
  });

  it('back-filled the fleet history from query_range: charts show what happened before the console started', async () => {
    const res = await viaProm.core.getSeries({ metric: 'connections', fromMs: promStartedAt - 10_000, toMs: consoleStartedAt, width: 200 });
    if (!res.ok) throw new Error(res.message);
    expect(viaProm.backfill).toMatchObject({ points: expect.any(Number) });
    const ws = res.value.lines.find((l) => l.label === 'ws');
    expect(ws?.node).toBeNull();
    expect(ws!.t.length).toBeGreaterThan(0);
    expect(Math.min(...ws!.t)).toBeLessThan(consoleStartedAt - 1000);
    // The last back-filled point of each transport adds up to the 60 users.
    const last = (label: string) => {
      const l = res.value.lines.find((x) => x.label === label);
      return l ? l.max[l.max.length - 1] : 0;
    };
    expect(last('ws') + last('sse') + last('longpoll')).toBe(60);
  });

  it('says for every panel that it comes from Prometheus, how fresh, and with which PromQL', async () => {
    const panels = frameOf(viaProm).panels;
    const conn = panels.find((p) => p.panel === 'connections');
    expect(conn?.source).toBe('prometheus');
    expect(conn!.freshnessMs).toBeGreaterThanOrEqual(0);
    expect(conn!.freshnessMs).toBeLessThanOrEqual(SCRAPE_MS + ROUND_MS + SLACK_MS);
    expect(conn!.queries).toEqual([
      '# connectionsWs: open WebSocket connections now\nsum by (instance) (realtime_connections{transport="ws"})',
      '# connectionsSse: open SSE (and other HTTP streaming) connections now\nsum by (instance) (realtime_connections{transport="sse"})',
      '# connectionsLongpoll: open long-polling connections now\nsum by (instance) (realtime_connections{transport="longpoll"})',
    ]);
    expect(panels.find((p) => p.panel === 'lag')!.queries[1]).toContain('histogram_quantile(0.99, sum by (instance, le) (rate(realtime_pubsub_lag_seconds_bucket[4s])))');
    expect(panels.map((p) => p.panel).sort()).toEqual(['connections', 'delivered', 'dropped', 'figures', 'lag', 'nodes', 'presence', 'published', 'reconnects']);
    expect(frameOf(direct).panels.find((p) => p.panel === 'connections')?.source).toBe('direct');
  });

  it('reads /events directly only for the nodes in focus, at most maxFocus of them', async () => {
    const one = viaProm.setFocus(['gw-2']);
    expect(one).toEqual({ streaming: ['gw-2'], skipped: [] });
    await waitFor(() => viaProm.core.ingest.nodes.get('gw-2')?.lastVitalsAt != null, 5000, 'vitals from gw-2');
    expect(viaProm.core.ingest.nodes.get('gw-2')!.events.state).toBe('ok');
    expect(viaProm.core.ingest.nodes.get('gw-1')!.events.state).toBe('idle');
    expect(viaProm.core.ingest.nodes.get('gw-1')!.lastVitalsAt).toBeNull();

    const many = viaProm.setFocus(['gw-1', 'gw-2', 'gw-3', 'gw-9']);
    expect(many.streaming).toEqual(['gw-1', 'gw-2']);
    expect(many.skipped).toEqual([
      { node: 'gw-3', reason: 'more than 2 nodes in focus' },
      { node: 'gw-9', reason: 'not in the inventory' },
    ]);
    await waitFor(() => viaProm.core.ingest.nodes.get('gw-1')?.events.state === 'ok', 5000, 'the stream of gw-1');
    expect(viaProm.source.focus.streaming()).toEqual(['gw-1', 'gw-2']);

    viaProm.setFocus([]);
    await waitFor(() => ['gw-1', 'gw-2'].every((id) => viaProm.core.ingest.nodes.get(id)?.events.state === 'idle'), 5000, 'streams closed');
    expect(viaProm.source.focus.streaming()).toEqual([]);
  });

  it('a crashed node that comes back with a new boot id is a restart on the timeline, as in direct mode', async () => {
    const node = fleet.node('gw-3')!;
    const before = frameOf(viaProm).nodes.find((n) => n.id === 'gw-3')!.bootId;
    await fleet.incident('crash', 'gw-3');
    const restarted = await waitFor(() => viaProm.core.timeline.query({ limit: 200 }).find((e) => e.kind === 'restarted' && e.node === 'gw-3'), 15_000, 'a restart of gw-3 via Prometheus');
    expect(restarted.data.from).toBe(before);
    expect(restarted.data.to).not.toBe(before);
    expect(fleet.node('gw-3')).not.toBe(node);
    await waitFor(() => frameOf(direct).nodes.find((n) => n.id === 'gw-3')?.bootId === restarted.data.to, 10_000, 'direct mode to see the same new boot');
  });

  it('Prometheus down: one blind spot for the fleet naming Prometheus and why; no node is called down; no crash', async () => {
    const url = prom.url;
    await prom.stop();
    const blind = await waitFor(() => frameOf(viaProm).fleet.blind.find((b) => b.what === 'metrics'), 5000, 'a metrics blind spot');
    expect(blind).toMatchObject({ node: '*', what: 'metrics' });
    expect(blind.reason).toBe(`Prometheus at ${url}: request failed (ECONNREFUSED)`);
    // Figures age: nodes go stale (the console cannot see them), never down.
    await waitFor(() => frameOf(viaProm).nodes.every((n) => n.health === 'stale'), 10_000, 'nodes stale');
    expect(frameOf(viaProm).nodes.some((n) => n.health === 'down')).toBe(false);
    // The console keeps publishing frames, each saying it is blind.
    const frames: LiveFrame[] = [];
    const off = viaProm.core.onFrame((f) => frames.push(f));
    await sleep(1500);
    off();
    expect(frames.length).toBeGreaterThan(0);
    expect(frames[frames.length - 1].fleet.blind.map((b) => b.reason)).toContain(`Prometheus at ${url}: request failed (ECONNREFUSED)`);
  });
});
