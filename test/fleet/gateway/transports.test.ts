import { createParser } from 'eventsource-parser';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayNode } from '../../../src/fleet/gateway';
import { clientUrl, publish, startNodes, stopNodes } from '../../helpers/gatewayFixture';
import { waitFor } from '../../helpers/ports';
import { range } from '../../helpers/wsProbe';

let nodes: GatewayNode[] = [];
const aborts: AbortController[] = [];
afterEach(async () => {
  for (const a of aborts.splice(0)) a.abort();
  await stopNodes(nodes);
  nodes = [];
});

interface SseEvent {
  event?: string;
  id?: string;
  data: string;
}

/** Opens an SSE stream with fetch and collects parsed events. */
async function openSse(url: string, headers: Record<string, string> = {}): Promise<{ events: SseEvent[]; status: number; retry: number[] }> {
  const ac = new AbortController();
  aborts.push(ac);
  const res = await fetch(url, { headers, signal: ac.signal });
  const events: SseEvent[] = [];
  const retry: number[] = [];
  if (res.status === 200 && res.body) {
    const parser = createParser({ onEvent: (e) => events.push(e), onRetry: (r) => retry.push(r) });
    void (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
      } catch {
        /* aborted */
      }
    })();
  }
  return { events, status: res.status, retry };
}

describe('SSE transport', () => {
  it('streams welcome, subscribed and messages with position ids, and resumes from Last-Event-ID', async () => {
    nodes = await startNodes(2);
    const [a, b] = nodes;
    const s1 = await openSse(`${clientUrl(a)}/sse?user=sam&channels=c1,c2`);
    await waitFor(() => s1.events.filter((e) => e.event === 'subscribed').length === 2);
    expect(JSON.parse(s1.events[0].data)).toMatchObject({ type: 'welcome', node: 'gw-1' });
    for (let i = 0; i < 3; i++) await publish(a, 'c1', i);
    await publish(a, 'c2', 'x');
    await waitFor(() => s1.events.filter((e) => e.event === 'message').length === 4);
    const lastId = s1.events.filter((e) => e.id).at(-1)!.id!;
    expect(lastId.split(',').sort()).toEqual(['c1:3', 'c2:1']);
    aborts[0].abort();
    for (let i = 3; i < 6; i++) await publish(a, 'c1', i);
    const s2 = await openSse(`${clientUrl(b)}/sse?user=sam&channels=c1,c2`, { 'last-event-id': lastId });
    await waitFor(() => s2.events.filter((e) => e.event === 'message').length === 3);
    const seqs = s2.events.filter((e) => e.event === 'message').map((e) => JSON.parse(e.data).seq as number);
    expect(seqs).toEqual([4, 5, 6]);
    expect(b.metrics.tallies.reconnects.sse).toBe(1);
  });

  it('tells SSE clients of a node that stops: a drain event with a retry hint', async () => {
    nodes = await startNodes(1);
    const s = await openSse(`${clientUrl(nodes[0])}/sse?user=bye&channels=c1`);
    await waitFor(() => s.events.some((e) => e.event === 'subscribed'));
    await nodes[0].stop();
    await waitFor(() => s.events.some((e) => e.event === 'drain'), 2000, 'the drain event');
    expect(JSON.parse(s.events.find((e) => e.event === 'drain')!.data)).toEqual({ type: 'drain', reconnectAfterMs: 500 });
    expect(s.retry).toContain(500);
  });

  it('rejects a malformed since and bad channel names with 400 naming the problem', async () => {
    nodes = await startNodes(1);
    const r1 = await fetch(`${clientUrl(nodes[0])}/sse?channels=c1&since=c1:abc`);
    expect(r1.status).toBe(400);
    expect(await r1.text()).toMatch(/since/);
    const r2 = await fetch(`${clientUrl(nodes[0])}/sse?channels=${encodeURIComponent('bad channel!')}`);
    expect(r2.status).toBe(400);
    expect(await r2.text()).toMatch(/bad channel!/);
  });
});

describe('long polling transport', () => {
  it('opens a session, holds until a message, re-delivers after a lost answer, and resumes elsewhere', async () => {
    nodes = await startNodes(2, { config: { longPollHoldMs: 2000 } });
    const [a, b] = nodes;
    const open = (await (await fetch(`${clientUrl(a)}/poll?user=pat&channels=lp`)).json()) as { sid: string; cursor: number; frames: { type: string }[] };
    expect(open.frames.map((f) => f.type)).toEqual(['welcome', 'subscribed']);
    const held = fetch(`${clientUrl(a)}/poll?sid=${open.sid}&cursor=${open.cursor}`).then((r) => r.json() as Promise<{ cursor: number; frames: { seq: number }[] }>);
    await new Promise((r) => setTimeout(r, 100));
    await publish(a, 'lp', 'one');
    const got = await held;
    expect(got.frames.map((f) => f.seq)).toEqual([1]);
    // The answer was "lost": asking again with the old cursor returns it again.
    const again = (await (await fetch(`${clientUrl(a)}/poll?sid=${open.sid}&cursor=${open.cursor}`)).json()) as { frames: { seq: number }[] };
    expect(again.frames.map((f) => f.seq)).toEqual([1]);
    await publish(a, 'lp', 'two');
    const onB = (await (await fetch(`${clientUrl(b)}/poll?user=pat&channels=lp&since=lp:1`)).json()) as { frames: { type: string; seq?: number }[] };
    expect(onB.frames.filter((f) => f.type === 'message').map((f) => f.seq)).toEqual([2]);
  });

  it('a session drained between two polls gets its own jittered hint on the next poll', async () => {
    nodes = await startNodes(1, { config: { longPollHoldMs: 2000 } });
    const n = nodes[0];
    const open = (await (await fetch(`${clientUrl(n)}/poll?user=pd&channels=x`)).json()) as { sid: string; cursor: number };
    await fetch(`http://127.0.0.1:${n.opsPort}/admin/drain`, { method: 'POST', headers: { authorization: 'Bearer admin-secret' }, body: JSON.stringify({ requestId: 'pd', deadlineSeconds: 5, disconnectRatePerSecond: 100 }) });
    await waitFor(() => n.sessions.size === 0, 3000, 'the session closed by the drain');
    const r = await fetch(`${clientUrl(n)}/poll?sid=${open.sid}&cursor=${open.cursor}`);
    expect(r.status).toBe(503);
    const body = (await r.json()) as { error: string; reconnectAfterMs: number };
    expect(body.error).toBe('draining');
    expect(body.reconnectAfterMs).toBe(n.drainHints.get(open.sid));
    expect(body.reconnectAfterMs).toBeGreaterThanOrEqual(250);
    expect(body.reconnectAfterMs).toBeLessThan(1000);
    expect(r.headers.get('retry-after')).toBe('1');
  });

  it('answers 404 for an unknown session and an empty answer after the hold', async () => {
    nodes = await startNodes(1, { config: { longPollHoldMs: 300 } });
    const r = await fetch(`${clientUrl(nodes[0])}/poll?sid=nope&cursor=0`);
    expect(r.status).toBe(404);
    const open = (await (await fetch(`${clientUrl(nodes[0])}/poll?user=q&channels=x`)).json()) as { sid: string; cursor: number };
    const t0 = Date.now();
    const empty = (await (await fetch(`${clientUrl(nodes[0])}/poll?sid=${open.sid}&cursor=${open.cursor}`)).json()) as { frames: unknown[] };
    expect(empty.frames).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
  });
});

describe('HTTP publish', () => {
  it('publishes in seq order and validates the body', async () => {
    nodes = await startNodes(1);
    const seqs: number[] = [];
    for (let i = 0; i < 5; i++) seqs.push((await publish(nodes[0], 'hp', i)).seq);
    expect(seqs).toEqual(range(1, 5));
    const post = (body: string) => fetch(`${clientUrl(nodes[0])}/publish`, { method: 'POST', body });
    const cases: [string, number, RegExp][] = [
      ['{"channel":"hp","data":1,"extra":true}', 400, /unknown field "extra"/],
      ['{"data":1}', 400, /^channel: /],
      ['{"channel":"a b","data":1}', 400, /channel must match/],
      ['not json', 400, /not valid JSON/],
      ['', 400, /empty/],
      [JSON.stringify({ channel: 'hp', data: 'x'.repeat(70 * 1024) }), 413, /exceeds the limit/],
    ];
    for (const [body, status, msg] of cases) {
      const r = await post(body);
      expect(r.status, body.slice(0, 40)).toBe(status);
      expect(((await r.json()) as { error: string }).error).toMatch(msg);
    }
    expect(nodes[0].metrics.tallies.dropped.get('invalid')).toBeGreaterThanOrEqual(3);
  });

  it('answers /healthz and 404 for unknown routes', async () => {
    nodes = await startNodes(1);
    expect((await fetch(`${clientUrl(nodes[0])}/healthz`)).status).toBe(200);
    expect((await fetch(`${clientUrl(nodes[0])}/nowhere`)).status).toBe(404);
  });
});
