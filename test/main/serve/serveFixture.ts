import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { LiveFrame, Result } from '../../../src/shared/api';
import type { BridgeMessage } from '../../../src/shared/bridge';
import { waitFor } from '../../helpers/ports';

/** A fake renderer build: index.html, a hashed asset, a stylesheet; plus a secret beside (outside) it. */
export function fakeRenderer(): { root: string; rendererDir: string; indexHtml: string; asset: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'sb-serve-'));
  const rendererDir = path.join(root, 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  const indexHtml = '<!doctype html><html><head><script type="module" src="./assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>\n';
  const asset = 'document.getElementById("root").textContent = "fake renderer";\n';
  writeFileSync(path.join(rendererDir, 'index.html'), indexHtml);
  writeFileSync(path.join(rendererDir, 'assets', 'index-abc123.js'), asset);
  writeFileSync(path.join(rendererDir, 'assets', 'index-abc123.css'), 'body{margin:0}\n');
  writeFileSync(path.join(root, 'secret.txt'), 'TOP-SECRET-OUTSIDE-THE-BUILD\n');
  return { root, rendererDir, indexHtml, asset };
}

export interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request: the path goes out exactly as written (fetch would normalize `/../`). */
export function rawGet(port: number, target: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: target, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** How a WebSocket client presents itself. */
export interface BridgeAuth {
  protocols?: string[];
  /** Appended as `?token=`. */
  queryToken?: string;
  origin?: string | null;
  host?: string;
}

/** A bridge client as the renderer's would be: requests by id, frames as they come. */
export class BridgeClient {
  readonly frames: LiveFrame[] = [];
  readonly results = new Map<number, Result<unknown>>();
  closeCode: number | null = null;
  private nextId = 1;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      const msg = JSON.parse(d.toString()) as BridgeMessage;
      if (msg.kind === 'frame') this.frames.push(msg.frame);
      else this.results.set(msg.id, msg.result);
    });
    ws.on('close', (code) => (this.closeCode = code));
  }

  /** Opens the bridge or rejects with the refusal's status (`upgrade answered 403`). */
  static connect(port: number, auth: BridgeAuth): Promise<BridgeClient> {
    const url = `ws://127.0.0.1:${port}/bridge${auth.queryToken ? `?token=${encodeURIComponent(auth.queryToken)}` : ''}`;
    const headers: Record<string, string> = {};
    if (auth.host) headers.host = auth.host;
    const ws = new WebSocket(url, auth.protocols ?? [], {
      ...(auth.origin === null ? {} : { origin: auth.origin ?? `http://127.0.0.1:${port}` }),
      headers,
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new BridgeClient(ws)));
      ws.once('unexpected-response', (_req, res) => {
        reject(new Error(`upgrade answered ${res.statusCode}`));
        res.resume();
        ws.terminate();
      });
      ws.once('error', reject);
    });
  }

  /** Sends an API request and waits for its answer. */
  async call(op: string, arg?: unknown): Promise<Result<unknown>> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ id, op, ...(arg === undefined ? {} : { arg }) }));
    return this.answer(id);
  }

  /** Sends raw text (for invalid messages). */
  sendRaw(text: string): void {
    this.ws.send(text);
  }

  answer(id: number, timeoutMs = 5000): Promise<Result<unknown>> {
    return waitFor(() => this.results.get(id), timeoutMs, `the answer to request ${id}`);
  }

  waitFrame(check: (f: LiveFrame) => boolean, timeoutMs = 15_000, what = 'a frame'): Promise<LiveFrame> {
    return waitFor(() => this.frames.findLast(check), timeoutMs, what);
  }

  waitClose(timeoutMs = 5000): Promise<number> {
    return waitFor(() => this.closeCode, timeoutMs, 'the socket to close');
  }

  close(): void {
    this.ws.close();
  }
}

/** The status a refused upgrade answered with, e.g. 403; throws if the upgrade succeeded. */
export async function refusedWith(p: Promise<BridgeClient>): Promise<number> {
  try {
    const c = await p;
    c.close();
  } catch (err) {
    const m = /upgrade answered (\d+)/.exec((err as Error).message);
    if (m) return Number(m[1]);
    throw err;
  }
  throw new Error('the upgrade was accepted');
}
