/**
 * The console side of bench:core, in its own process so its CPU and RSS are its own:
 * a live console on a file_sd fleet, scraping every second. Told over IPC when the
 * measured window starts and ends; answers with its figures.
 */
import { startLiveConsole } from '../src/main/core';

const file = process.argv[2];
if (!file) throw new Error('usage: coreConsole.ts <fleet-file>');

void (async () => {
  const live = await startLiveConsole({ inventory: { kind: 'file_sd', file }, scrape: { intervalMs: 1000, timeoutMs: 1000 } });
  let frames = 0;
  live.core.onFrame(() => frames++);
  // Time the ingest of every node event (the console's work between event in and frame out).
  const ingestMs: number[] = [];
  const ingest = live.core.ingest;
  const original = ingest.streamEvent.bind(ingest);
  ingest.streamEvent = (id, e) => {
    const t = performance.now();
    original(id, e);
    if (ingestMs.length < 1_000_000) ingestMs.push(performance.now() - t);
  };
  let cpu0 = process.cpuUsage();
  let t0 = Date.now();
  let frames0 = 0;
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'begin') {
      cpu0 = process.cpuUsage();
      t0 = Date.now();
      frames0 = frames;
      live.core.publisher.latencies.length = 0;
      live.core.publisher.buildTimes.length = 0;
      ingestMs.length = 0;
      process.send?.({ begun: true });
    }
    if (m.cmd === 'end') {
      const cpu = process.cpuUsage(cpu0);
      const lat = [...live.core.publisher.latencies].sort((a, b) => a - b);
      const build = [...live.core.publisher.buildTimes].sort((a, b) => a - b);
      const ing = ingestMs.sort((a, b) => a - b);
      const p99 = (a: number[]) => a[Math.floor(a.length * 0.99)] ?? null;
      const nodes = [...live.core.ingest.nodes.values()];
      process.send?.({
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        wallSeconds: (Date.now() - t0) / 1000,
        rssBytes: process.memoryUsage.rss(),
        heapUsedBytes: process.memoryUsage().heapUsed,
        frames: frames - frames0,
        ingestP99Ms: p99(ing),
        frameBuildP99Ms: p99(build),
        frameLatencyP50Ms: lat[Math.floor(lat.length * 0.5)] ?? null,
        frameLatencyP99Ms: lat[Math.floor(lat.length * 0.99)] ?? null,
        targets: nodes.length,
        nodesUp: nodes.filter((n) => n.health === 'up').length,
        scrapesOk: nodes.filter((n) => n.scrape.state === 'ok').length,
        streamsOpen: nodes.filter((n) => n.events.state === 'ok').length,
        storeSeries: live.core.store.seriesCount(),
        storeBytes: live.core.store.approxBytes(),
      });
      void live.stop().then(() => process.exit(0));
    }
  });
  process.send?.({ ready: true });
})();
