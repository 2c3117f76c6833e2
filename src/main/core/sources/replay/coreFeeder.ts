import type { SourceInfo, TimelineEvent } from '../../../../shared/api';
import { ConsoleCore } from '../../consoleCore';
import type { SeriesStoreOptions } from '../../store';
import { restoreNode } from '../../recording/checkpoint';
import type { InventoryMessage } from '../../recording/recordedInventory';
import { replayStatus, replayTarget } from '../../recording/recordedInventory';
import type { ReplayInput } from '../../recording/reader/replayInput';
import type { NewEvent } from '../../signals/timeline';

/** The replay clock: the core's `now` while a recording feeds it (ms, the recorded times). */
export class ReplayClock {
  ms = 0;
  readonly now = (): number => this.ms;
}

export interface FeederOptions {
  source: SourceInfo;
  scrapeIntervalMs: number;
  store?: SeriesStoreOptions;
}

/**
 * A console core fed by a recording, through the same Ingest calls the recorded core
 * received, on the replay clock. Two things differ from a live core, both so the replay
 * shows what was shown live:
 *
 * - The timeline is the recorded one. The core still runs its health machine and signals
 *   (their state feeds what it shows), but the timeline events they raise again are
 *   dropped; the recorded events (and their updates: a spike's end) are added as the
 *   clock reaches them. Events that cannot be recomputed (audit records of actions) are
 *   there too.
 * - Active signals come from the recorded checkpoints (a core started mid-recording has
 *   not seen the five minutes of baseline its spike detectors need).
 */
export class CoreFeeder {
  readonly core: ConsoleCore;
  /** Recorded event id → the event in this core's timeline. */
  private readonly events = new Map<number, TimelineEvent>();
  private readonly addEvent: (e: NewEvent) => TimelineEvent;
  private readonly touchEvent: (e: TimelineEvent) => void;
  private active: number[] = [];
  /** Inputs the core threw on (recorded input the current code rejects): counted, never fatal. */
  failures = 0;

  constructor(
    readonly clock: ReplayClock,
    o: FeederOptions,
  ) {
    this.core = new ConsoleCore({ now: clock.now, source: o.source, scrapeIntervalMs: o.scrapeIntervalMs, store: o.store });
    const tl = this.core.timeline;
    this.addEvent = tl.add.bind(tl);
    this.touchEvent = tl.touch.bind(tl);
    // Events the replaying core derives again are not shown: the recorded ones are.
    tl.add = (e: NewEvent): TimelineEvent => ({ endTs: null, cause: null, data: {}, ...e, id: 0 });
    tl.touch = () => {};
  }

  /** Feeds one recorded input at its recorded time. */
  apply(input: ReplayInput): void {
    this.clock.ms = input.atMs;
    try {
      this.dispatch(input);
    } catch {
      this.failures++;
    }
  }

  private dispatch(input: ReplayInput): void {
    const core = this.core;
    switch (input.kind) {
      case 'scrape':
        return core.ingest.scrape(input.node, input.outcome);
      case 'event':
        return core.ingest.streamEvent(input.node, input.event);
      case 'status':
        return core.ingest.streamStatus(input.node, input.status);
      case 'tick':
        return core.tick();
      case 'inventory':
        return this.inventory(input.msg);
      case 'timeline':
        return this.timeline(input.event);
      case 'checkpoint':
        this.active = input.active;
        return;
      case 'sync':
        return;
    }
  }

  private inventory(m: InventoryMessage): void {
    if (m.op === 'status') this.core.setInventory(replayStatus(m));
    else this.core.ingest.setTargets(m.targets.map(replayTarget));
  }

  /** Adds a recorded event, or applies a recorded update of one already shown (same recorded id). */
  timeline(e: TimelineEvent): void {
    const fields = { ts: e.ts, endTs: e.endTs, node: e.node, kind: e.kind, severity: e.severity, title: e.title, reason: e.reason, cause: e.cause, data: { ...e.data } };
    const shown = this.events.get(e.id);
    if (shown) {
      Object.assign(shown, fields);
      this.touchEvent(shown);
      return;
    }
    this.events.set(e.id, this.addEvent(fields));
  }

  /**
   * Puts the core in the state a checkpoint recorded: its nodes' models, the signals
   * open then. The inventory and the timeline up to that point are applied before.
   */
  restore(cp: Extract<ReplayInput, { kind: 'checkpoint' }>): void {
    this.clock.ms = cp.atMs;
    for (const [id, snap] of cp.nodes) {
      const m = this.core.ingest.nodes.get(id);
      if (m) restoreNode(m, snap);
    }
    this.active = cp.active;
    this.core.publisher.markDirty();
  }

  /** The signals open now, as the recorded core had them (for the fleet header of a frame). */
  activeEvents(): TimelineEvent[] {
    const out: TimelineEvent[] = [];
    for (const id of this.active) {
      const e = this.events.get(id);
      if (e) out.push(e);
    }
    return out;
  }

  /** This core's event for a recorded event id. */
  eventFor(recordedId: number): TimelineEvent | undefined {
    return this.events.get(recordedId);
  }

  stop(): void {
    this.core.stop();
  }
}
