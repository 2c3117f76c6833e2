// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { createLiveStore, mergeEventList, pushSpark, SPARK_SIZE, TIMELINE_CAP } from '../../../../src/renderer/src/features/live';
import { event, frame, node } from '../../helpers/frames';

const T0 = 1_700_000_000_000;

describe('live store', () => {
  it('applies a frame: view, nodes by id, fleet figures', () => {
    const store = createLiveStore();
    store.getState().applyFrame(frame([node('gw-1'), node('gw-2', { connections: { ws: 5, sse: 3, longpoll: 2, total: 10 } })]));
    const v = store.getState().view!;
    expect(v.nodes.map((n) => n.id)).toEqual(['gw-1', 'gw-2']);
    expect(v.byId.get('gw-2')!.connections.total).toBe(10);
    expect(v.fleet.connections.total).toBe(110);
    expect(store.getState().latest).toBe(v);
  });

  it('keeps an unchanged node (and the fleet) as the same object across frames, so rows can skip rendering', () => {
    const store = createLiveStore();
    store.getState().applyFrame(frame([node('gw-1'), node('gw-2')]));
    const first = store.getState().view!;
    // Same values, new objects (as JSON off the wire), except gw-2's connection count.
    store.getState().applyFrame(frame([node('gw-1'), node('gw-2', { connections: { ws: 71, sse: 20, longpoll: 10, total: 101 } })], { ts: T0 + 100 }));
    const second = store.getState().view!;
    expect(second.byId.get('gw-1')).toBe(first.byId.get('gw-1'));
    expect(second.byId.get('gw-2')).not.toBe(first.byId.get('gw-2'));
    expect(second.byId.get('gw-2')!.connections.total).toBe(101);
    store.getState().applyFrame(frame([node('gw-1'), node('gw-2', { connections: { ws: 71, sse: 20, longpoll: 10, total: 101 } })], { ts: T0 + 200 }));
    const third = store.getState().view!;
    expect(third.nodes).toBe(second.nodes);
    expect(third.fleet).toBe(second.fleet);
  });

  it('keeps a per-node sparkline ring of reconnect rates: one sample a second, never more than SPARK_SIZE', () => {
    const store = createLiveStore();
    for (let i = 0; i < 100; i++) {
      // Ten frames a second: only every tenth one adds a sample.
      store.getState().applyFrame(frame([node('gw-1', { reconnectsPerSec: i })], { ts: T0 + i * 100 }));
    }
    expect(store.getState().view!.sparks.get('gw-1')).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    for (let i = 0; i < 200; i++) store.getState().applyFrame(frame([node('gw-1', { reconnectsPerSec: i })], { ts: T0 + 20_000 + i * 1000 }));
    const ring = store.getState().view!.sparks.get('gw-1')!;
    expect(ring.length).toBe(SPARK_SIZE);
    expect(ring[ring.length - 1]).toBe(199);
    expect(ring[0]).toBe(199 - SPARK_SIZE + 1);
  });

  it('drops the ring of a node that left the fleet', () => {
    const store = createLiveStore();
    store.getState().applyFrame(frame([node('gw-1'), node('gw-2')]));
    store.getState().applyFrame(frame([node('gw-1')], { ts: T0 + 2000 }));
    expect([...store.getState().view!.sparks.keys()]).toEqual(['gw-1']);
  });

  it('pause freezes what is shown but keeps ingesting; resume jumps to the latest', () => {
    const store = createLiveStore();
    store.getState().applyFrame(frame([node('gw-1', { connections: { ws: 1, sse: 0, longpoll: 0, total: 1 } })], { ts: T0 }));
    store.getState().pause();
    expect(store.getState().paused).toBe(true);
    expect(store.getState().windowEndMs).toBe(T0);
    const frozen = store.getState().view;
    for (let i = 2; i <= 5; i++) {
      store.getState().applyFrame(frame([node('gw-1', { connections: { ws: i, sse: 0, longpoll: 0, total: i } })], { ts: T0 + i * 1000, events: [event(i)] }));
    }
    const s = store.getState();
    expect(s.view).toBe(frozen);
    expect(s.view!.byId.get('gw-1')!.connections.total).toBe(1);
    expect(s.latest!.byId.get('gw-1')!.connections.total).toBe(5);
    expect(s.events.map((e) => e.id)).toEqual([5, 4, 3, 2]);
    expect(s.shownEvents).toEqual([]);
    expect(s.framesSincePause).toBe(4);
    store.getState().resume();
    const r = store.getState();
    expect(r.paused).toBe(false);
    expect(r.windowEndMs).toBeNull();
    expect(r.view!.byId.get('gw-1')!.connections.total).toBe(5);
    expect(r.shownEvents.map((e) => e.id)).toEqual([5, 4, 3, 2]);
  });

  it('focusing an event pauses with the window around it and marks the moment', () => {
    const store = createLiveStore();
    store.getState().applyFrame(frame([node('gw-1')], { ts: T0 + 3_600_000 }));
    store.getState().focusAt(T0 + 600_000);
    const s = store.getState();
    expect(s.paused).toBe(true);
    expect(s.focusTs).toBe(T0 + 600_000);
    // Five-minute window: the event sits at two thirds of it.
    expect(s.windowEndMs).toBe(T0 + 600_000 + 100_000);
    expect(s.windowEndMs! - s.rangeMs).toBeLessThan(T0 + 600_000);
    // Never past the latest frame: an event of a moment ago gets a window ending now.
    store.getState().focusAt(T0 + 3_599_000);
    expect(store.getState().windowEndMs).toBe(T0 + 3_600_000);
  });
});

describe('timeline list', () => {
  it('merges newest first, replaces an event seen again (a spike that ended), and stays bounded', () => {
    let list = mergeEventList([], [event(1), event(2)]);
    list = mergeEventList(list, [event(1, { endTs: T0 + 5000, reason: 'ended' }), event(3)]);
    expect(list.map((e) => e.id)).toEqual([3, 2, 1]);
    expect(list[2].reason).toBe('ended');
    const many = Array.from({ length: TIMELINE_CAP + 500 }, (_, i) => event(i + 10));
    const capped = mergeEventList(list, many);
    expect(capped.length).toBe(TIMELINE_CAP);
    expect(capped[0].id).toBe(TIMELINE_CAP + 509);
  });

  it('returns the same list when there is nothing to merge', () => {
    const list = mergeEventList([], [event(1)]);
    expect(mergeEventList(list, [])).toBe(list);
  });
});

describe('spark ring', () => {
  it('never grows past its size', () => {
    let r = pushSpark(undefined, 1, 3);
    r = pushSpark(pushSpark(pushSpark(r, 2, 3), 3, 3), 4, 3);
    expect(r).toEqual([2, 3, 4]);
    expect(pushSpark(r, Number.NaN, 3)).toEqual([3, 4, 0]);
  });
});
