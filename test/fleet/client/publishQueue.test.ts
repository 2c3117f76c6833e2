import { describe, expect, it } from 'vitest';
import type { WirePublish } from '../../../src/fleet/client/connection';
import { PublishQueue } from '../../../src/fleet/client/publishQueue';
import { sleep } from './fleetHarness';

describe('PublishQueue', () => {
  it('waits for a connection, then sends; the ack settles the publish', async () => {
    const q = new PublishQueue(1000);
    const sent: WirePublish[] = [];
    const p = q.add('a', { x: 1 }, 'id-1', false);
    expect(sent).toEqual([]);
    q.attach((w) => sent.push(w));
    expect(sent).toEqual([{ channel: 'a', data: { x: 1 }, id: 'id-1', ref: expect.any(String), ephemeral: false }]);
    expect(q.ack(sent[0].ref, 7, false)).toBe(true);
    await expect(p).resolves.toEqual({ seq: 7, duplicate: false });
    expect(q.size).toBe(0);
    expect(q.ack(sent[0].ref, 7, false)).toBe(false);
  });

  it('resends what was in flight on the next connection, with the same id and no second copy', async () => {
    const q = new PublishQueue(1000);
    const first: WirePublish[] = [];
    const second: WirePublish[] = [];
    q.attach((w) => first.push(w));
    const p = q.add('a', 1, 'same-id', false);
    q.detach();
    q.attach((w) => second.push(w));
    q.attach((w) => second.push(w)); // attaching again does not send twice: it is in flight
    expect(first.map((w) => w.id)).toEqual(['same-id']);
    expect(second.map((w) => w.id)).toEqual(['same-id']);
    q.ack(second[0].ref, 3, true);
    await expect(p).resolves.toEqual({ seq: 3, duplicate: true });
  });

  it('retries after rate_limited / unavailable, and rejects on bad_request / too_large', async () => {
    const q = new PublishQueue(5000, () => 0.5);
    const sent: WirePublish[] = [];
    q.attach((w) => sent.push(w));
    const retried = q.add('a', 1, 'r1', false);
    q.error(sent[0].ref, 'rate_limited', 'slow down');
    expect(sent).toHaveLength(1);
    await sleep(250); // first retry within random(0, 200 ms)
    expect(sent.map((w) => w.id)).toEqual(['r1', 'r1']);
    q.error(sent[1].ref, 'unavailable', 'bus down');
    await sleep(450);
    expect(sent.map((w) => w.id)).toEqual(['r1', 'r1', 'r1']);
    q.ack(sent[2].ref, 1, false);
    await expect(retried).resolves.toEqual({ seq: 1, duplicate: false });

    const bad = q.add('a', 1, 'r2', false);
    q.error(sent[3].ref, 'bad_request', 'id: too long');
    await expect(bad).rejects.toThrow('publish to a rejected (bad_request): id: too long');
    const big = q.add('a', 1, 'r3', false);
    q.error(sent[4].ref, 'too_large', 'over 64 KiB');
    await expect(big).rejects.toThrow(/too_large/);
  });

  it('rejects after the timeout with an error that says what to do', async () => {
    const q = new PublishQueue(100);
    const started = Date.now();
    await expect(q.add('a', 1, 'lost', false)).rejects.toThrow(/publish to a \(id lost\) was not acknowledged within 100 ms/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
  });

  it('after a close 1009 rejects the largest in-flight publish only', async () => {
    const q = new PublishQueue(1000);
    const sent: WirePublish[] = [];
    q.attach((w) => sent.push(w));
    const small = q.add('a', 'x', 's', false);
    const large = q.add('a', 'x'.repeat(1000), 'l', false);
    q.rejectLargestInFlight('closed with 1009');
    await expect(large).rejects.toThrow('publish to a rejected (too_large): closed with 1009');
    expect(q.size).toBe(1);
    q.ack(sent[0].ref, 1, false);
    await expect(small).resolves.toEqual({ seq: 1, duplicate: false });
  });

  it('rejects data that is not JSON at once, and everything on failAll', async () => {
    const q = new PublishQueue(1000);
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    await expect(q.add('a', cyclic, 'c', false)).rejects.toThrow(/cannot be serialized as JSON/);
    const p = q.add('a', 1, 'x', false);
    q.failAll(new Error('closed'));
    await expect(p).rejects.toThrow('closed');
    expect(q.size).toBe(0);
  });
});
