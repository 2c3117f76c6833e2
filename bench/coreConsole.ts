/**
 * The console side of bench:core, in its own process so its CPU and RSS are its own:
 * a live console on a file_sd fleet, scraping every second. Told over IPC when the
 * measured window starts and ends; answers with its figures.
 */
import { getHeapSpaceStatistics } from 'node:v8';
import { startLiveConsole } from '../src/main/core';

const file = process.argv[2];
if (!file) throw new Error('usage: coreConsole.ts <fleet-file>');

/**
 * Latencies in ms, kept as counts in log-spaced bins (0.5% wide, 1 µs to 100 s) rather
 * than one number per event: a one-hour run sees 720,000 events, and arrays of them would
 * grow the very RSS this process reports. Quantiles are exact to the bin (±0.5%).
 */
class Latencies {
  private static readonly RATIO = 1.005;
  private static readonly MIN = 0.001;
  private readonly bins = new Uint32Array(Math.ceil(Math.log(1e5 / Latencies.MIN) / Math.log(Latencies.RATIO)) + 2);
  count = 0;

  add(ms: number): void {
    const b = ms <= Latencies.MIN ? 0 : Math.min(this.bins.length - 1, 1 + Math.floor(Math.log(ms / Latencies.MIN) / Math.log(Latencies.RATIO)));
    this.bins[b]++;
    this.count++;
  }

  clear(): void {
    this.bins.fill(0);
    this.count = 0;
  }

  /** The q-quantile (the bin's upper edge), or null when empty. */
  at(q: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.min(this.count - 1, Math.floor(this.count * q));
    let seen = 0;
    for (let b = 0; b < this.bins.length; b++) {
      seen += this.bins[b];
      if (seen > rank) return b === 0 ? Latencies.MIN : Latencies.MIN * Latencies.RATIO ** b;
    }
    return null;
  }
}

void (async () => {
  const live = await startLiveConsole({ inventory: { kind: 'file_sd', file }, scrape: { intervalMs: 1000, timeoutMs: 1000 } });
  let frames = 0;
  // Node event in → frame out, per event: the event's arrival (the console's ingest of it
  // starting) to the frame carrying it being handed to a subscriber, split into the
  // console's own work (ingest of the event, then building and handing out its frame)
  // and the wait between them for the ≤ 10 Hz frame slot.
  const ingest = live.core.ingest;
  const publisher = live.core.publisher;
  const ingestMs = new Latencies();
  const eventToFrameMs = new Latencies();
  const ownWorkMs = new Latencies();
  const slotWaitMs = new Latencies();
  const buildMs = new Latencies();
  /** Events ingested since the last frame: arrival time and ingest ms. */
  const waiting: number[] = [];
  const original = ingest.streamEvent.bind(ingest);
  ingest.streamEvent = (id, e) => {
    const t = performance.now();
    original(id, e);
    const ms = performance.now() - t;
    ingestMs.add(ms);
    waiting.push(t, ms);
  };
  live.core.onFrame(() => {
    frames++;
    const out = performance.now();
    const build = out - publisher.flushStartedAt;
    buildMs.add(build);
    for (let i = 0; i < waiting.length; i += 2) {
      const t = waiting[i];
      const ms = waiting[i + 1];
      eventToFrameMs.add(out - t);
      ownWorkMs.add(ms + build);
      slotWaitMs.add(publisher.flushStartedAt - (t + ms));
    }
    waiting.length = 0;
  });
  // BENCH_CORE_RSS_EVERY_S=n: one stderr line every n seconds (RSS, heap, store), to follow a long run.
  const every = Number(process.env.BENCH_CORE_RSS_EVERY_S ?? 0);
  if (every > 0) {
    const started = Date.now();
    setInterval(() => {
      const m = process.memoryUsage();
      const mb = (x: number) => (x / 1e6).toFixed(1);
      const spaces = getHeapSpaceStatistics().map((sp) => `${sp.space_name}=${mb(sp.space_size)}/${mb(sp.space_used_size)}`).join(' ');
      process.stderr.write(`bench:core console t=${Math.round((Date.now() - started) / 1000)}s rss=${mb(m.rss)}MB heapTotal=${mb(m.heapTotal)}MB heapUsed=${mb(m.heapUsed)}MB arrayBuffers=${mb(m.arrayBuffers)}MB store=${mb(live.core.store.approxBytes())}MB series=${live.core.store.seriesCount()} spaces(MB size/used): ${spaces}\n`);
    }, every * 1000).unref();
  }
  let cpu0 = process.cpuUsage();
  let t0 = Date.now();
  let frames0 = 0;
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'begin') {
      cpu0 = process.cpuUsage();
      t0 = Date.now();
      frames0 = frames;
      for (const l of [ingestMs, eventToFrameMs, ownWorkMs, slotWaitMs, buildMs]) l.clear();
      process.send?.({ begun: true });
    }
    if (m.cmd === 'end') {
      const cpu = process.cpuUsage(cpu0);
      const nodes = [...live.core.ingest.nodes.values()];
      process.send?.({
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        wallSeconds: (Date.now() - t0) / 1000,
        rssBytes: process.memoryUsage.rss(),
        heapUsedBytes: process.memoryUsage().heapUsed,
        heapTotalBytes: process.memoryUsage().heapTotal,
        arrayBuffersBytes: process.memoryUsage().arrayBuffers,
        frames: frames - frames0,
        events: eventToFrameMs.count,
        eventToFrameP50Ms: eventToFrameMs.at(0.5),
        eventToFrameP99Ms: eventToFrameMs.at(0.99),
        ownWorkP50Ms: ownWorkMs.at(0.5),
        ownWorkP99Ms: ownWorkMs.at(0.99),
        slotWaitP50Ms: slotWaitMs.at(0.5),
        slotWaitP99Ms: slotWaitMs.at(0.99),
        ingestP99Ms: ingestMs.at(0.99),
        frameBuildP99Ms: buildMs.at(0.99),
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
