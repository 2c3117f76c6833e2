import pino from 'pino';
import { MemoryHub, gatewayConfig, startGateway } from '../../src/fleet/gateway';
import type { GatewayConfig, GatewayNode } from '../../src/fleet/gateway';

export const ADMIN = 'admin-secret';
export const READ = 'read-secret';
export const silent = pino({ level: 'silent' });

/** Starts `n` in-process nodes on free ports, one fleet (shared hub or Redis). */
export async function startNodes(n: number, opts: { redisUrl?: string; config?: Partial<GatewayConfig> } = {}): Promise<GatewayNode[]> {
  const hub = opts.redisUrl ? undefined : new MemoryHub(opts.config?.history);
  const nodes: GatewayNode[] = [];
  for (let i = 0; i < n; i++) {
    const cfg = gatewayConfig({ nodeId: `gw-${i + 1}`, adminToken: ADMIN, readToken: READ, publishRatePerSecond: 10_000, publishBurst: 10_000, ...opts.config });
    nodes.push(await startGateway(cfg, { redisUrl: opts.redisUrl, hub }, silent));
  }
  return nodes;
}

export async function stopNodes(nodes: GatewayNode[]): Promise<void> {
  await Promise.all(nodes.map((n) => n.stop()));
}

export const wsUrl = (n: GatewayNode, user = 'u1') => `ws://127.0.0.1:${n.clientPort}/ws?user=${user}`;
export const clientUrl = (n: GatewayNode) => `http://127.0.0.1:${n.clientPort}`;
export const opsUrl = (n: GatewayNode) => `http://127.0.0.1:${n.opsPort}`;

/** Calls the admin API with the admin token (or the given one). */
export async function admin(n: GatewayNode, path: string, body?: unknown, token: string | null = ADMIN): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${opsUrl(n)}/admin/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Publishes over HTTP to a node. */
export async function publish(n: GatewayNode, channel: string, data: unknown, id?: string): Promise<{ seq: number; duplicate: boolean }> {
  const res = await fetch(`${clientUrl(n)}/publish`, { method: 'POST', body: JSON.stringify({ channel, data, ...(id ? { id } : {}) }) });
  if (res.status !== 200) throw new Error(`publish answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { seq: number; duplicate: boolean };
}
