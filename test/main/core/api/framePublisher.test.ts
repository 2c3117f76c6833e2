import { describe, expect, it } from 'vitest';
import { FramePublisher } from '../../../../src/main/core/api/framePublisher';
import type { LiveFrame, TimelineEvent } from '../../../../src/shared/api';

const frame = (events: TimelineEvent[], dropped: number, seq: number) => ({ seq, events, droppedEvents: dropped }) as unknown as LiveFrame;
const ev = (id: number) => ({ id }) as TimelineEvent;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('FramePublisher', () => {
  it('sends at most one frame per interval, coalescing changes (latest wins)', async () => {
    const p = new FramePublisher(frame, 100);
    const got: LiveFrame[] = [];
    p.subscribe((f) => got.push(f));
    await sleep(5);
    const t0 = Date.now();
    while (Date.now() - t0 < 550) {
      p.markDirty();
      await sleep(2);
    }
    await sleep(120);
    p.stop();
    // ~550 ms of constant change at ≤ 10 Hz: 6 or 7 frames, never 100s.
    expect(got.length).toBeGreaterThanOrEqual(5);
    expect(got.length).toBeLessThanOrEqual(8);
  });

  it('sends the first change after a quiet spell at once', async () => {
    const p = new FramePublisher(frame, 100);
    const got: number[] = [];
    p.subscribe(() => got.push(Date.now()));
    await sleep(250);
    const t = Date.now();
    p.markDirty();
    await sleep(30);
    p.stop();
    expect(got.at(-1)! - t).toBeLessThan(25);
  });

  it('bounds the events per frame and says how many were left out; updates keep one entry', async () => {
    const p = new FramePublisher(frame, 100, 3);
    const got: LiveFrame[] = [];
    p.subscribe((f) => got.push(f));
    await sleep(5);
    for (const id of [1, 2, 2, 3, 4, 5]) p.event(ev(id));
    await sleep(150);
    p.stop();
    const withEvents = got.filter((f) => f.events.length > 0);
    expect(withEvents.map((f) => f.events.map((e) => e.id))).toEqual([[1, 2, 3]]);
    expect(withEvents[0].droppedEvents).toBe(2);
  });

  it('a throwing subscriber does not starve the others', async () => {
    const p = new FramePublisher(frame, 10);
    let ok = 0;
    p.subscribe(() => {
      throw new Error('boom');
    });
    p.subscribe(() => ok++);
    await sleep(30);
    p.stop();
    expect(ok).toBeGreaterThan(0);
  });
});
