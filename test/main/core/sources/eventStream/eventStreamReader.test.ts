import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayNode } from '../../../../../src/fleet/gateway';
import type { StreamEvent } from '../../../../../src/main/core/sources/eventStream';
import { READ, opsUrl, startNodes, stopNodes } from '../../../../helpers/gatewayFixture';
import { freePort, sleep, waitFor } from '../../../../helpers/ports';
import { startReader, states, stopReaders } from './readerHarness';

// Against real gateway nodes: the contract's /events as our own gateway speaks it.
let nodes: GatewayNode[] = [];
afterEach(async () => {
  await stopReaders();
  await stopNodes(nodes);
  nodes = [];
});

const eventsUrl = (n: GatewayNode) => `${opsUrl(n)}/events`;
const seqs = (events: StreamEvent[]) => events.map((e) => e.seq);

/** Asserts each event's seq is its predecessor's plus one: nothing missed, nothing twice. */
function expectGapless(events: StreamEvent[]): void {
  const s = seqs(events);
  expect(s.every((x) => typeof x === 'number')).toBe(true);
  for (let i = 1; i < s.length; i++) expect(s[i], `seq after ${s[i - 1]}`).toBe((s[i - 1] as number) + 1);
}

describe('EventStreamReader against a gateway node', () => {
  it('receives vitals with the boot id and consecutive seqs, and learns retry: 1000', async () => {
    nodes = await startNodes(1, { config: { vitalsIntervalMs: 100 } });
    const [n] = nodes;
    const h = startReader({ url: eventsUrl(n), token: READ });
    await waitFor(() => h.events.length >= 4, 5000, '4 vitals');
    const vitals = h.events.slice(0, 4);
    for (const e of vitals) {
      expect(e.type).toBe('vitals');
      expect(e.bootId).toBe(n.bootId);
      expect(e.id).toBe(`${n.bootId}:${e.seq}`);
      expect((e.data as { node: string }).node).toBe('gw-1');
      expect(typeof (e.data as { rssBytes: number }).rssBytes).toBe('number');
    }
    expectGapless(vitals);
    const s = h.reader.status;
    expect(s.state).toBe('open');
    expect(s.retryMs).toBe(1000);
    expect(s.connects).toBe(1);
    expect(s.events).toBeGreaterThanOrEqual(4);
    expect(s.bytes).toBeGreaterThan(100);
    expect(s.lastError).toBeNull();
    expect(h.reader.lastEventId).toBe(h.events[h.events.length - 1].id);
    expect(states(h).slice(0, 2)).toEqual(['connecting', 'open']);
  });

  it('needs the read token: a wrong or missing one is a 401 in lastError, then backoff', async () => {
    nodes = await startNodes(1, { config: { vitalsIntervalMs: 100 } });
    for (const token of ['wrong-token', null]) {
      const h = startReader({ url: eventsUrl(nodes[0]), token });
      await waitFor(() => h.reader.status.state === 'backoff', 3000, `backoff with token ${token}`);
      const s = h.reader.status;
      expect(s.lastError).toMatch(/^HTTP 401: .*missing or wrong read token/);
      expect(s.nextAttemptAt).not.toBeNull();
      expect(s.events).toBe(0);
      expect(h.events).toEqual([]);
      await h.reader.stop();
    }
  });

  it('resumes after a reconnect: sends Last-Event-ID and misses nothing that was emitted meanwhile', async () => {
    nodes = await startNodes(1, { config: { vitalsIntervalMs: 100 } });
    const sent: (string | null)[] = [];
    let holdNextMs = 0;
    // Records the resume header and holds the reconnect back, so the node emits
    // events while we are away: without a working resume they would be a gap.
    const fetchImpl: typeof fetch = async (input, init) => {
      sent.push(new Headers(init?.headers).get('last-event-id'));
      const hold = holdNextMs;
      holdNextMs = 0;
      if (hold) await sleep(hold);
      return fetch(input, init);
    };
    const h = startReader({ url: eventsUrl(nodes[0]), token: READ, fetchImpl });
    await waitFor(() => h.events.length >= 3, 5000, '3 events');
    holdNextMs = 500;
    const idBefore = h.reader.lastEventId;
    const countBefore = h.events.length;
    h.reader.reconnectNow();
    await waitFor(() => h.reader.status.connects === 2 && h.reader.status.state === 'open', 3000, 'second connection');
    const seqBefore = h.events[countBefore - 1].seq as number;
    await waitFor(() => h.events.length >= countBefore + 6, 5000, 'events after the reconnect');
    expect(sent).toEqual([null, idBefore]);
    expect(idBefore).toBe(`${nodes[0].bootId}:${seqBefore}`);
    expectGapless(h.events);
    // The node went on emitting while we were held back: 500 ms at 10 Hz.
    expect(h.events[countBefore].seq).toBe(seqBefore + 1);
    expect(h.events.every((e) => e.type === 'vitals' && e.bootId === nodes[0].bootId)).toBe(true);
    expect(states(h)).toEqual(['connecting', 'open', 'connecting', 'open']);
  });

  it('after a node restart on the same ops port, gets a reset event carrying the new boot id', async () => {
    const opsPort = await freePort();
    nodes = await startNodes(1, { config: { opsPort, vitalsIntervalMs: 100 } });
    const oldBoot = nodes[0].bootId;
    const h = startReader({ url: eventsUrl(nodes[0]), token: READ });
    await waitFor(() => h.events.length >= 2, 5000, 'events from the first boot');
    await stopNodes(nodes);
    const lastOld = h.reader.lastEventId;
    expect(lastOld?.startsWith(`${oldBoot}:`)).toBe(true);
    nodes = await startNodes(1, { config: { opsPort, vitalsIntervalMs: 100 } });
    const newBoot = nodes[0].bootId;
    expect(newBoot).not.toBe(oldBoot);
    const reset = await waitFor(() => h.events.find((e) => e.type === 'reset'), 8000, 'reset event');
    expect(reset.bootId).toBe(newBoot);
    expect((reset.data as { bootId: string }).bootId).toBe(newBoot);
    expect((reset.data as { node: string }).node).toBe('gw-1');
    // Before the reset: only the old boot. After it: the new boot's events, gapless from the reset's seq.
    const at = h.events.indexOf(reset);
    expect(h.events.slice(0, at).every((e) => e.bootId === oldBoot)).toBe(true);
    await waitFor(() => h.events.length >= at + 3, 5000, 'vitals of the new boot');
    expect(h.events.slice(at).every((e) => e.bootId === newBoot)).toBe(true);
    expectGapless(h.events.slice(at));
    // The stop was a clean end of stream: backoff, said so, and honoured retry: 1000.
    const backoff = h.statuses.find((s) => s.state === 'backoff');
    expect(backoff?.lastError).toMatch(/terminated by the server/);
    expect((backoff?.nextAttemptAt as number) - (backoff?.since as number)).toBeGreaterThanOrEqual(1000);
  });
});
