import { afterEach, describe, expect, it } from 'vitest';
import type { ClientTransport } from '../../../src/fleet/client';
import type { GatewayNode } from '../../../src/fleet/gateway';
import { Harness, Recorder, drainNode, publishSteadily, range, subscribedTo, urlOf, waitFor } from './fleetHarness';

let h: Harness;
afterEach(() => h.release());

/** The node (of a, b) the client is connected to, and the other one. */
function split(client: { node: string | null }, a: GatewayNode, b: GatewayNode): [GatewayNode, GatewayNode] {
  if (client.node === 'a') return [a, b];
  if (client.node === 'b') return [b, a];
  throw new Error(`client is on no known node (${String(client.node)})`);
}

describe.each<ClientTransport>(['ws', 'sse', 'longpoll'])('RealtimeClient over %s', (t) => {
  it('receives what another client publishes through another node, and publishes itself', async () => {
    h = new Harness();
    const a = await h.node('a');
    const b = await h.node('b');
    const receiver = h.client({ urls: [urlOf(a)], user: 'r', channels: ['room'], transports: [t] });
    const sender = h.client({ urls: [urlOf(b)], user: 's', channels: ['back'], transports: [t] });
    const rr = new Recorder(receiver);
    const sr = new Recorder(sender);
    receiver.connect();
    sender.connect();
    await subscribedTo(receiver, 'room');
    await subscribedTo(sender, 'back');
    expect([receiver.transport, receiver.node, sender.transport, sender.node]).toEqual([t, 'a', t, 'b']);

    const acks = [];
    for (let i = 1; i <= 10; i++) acks.push(await sender.publish('room', { i }, { id: `m-${i}` }));
    expect(acks).toEqual(range(10).map((seq) => ({ seq, duplicate: false })));
    await waitFor(() => rr.messages.length === 10, '10 messages');
    expect(rr.messages.map((m) => [m.seq, m.data, m.id])).toEqual(range(10).map((i) => [i, { i }, `m-${i}`]));
    expect(rr.messages.every((m) => m.channel === 'room' && m.ts > 0)).toBe(true);
    expect(receiver.positions()).toEqual(new Map([['room', 10]]));

    await expect(receiver.publish('back', 'hello')).resolves.toEqual({ seq: 1, duplicate: false });
    await waitFor(() => sr.messages.length === 1, 'the reply');
    expect(sr.messages[0]).toMatchObject({ channel: 'back', seq: 1, data: 'hello' });
    expect(rr.errors).toEqual([]);
    expect(rr.states).toEqual(['connecting', 'connected']);
  });

  it('subscribes and unsubscribes while connected', async () => {
    h = new Harness();
    const a = await h.node('a');
    const c = h.client({ urls: [urlOf(a)], user: 'r', channels: ['first'], transports: [t] });
    const rec = new Recorder(c);
    c.connect();
    await subscribedTo(c, 'first');
    await c.publish('first', 1);
    c.subscribe('late');
    await subscribedTo(c, 'late');
    await c.publish('late', 'a');
    await waitFor(() => rec.seqs('late').length === 1, 'a message on the late channel');
    c.unsubscribe('late');
    await waitFor(() => !c.positions().has('late') && c.state === 'connected', 'unsubscribed');
    await c.publish('late', 'b');
    await c.publish('first', 2);
    await waitFor(() => rec.seqs('first').length === 2, 'both messages on first');
    // Nothing of "late" after the unsubscribe, nothing of "first" twice across the reopen.
    expect(rec.seqs('late')).toEqual([1]);
    expect(rec.seqs('first')).toEqual([1, 2]);
    expect(c.positions()).toEqual(new Map([['first', 2]]));
  });

  it('resumes on the other node after a crash, losing nothing', async () => {
    h = new Harness();
    const a = await h.node('a');
    const b = await h.node('b');
    const receiver = h.client({ urls: [urlOf(a), urlOf(b)], user: 'r', channels: ['feed'], transports: [t] });
    const rr = new Recorder(receiver);
    receiver.connect();
    await subscribedTo(receiver, 'feed');
    const [first, other] = split(receiver, a, b);
    const sender = h.client({ urls: [urlOf(other)], user: 's', transports: ['ws'] });
    sender.connect();

    await publishSteadily(sender, 'feed', 60, 5, (i) => {
      if (i === 20) void first.crash();
    });
    await waitFor(() => rr.messages.length >= 60, '60 messages');
    expect(rr.seqs('feed')).toEqual(range(60));
    expect(rr.nodes).toEqual([first.config.nodeId, other.config.nodeId]);
    // It arrived at the other node with a resume position (not "from now").
    expect(other.metrics.tallies.reconnects[t]).toBe(1);
    expect(receiver.transport).toBe(t);
    expect(rr.states.slice(0, 4)).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
  });

  it('moves off a draining node with no message lost, doubled or reordered, in either direction', async () => {
    h = new Harness();
    const a = await h.node('a');
    const b = await h.node('b');
    const mover = h.client({ urls: [urlOf(a), urlOf(b)], user: 'mover', channels: ['steady'], transports: [t] });
    const mr = new Recorder(mover);
    const reconnecting: number[] = [];
    const connected: number[] = [];
    mover.on('state', (s) => (s === 'reconnecting' ? reconnecting : s === 'connected' ? connected : []).push(Date.now()));
    mover.connect();
    await subscribedTo(mover, 'steady');
    const [draining, other] = split(mover, a, b);
    const steady = h.client({ urls: [urlOf(other)], user: 'steady', channels: ['own'], transports: ['ws'] });
    const sr = new Recorder(steady);
    steady.connect();
    await subscribedTo(steady, 'own');

    const N = 80;
    const M = 50;
    await Promise.all([
      // Another client publishes steadily into the channel the mover reads...
      publishSteadily(steady, 'steady', N, 10, (i) => {
        if (i === 20) void drainNode(draining);
      }),
      // ...while the mover publishes its own stream through the drain.
      publishSteadily(mover, 'own', M, 10),
    ]);
    await waitFor(() => mr.seqs('steady').length >= N && sr.seqs('own').length >= M, 'every message');

    expect(mr.seqs('steady')).toEqual(range(N));
    expect(sr.seqs('own')).toEqual(range(M));
    expect(sr.messages.map((m) => m.data)).toEqual(range(M).map((i) => ({ i })));
    expect(h.hub.channels.get('own')?.seq).toBe(M); // no publish went out twice
    expect(mr.drains).toHaveLength(1);
    expect(mr.drains[0].node).toBe(draining.config.nodeId);
    expect(mr.drains[0].reconnectAfterMs).toBeGreaterThanOrEqual(250);
    expect(mr.nodes).toEqual([draining.config.nodeId, other.config.nodeId]);
    expect(other.metrics.tallies.reconnects[t]).toBe(1);
    expect(mover.transport).toBe(t);
    // The server's jittered hint is waited after the close, instead of the backoff.
    expect(connected[1] - reconnecting[0]).toBeGreaterThanOrEqual(mr.drains[0].reconnectAfterMs - 5);
    expect(mr.errors).toEqual([]);
  });

  it('applies presence, and again after moving to another node', async () => {
    h = new Harness();
    const a = await h.node('a');
    const b = await h.node('b');
    const c = h.client({ urls: [urlOf(a), urlOf(b)], user: 'pat', transports: [t] });
    c.connect();
    await waitFor(() => c.state === 'connected', 'connected');
    const [first, other] = split(c, a, b);
    c.setPresence('away');
    await waitFor(() => first.presence.users.get('pat')?.state === 'away', 'away on the first node');
    await first.stop();
    await waitFor(() => c.state === 'connected' && c.node === other.config.nodeId, 'connected to the other node');
    await waitFor(() => other.presence.users.get('pat')?.state === 'away', 'away on the other node');
    c.setPresence('online');
    await waitFor(() => other.presence.users.get('pat')?.state === 'online', 'online again');
  });
});
