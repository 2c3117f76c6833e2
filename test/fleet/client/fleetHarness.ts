import pino from 'pino';
import { MemoryHub, gatewayConfig, startGateway } from '../../../src/fleet/gateway';
import type { GatewayConfig, GatewayNode } from '../../../src/fleet/gateway';
import { RealtimeClient } from '../../../src/fleet/client';
import type { ClientMessage, ClientOptions, ClientState } from '../../../src/fleet/client';

/** Gateway settings for tests: fast heartbeats and short long-poll holds. */
export const FAST: Partial<GatewayConfig> = { heartbeatMs: 500, longPollHoldMs: 1000 };

const silent = pino({ level: 'silent' });

/** Client-port base URL of a node. */
export function urlOf(node: GatewayNode): string {
  return `http://127.0.0.1:${node.clientPort}`;
}

/**
 * What a test starts and must stop: gateway nodes, clients, other servers. `release()` in
 * afterEach closes clients first (so they do not reconnect), then stops the rest.
 */
export class Harness {
  readonly hub: MemoryHub;
  readonly nodes: GatewayNode[] = [];
  private readonly clients: RealtimeClient[] = [];
  private readonly others: (() => Promise<void>)[] = [];

  constructor(hub?: MemoryHub) {
    this.hub = hub ?? new MemoryHub();
  }

  /** Starts a node on the shared hub (or on `hub`: another fleet's history). */
  async node(nodeId: string, overrides: Partial<GatewayConfig> = {}, hub: MemoryHub = this.hub): Promise<GatewayNode> {
    const node = await startGateway(gatewayConfig({ nodeId, adminToken: 'a', ...FAST, ...overrides }), { hub }, silent);
    this.nodes.push(node);
    return node;
  }

  client(opts: ClientOptions): RealtimeClient {
    const c = new RealtimeClient(opts);
    this.clients.push(c);
    return c;
  }

  /** Registers something else to stop in release(). */
  onRelease(fn: () => Promise<void>): void {
    this.others.push(fn);
  }

  async release(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close()));
    await Promise.all(this.others.map((fn) => fn()));
    await Promise.all(this.nodes.map((n) => n.stop()));
  }
}

/** Resolves when `cond()` holds; rejects naming `what` after `timeoutMs`. */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Publishes `n` messages `{ i }` one after the other, `intervalMs` apart, awaiting each
 * ack (so seq order is publish order). Calls `after(i)` after the i-th (1-based) ack.
 */
export async function publishSteadily(client: RealtimeClient, channel: string, n: number, intervalMs: number, after?: (i: number) => void): Promise<void> {
  for (let i = 1; i <= n; i++) {
    await client.publish(channel, { i });
    after?.(i);
    await sleep(intervalMs);
  }
}

/** Asks a node to drain through its admin API, as an operator would. */
export async function drainNode(node: GatewayNode, deadlineSeconds = 5): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${node.opsPort}/admin/drain`, {
    method: 'POST',
    headers: { authorization: 'Bearer a', 'content-type': 'application/json' },
    body: JSON.stringify({ requestId: `drain-${node.config.nodeId}-${Date.now()}`, deadlineSeconds, disconnectRatePerSecond: 200 }),
  });
  if (res.status !== 202) throw new Error(`drain answered ${res.status}: ${await res.text()}`);
}

/** Everything a client reported, for assertions. */
export class Recorder {
  readonly messages: ClientMessage[] = [];
  readonly states: ClientState[] = [];
  readonly gaps: { channel: string; from: number; to: number }[] = [];
  readonly drains: { node: string | null; reconnectAfterMs: number }[] = [];
  readonly errors: Error[] = [];
  /** Node ids the client was connected to, in order. */
  readonly nodes: (string | null)[] = [];

  constructor(client: RealtimeClient) {
    client.on('message', (m) => this.messages.push(m));
    client.on('state', (s) => {
      this.states.push(s);
      if (s === 'connected') this.nodes.push(client.node);
    });
    client.on('gap', (g) => this.gaps.push(g));
    client.on('drain', (d) => this.drains.push(d));
    client.on('error', (e) => this.errors.push(e));
  }

  seqs(channel: string): number[] {
    return this.messages.filter((m) => m.channel === channel).map((m) => m.seq);
  }
}

/** 1..n */
export function range(n: number, from = 1): number[] {
  return Array.from({ length: n }, (_, i) => i + from);
}

/** Waits until the client is connected and `channel` has a position (its `subscribed` frame arrived). */
export async function subscribedTo(client: RealtimeClient, channel: string): Promise<void> {
  await waitFor(() => client.state === 'connected' && client.positions().has(channel), `subscribed to ${channel}`);
}
