import { createServer, request } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How the proxy treats a kind of request: pass it on, refuse it, or hang (never answer). */
export type ProxyRule = 'pass' | 'refuse' | 'hang';

/** What the proxy saw. */
export interface ProxyCounts {
  upgrades: number;
  sse: number;
  poll: number;
}

/**
 * A reverse proxy in front of one gateway node, like the corporate proxies and load
 * balancers that break WebSockets (400 to the upgrade, or no answer at all) or buffer or
 * block event streams. Plain HTTP (long polling, publish, presence) passes.
 */
export class TestProxy {
  readonly counts: ProxyCounts = { upgrades: 0, sse: 0, poll: 0 };
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  private constructor(targetPort: number, rules: { upgrade: ProxyRule; sse: ProxyRule }) {
    this.server = createServer((req, res) => {
      const path = req.url ?? '/';
      if (path.startsWith('/sse')) {
        this.counts.sse++;
        if (rules.sse === 'refuse') return void res.writeHead(403, { 'content-type': 'text/html' }).end('<h1>streaming is not allowed</h1>');
        if (rules.sse === 'hang') return;
      }
      if (path.startsWith('/poll')) this.counts.poll++;
      const upstream = request({ host: '127.0.0.1', port: targetPort, method: req.method, path, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      res.on('close', () => upstream.destroy());
      req.pipe(upstream);
    });
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server.on('upgrade', (_req, socket: Socket) => {
      this.counts.upgrades++;
      if (rules.upgrade === 'hang') return;
      socket.end('HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\ncontent-length: 22\r\nconnection: close\r\n\r\nupgrades are disabled');
    });
  }

  static async start(targetPort: number, rules: { upgrade: ProxyRule; sse?: ProxyRule }): Promise<TestProxy> {
    const p = new TestProxy(targetPort, { upgrade: rules.upgrade, sse: rules.sse ?? 'pass' });
    await new Promise<void>((resolve) => p.server.listen(0, '127.0.0.1', resolve));
    return p;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Cuts every connection through the proxy (a network blip). */
  cutAll(): void {
    for (const s of this.sockets) s.destroy();
  }

  stop(): Promise<void> {
    this.cutAll();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
