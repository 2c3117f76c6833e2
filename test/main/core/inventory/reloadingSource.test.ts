import { describe, expect, it } from 'vitest';
import { ReloadingSource } from '../../../../src/main/core/inventory';
import type { InventoryLoad, ReloadTrigger, Target } from '../../../../src/main/core/inventory';
import { recordChanges } from './inventoryFixture';

const target = (id: string): Target => ({ id, opsUrl: 'http://127.0.0.1:1', labels: {}, readToken: null, adminToken: null, source: 'test' });
const good = (...ids: string[]): InventoryLoad => ({ ok: true, targets: ids.map(target), warnings: [], watch: ['/w'] });
const bad = (message: string): InventoryLoad => ({ ok: false, error: { source: 's', entry: null, field: null, message }, watch: [] });

/** A trigger the test fires by hand; records what it is told. */
class ManualTrigger implements ReloadTrigger {
  fire: (() => void) | null = null;
  watched: string[][] = [];
  stopped = 0;
  start(reload: () => void): void {
    this.fire = reload;
  }
  loaded(watch: readonly string[]): void {
    this.watched.push([...watch]);
  }
  stop(): void {
    this.stopped++;
  }
}

/** A loader whose answers the test queues; counts concurrent calls. */
function scriptedLoader(outcomes: InventoryLoad[]) {
  const state = { calls: 0, inFlight: 0, maxInFlight: 0 };
  const load = async (): Promise<InventoryLoad> => {
    state.calls++;
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    await new Promise((r) => setTimeout(r, 20));
    state.inFlight--;
    const next = outcomes.shift();
    if (!next) throw new Error('loader called too often');
    return next;
  };
  return { load, state };
}

describe('ReloadingSource', () => {
  it('keeps the last good targets after a failed load and reports only real changes', async () => {
    let now = 1000;
    const { load } = scriptedLoader([good('a'), good('a'), bad('broken'), bad('broken'), bad('worse'), good('b')]);
    const trigger = new ManualTrigger();
    const src = new ReloadingSource('s', load, trigger, () => now);
    const seen = recordChanges(src);
    await src.start();
    expect(src.status).toEqual({ source: 's', targets: [target('a')], warnings: [], lastError: null, loadedAt: 1000 });
    expect(trigger.watched).toEqual([['/w']]);

    now = 2000;
    await src.reload(); // same targets: no onChange, loadedAt refreshed
    await src.reload(); // broken
    await src.reload(); // broken again, same error: no onChange
    await src.reload(); // a different error
    now = 3000;
    await src.reload(); // good again
    expect(seen.map((s) => [s.targets.map((t) => t.id), s.lastError?.message ?? null, s.loadedAt])).toEqual([
      [['a'], null, 1000],
      [['a'], 'broken', 2000],
      [['a'], 'worse', 2000],
      [['b'], null, 3000],
    ]);
  });

  it('never runs two loads at once; triggers during a load coalesce into one more load', async () => {
    const { load, state } = scriptedLoader([good('a'), good('b'), good('c')]);
    const trigger = new ManualTrigger();
    const src = new ReloadingSource('s', load, trigger);
    await src.start();
    trigger.fire?.(); // starts load 2
    trigger.fire?.(); // during load 2: one more load after it…
    trigger.fire?.(); // …not two
    await src.reload(); // also during load 2: the same promise
    expect(state).toMatchObject({ calls: 3, maxInFlight: 1 });
    expect(src.status.targets.map((t) => t.id)).toEqual(['c']);
  });

  it('turns a loader that throws into an error naming the source', async () => {
    const src = new ReloadingSource('/x/fleet.json', () => Promise.reject(new Error('boom')), new ManualTrigger());
    await src.start();
    expect(src.status.lastError?.message).toBe('/x/fleet.json: unexpected error while loading: boom');
  });

  it('isolates a throwing listener, and unsubscribes', async () => {
    const { load } = scriptedLoader([good('a'), good('b')]);
    const src = new ReloadingSource('s', load, new ManualTrigger());
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    src.onChange(() => {
      throw new Error('listener bug');
    });
    const seen = recordChanges(src);
    const off = src.onChange(() => seen.push(src.status));
    off();
    try {
      await src.start();
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(seen).toHaveLength(1);
    expect(warnings).toEqual(['inventory onChange listener threw: listener bug']);
  });

  it('stop stops the trigger, waits for the load in progress and drops its outcome', async () => {
    const { load } = scriptedLoader([good('a'), good('b')]);
    const trigger = new ManualTrigger();
    const src = new ReloadingSource('s', load, trigger);
    await src.start();
    const seen = recordChanges(src);
    const pending = src.reload();
    await src.stop();
    await pending;
    expect(trigger.stopped).toBe(1);
    expect(seen).toEqual([]);
    expect(src.status.targets.map((t) => t.id)).toEqual(['a']);
  });
});
