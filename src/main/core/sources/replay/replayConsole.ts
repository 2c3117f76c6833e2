import type { DataApi, InventoryInfo, LiveFrame, Result, SeriesRequest, SeriesWindow, TimelineEvent, TimelineQuery } from '../../../../shared/api';
import { seriesRequestSchema } from '../../../../shared/api';
import type { ConsoleCore } from '../../consoleCore';
import type { ReplaySource } from './replaySource';

const unavailable = (source: ReplaySource): { ok: false; code: 'unavailable'; message: string } => ({
  ok: false,
  code: 'unavailable',
  message: source.status().error ?? 'the recording is not loaded',
});

/**
 * The console API over a replay: the same answers a live console gives, from the core
 * the recording feeds right now (a seek swaps it; frame subscriptions follow). Two
 * differences, both so a replay shows what was live: charts read the chart-history core
 * (the whole recording, cut at the replay clock) once it has loaded that far, and a
 * frame's active signals are the recorded ones.
 */
export class ReplayConsole implements DataApi {
  private readonly subscribers = new Set<(f: LiveFrame) => void>();
  private unsubscribeCore: (() => void) | null = null;

  constructor(private readonly source: ReplaySource) {
    source.onCore((core) => this.follow(core));
    if (source.core) this.follow(source.core);
  }

  private follow(core: ConsoleCore): void {
    this.unsubscribeCore?.();
    this.unsubscribeCore = null;
    if (this.subscribers.size > 0) this.attach(core);
  }

  private attach(core: ConsoleCore): void {
    this.unsubscribeCore = core.onFrame((f) => {
      const frame: LiveFrame = { ...f, fleet: { ...f.fleet, active: this.source.activeSignals() }, session: { ...f.session, mode: 'replay' } };
      for (const fn of this.subscribers) fn(frame);
    });
  }

  async getSeries(req: SeriesRequest): Promise<Result<SeriesWindow>> {
    const core = this.source.core;
    if (!core) return unavailable(this.source);
    const parsed = seriesRequestSchema.safeParse(req);
    if (!parsed.success) return core.getSeries(req);
    const clock = this.source.status().clockMs;
    const r = parsed.data;
    // Nothing after the replay clock: ask for the part of the window up to it, at the same pixel pitch.
    const toMs = Math.min(r.toMs, clock);
    if (toMs <= r.fromMs) return { ok: true, value: { metric: r.metric, fromMs: r.fromMs, toMs: r.toMs, lines: [] } };
    const width = Math.max(1, Math.round((r.width * (toMs - r.fromMs)) / (r.toMs - r.fromMs)));
    const from = this.source.historyCore(toMs) ?? core;
    const w = await from.getSeries({ ...r, toMs, width });
    return w.ok ? { ok: true, value: { ...w.value, toMs: r.toMs } } : w;
  }

  async getTimeline(q: TimelineQuery): Promise<Result<TimelineEvent[]>> {
    return this.source.core?.getTimeline(q) ?? unavailable(this.source);
  }

  async getInventory(): Promise<Result<InventoryInfo>> {
    return this.source.core?.getInventory() ?? unavailable(this.source);
  }

  onFrame(fn: (frame: LiveFrame) => void): () => void {
    this.subscribers.add(fn);
    if (this.subscribers.size === 1 && this.source.core) this.attach(this.source.core);
    return () => {
      this.subscribers.delete(fn);
      if (this.subscribers.size === 0) {
        this.unsubscribeCore?.();
        this.unsubscribeCore = null;
      }
    };
  }
}
