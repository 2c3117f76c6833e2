/**
 * The console side of bench:scale, in its own process so its CPU and RSS are its own:
 *   scaleConsole.ts prometheus <prometheus-url> <job> <focus-count> <read-token-file>
 *   scaleConsole.ts direct <fleet-file>
 * Told over IPC when the measured window starts and ends; answers with its figures.
 */
import { startLiveConsole, startPrometheusConsole } from '../src/main/core';
import type { ConsoleCore } from '../src/main/core';
import { PrometheusClient } from '../src/main/core/sources/prometheus';

const [mode, ...args] = process.argv.slice(2);
/** Prometheus' scrape interval in the bench, and the console's round / scrape interval. */
const INTERVAL_MS = 5000;

const p95 = (a: number[]): number | null => {
  if (a.length === 0) return null;
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))];
};

/** Times every Prometheus query of this process (the bench's view of query latency). */
const queryMs: number[] = [];
const originalQuery = PrometheusClient.prototype.query;
PrometheusClient.prototype.query = async function timedQuery(this: PrometheusClient, ...a: Parameters<PrometheusClient['query']>) {
  const t = performance.now();
  const r = await originalQuery.apply(this, a);
  queryMs.push(performance.now() - t);
  return r;
};

async function start(): Promise<{ core: ConsoleCore; stop(): Promise<void>; extra(): Record<string, number | null> }> {
  if (mode === 'prometheus') {
    const [url, job, focus, readTokenFile] = args;
    const pc = await startPrometheusConsole({ prometheus: { url, job, readTokenFile }, profile: 'contract', intervalMs: INTERVAL_MS, scrapeIntervalMs: INTERVAL_MS });
    // The nodes on screen (a table's first rows) stream their events directly: hybrid.
    const ids = [...pc.core.ingest.nodes.keys()].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).slice(0, Number(focus));
    const streaming = pc.setFocus(ids).streaming.length;
    const rounds: number[] = [];
    let seen = pc.source.rounds;
    const timer = setInterval(() => {
      if (pc.source.rounds !== seen && pc.source.lastRound) rounds.push(pc.source.lastRound.durationMs);
      seen = pc.source.rounds;
    }, 200);
    return {
      core: pc.core,
      stop: async () => {
        clearInterval(timer);
        await pc.stop();
      },
      extra: () => ({ queryP95Ms: round(p95(queryMs)), queries: queryMs.length, roundP95Ms: round(p95(rounds)), focusStreams: streaming, backfillPoints: pc.backfill && 'points' in pc.backfill ? pc.backfill.points : null }),
    };
  }
  if (mode === 'direct') {
    const live = await startLiveConsole({ inventory: { kind: 'file_sd', file: args[0] }, scrape: { intervalMs: INTERVAL_MS, timeoutMs: INTERVAL_MS } });
    const scrapeMs: number[] = [];
    const timer = setInterval(() => {
      for (const m of live.core.ingest.nodes.values()) if (m.scrape.state === 'ok') scrapeMs.push(m.scrape.durationMs);
    }, INTERVAL_MS);
    return {
      core: live.core,
      stop: async () => {
        clearInterval(timer);
        await live.stop();
      },
      extra: () => ({ scrapeP95Ms: round(p95(scrapeMs)), streamsOpen: [...live.core.ingest.nodes.values()].filter((n) => n.events.state === 'ok').length }),
    };
  }
  throw new Error('usage: scaleConsole.ts prometheus <url> <job> <focus> <read-token-file> | direct <fleet-file>');
}

const round = (x: number | null): number | null => (x === null ? null : Math.round(x * 10) / 10);

void (async () => {
  const c = await start();
  let frames = 0;
  c.core.onFrame(() => frames++);
  // How old what the console shows is: for every node, now − the time of its figures, once a second.
  const ages: number[] = [];
  const sampler = setInterval(() => {
    const now = Date.now();
    for (const m of c.core.ingest.nodes.values()) if (m.figures) ages.push(now - m.figures.at);
  }, 1000);
  let cpu0 = process.cpuUsage();
  let t0 = Date.now();
  let frames0 = 0;
  let rssMax = 0;
  const rssTimer = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage.rss())), 1000);
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'begin') {
      cpu0 = process.cpuUsage();
      t0 = Date.now();
      frames0 = frames;
      ages.length = 0;
      queryMs.length = 0;
      rssMax = process.memoryUsage.rss();
      process.send?.({ begun: true });
    }
    if (m.cmd === 'end') {
      const cpu = process.cpuUsage(cpu0);
      const wallSeconds = (Date.now() - t0) / 1000;
      const nodes = [...c.core.ingest.nodes.values()];
      clearInterval(sampler);
      clearInterval(rssTimer);
      process.send?.({
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        wallSeconds,
        rssBytes: process.memoryUsage.rss(),
        rssMaxBytes: Math.max(rssMax, process.memoryUsage.rss()),
        heapUsedBytes: process.memoryUsage().heapUsed,
        frames: frames - frames0,
        nodes: nodes.length,
        nodesUp: nodes.filter((n) => n.health === 'up').length,
        freshnessP95Ms: round(p95(ages)),
        storeSeries: c.core.store.seriesCount(),
        storeBytes: c.core.store.approxBytes(),
        ...c.extra(),
      });
      void c.stop().then(() => process.exit(0));
    }
  });
  process.send?.({ ready: true });
})();
