import type { TimelineEvent } from '../../../shared/api';
import type { ConsoleCore } from '../consoleCore';
import type { IngestEvent, IngestStreamStatus } from '../ingest/ingest';
import type { InventoryStatus } from '../inventory/inventorySource';
import type { Target } from '../inventory/target';
import type { ScrapeOutcome } from '../sources/scrape/fetchMetrics';

/** What a tap on a core reports, in the order the core sees it. */
export interface CoreTapListener {
  targets(targets: readonly Target[]): void;
  streamStatus(node: string, s: IngestStreamStatus): void;
  streamEvent(node: string, e: IngestEvent): void;
  scrape(node: string, o: ScrapeOutcome): void;
  inventory(s: InventoryStatus): void;
  /** Before the core's once-a-second tick. */
  tick(): void;
  /** After the tick: the core's state is settled for this second. */
  afterTick(): void;
  timeline(e: TimelineEvent): void;
}

/**
 * Taps a running core without changing it: wraps its Ingest methods (the one path every
 * source feeds), its tick and its inventory setter on the instance, and listens to its
 * timeline. The listener hears each input before the core acts on it, so what the input
 * causes (timeline events) follows it. A listener that throws is the tap's problem, never
 * the console's: the call goes on to the core regardless. `hold` wraps each call (a
 * RecordingClock holds the core's clock still through it). Returns the function that
 * removes the tap (wrappers that others have since wrapped again become pass-through).
 */
export function tapCore(core: ConsoleCore, l: CoreTapListener, onError: (err: unknown) => void, hold: <T>(fn: () => T) => T = (fn) => fn()): () => void {
  let active = true;
  const safe = (fn: () => void): void => {
    if (!active) return;
    try {
      fn();
    } catch (err) {
      onError(err);
    }
  };
  const ingest = core.ingest;
  const orig = {
    setTargets: ingest.setTargets,
    streamStatus: ingest.streamStatus,
    streamEvent: ingest.streamEvent,
    scrape: ingest.scrape,
    tick: core.tick,
    setInventory: core.setInventory,
  };
  // Methods someone had already wrapped on the instance are put back as they were; prototype ones are unshadowed.
  const ownBefore = {
    setTargets: Object.hasOwn(ingest, 'setTargets'),
    streamStatus: Object.hasOwn(ingest, 'streamStatus'),
    streamEvent: Object.hasOwn(ingest, 'streamEvent'),
    scrape: Object.hasOwn(ingest, 'scrape'),
    tick: Object.hasOwn(core, 'tick'),
    setInventory: Object.hasOwn(core, 'setInventory'),
  };
  const wrappers = {
    setTargets: (targets: readonly Target[]) =>
      hold(() => {
        safe(() => l.targets(targets));
        return orig.setTargets.call(ingest, targets);
      }),
    streamStatus: (id: string, s: IngestStreamStatus) =>
      hold(() => {
        safe(() => l.streamStatus(id, s));
        orig.streamStatus.call(ingest, id, s);
      }),
    streamEvent: (id: string, e: IngestEvent) =>
      hold(() => {
        safe(() => l.streamEvent(id, e));
        orig.streamEvent.call(ingest, id, e);
      }),
    scrape: (id: string, o: ScrapeOutcome) =>
      hold(() => {
        safe(() => l.scrape(id, o));
        orig.scrape.call(ingest, id, o);
      }),
    tick: () =>
      hold(() => {
        safe(() => l.tick());
        orig.tick.call(core);
        safe(() => l.afterTick());
      }),
    setInventory: (s: InventoryStatus) =>
      hold(() => {
        safe(() => l.inventory(s));
        orig.setInventory.call(core, s);
      }),
  };
  ingest.setTargets = wrappers.setTargets;
  ingest.streamStatus = wrappers.streamStatus;
  ingest.streamEvent = wrappers.streamEvent;
  ingest.scrape = wrappers.scrape;
  core.tick = wrappers.tick;
  core.setInventory = wrappers.setInventory;
  const unsubscribe = core.timeline.onEvent((e) => safe(() => l.timeline(e)));

  return () => {
    active = false;
    unsubscribe();
    const restore = (obj: object, key: keyof typeof orig) => {
      const o = obj as Record<string, unknown>;
      if (o[key] !== wrappers[key]) return;
      if (ownBefore[key]) o[key] = orig[key];
      else Reflect.deleteProperty(o, key);
    };
    for (const key of ['setTargets', 'streamStatus', 'streamEvent', 'scrape'] as const) restore(ingest, key);
    restore(core, 'tick');
    restore(core, 'setInventory');
  };
}
