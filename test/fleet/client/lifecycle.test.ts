import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientTransport } from '../../../src/fleet/client';
import { RealtimeClient } from '../../../src/fleet/client';
import { Harness, Recorder, sleep, subscribedTo, urlOf, waitFor } from './fleetHarness';

let h: Harness;
afterEach(() => h.release());

interface Step {
  step: string;
  t: number;
  [k: string]: unknown;
}

/** Runs fixtures/closeChild.ts against `url`; resolves with its steps and when it exited. */
function runChild(url: string, transport: ClientTransport): Promise<{ steps: Step[]; exitedAt: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/run-ts.cjs', 'test/fleet/client/fixtures/closeChild.ts', url, transport], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // Far longer than any exit should take: only a leaked handle gets here.
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the child did not exit 15 s after start (something keeps it alive); output: ${out} ${err}`));
    }, 15_000);
    child.on('exit', (code) => {
      clearTimeout(guard);
      const steps = out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Step);
      resolve({ steps, exitedAt: Date.now(), code });
    });
  });
}

describe('RealtimeClient lifecycle', () => {
  it('goes idle → connecting → connected → reconnecting → connected → closed', async () => {
    h = new Harness();
    const a = await h.node('a');
    const b = await h.node('b');
    const c = h.client({ urls: [urlOf(a), urlOf(b)], user: 'u', channels: ['ch'] });
    const rec = new Recorder(c);
    expect([c.state, c.transport, c.node]).toEqual(['idle', null, null]);
    c.connect();
    c.connect(); // a second call does nothing
    expect(c.state).toBe('connecting');
    await subscribedTo(c, 'ch');
    expect(c.transport).toBe('ws');
    const first = c.node === 'a' ? a : b;
    await first.crash();
    await waitFor(() => rec.states.length === 4, 'reconnected');
    await c.close();
    expect(rec.states).toEqual(['connecting', 'connected', 'reconnecting', 'connected', 'closed']);
    expect([c.state, c.transport, c.node]).toEqual(['closed', null, null]);
    expect(() => c.connect()).toThrow('RealtimeClient.connect: the client is closed; create a new one');
    await expect(c.publish('ch', 1)).rejects.toThrow('RealtimeClient.publish to ch: the client is closed');
    await expect(c.close()).resolves.toBeUndefined();
  });

  it.each<ClientTransport>(['ws', 'sse', 'longpoll'])('close() over %s leaves nothing that keeps the process alive', async (t) => {
    h = new Harness();
    const a = await h.node('a');
    const { steps, exitedAt, code } = await runChild(urlOf(a), t);
    expect(code).toBe(0);
    expect(steps.map((s) => s.step).filter((s) => s !== 'message')).toEqual(['published', 'rejected', 'closed']);
    const closed = steps.find((s) => s.step === 'closed')!;
    expect(closed.state).toBe('closed');
    expect(steps.find((s) => s.step === 'rejected')?.message).toBe('RealtimeClient was closed before the publish was acknowledged');
    // It exits as soon as its work is done: no timer, socket or request outlived close().
    expect(exitedAt - closed.t).toBeLessThan(2500);
    // And the node saw the client go.
    await waitFor(() => a.sessions.size === 0, 'the session closed on the node');
  });

  it('close() while reconnecting stops the attempts', async () => {
    h = new Harness();
    const a = await h.node('a');
    const c = h.client({ urls: [urlOf(a)], user: 'u', backoff: { baseMs: 20, maxMs: 20 } });
    const rec = new Recorder(c);
    c.connect();
    await waitFor(() => c.state === 'connected', 'connected');
    const port = a.clientPort;
    await a.crash();
    await waitFor(() => rec.errors.length >= 3, 'a few failed attempts');
    await c.close();
    const errorsAtClose = rec.errors.length;
    // A node on the same address would be found at once, if the client still tried.
    const again = await h.node('again', { port });
    await sleep(300);
    expect(rec.errors.length).toBe(errorsAtClose);
    expect(again.sessions.size).toBe(0);
    expect(rec.states.at(-1)).toBe('closed');
  });

  it('a listener that closes the client mid-way leaves it closed, with no further attempt', async () => {
    h = new Harness();
    const a = await h.node('a');
    const port = a.clientPort;
    await a.stop();
    const c = h.client({ urls: [`http://127.0.0.1:${port}`], user: 'u', backoff: { baseMs: 10, maxMs: 10 } });
    const rec = new Recorder(c);
    c.on('error', () => void c.close());
    c.connect();
    await waitFor(() => c.state === 'closed', 'closed by its error listener');
    const again = await h.node('again', { port });
    await sleep(200);
    expect(rec.states).toEqual(['connecting', 'closed']);
    expect(rec.errors).toHaveLength(1);
    expect(again.sessions.size).toBe(0);
  });

  it('listeners can be removed, and one that throws is reported as an error, not thrown into the client', async () => {
    h = new Harness();
    const a = await h.node('a');
    const c = h.client({ urls: [urlOf(a)], user: 'u', channels: ['ch'] });
    const errors: Error[] = [];
    const seen: number[] = [];
    c.on('error', (e) => errors.push(e));
    c.on('message', () => {
      throw new Error('app bug');
    });
    const off = c.on('message', (m) => seen.push(m.seq));
    c.connect();
    await subscribedTo(c, 'ch');
    await c.publish('ch', 1);
    await waitFor(() => seen.length === 1, 'first message');
    off();
    await c.publish('ch', 2);
    await waitFor(() => c.positions().get('ch') === 2, 'position 2');
    expect(seen).toEqual([1]);
    expect(errors.map((e) => e.message)).toEqual(['app bug', 'app bug']);
  });

  it('checks its options and names what is wrong', () => {
    expect(() => new RealtimeClient({ urls: [], user: 'u' })).toThrow('options.urls: at least one node URL is required');
    expect(() => new RealtimeClient({ urls: ['nope'], user: 'u' })).toThrow('options.urls[0]: "nope" is not a URL');
    expect(() => new RealtimeClient({ urls: ['ftp://x'], user: 'u' })).toThrow('options.urls[0]: "ftp://x" must be http: or https:');
    expect(() => new RealtimeClient({ urls: ['http://x'], user: 'a b' })).toThrow('options.user: "a b" must match');
    expect(() => new RealtimeClient({ urls: ['http://x'], user: 'u', channels: ['ok', 'not ok'] })).toThrow('options.channels[1]: channel "not ok" must match');
    expect(() => new RealtimeClient({ urls: ['http://x'], user: 'u', transports: [] })).toThrow('options.transports: at least one transport is required');
    expect(() => new RealtimeClient({ urls: ['http://x'], user: 'u', backoff: { baseMs: -1 } })).toThrow('options.backoff.baseMs: -1 must be a positive number of ms');
    const c = new RealtimeClient({ urls: ['http://x/'], user: 'u' });
    expect(() => c.subscribe('bad channel')).toThrow('RealtimeClient.subscribe: channel "bad channel" must match');
  });
});
