import { createServer as createHttpServer } from 'node:http';
import net from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_HEAD_BYTES, MetricsEndpoint, SCRAPE_ACCEPT } from '../../../../../src/main/core/sources/scrape/fetchMetrics';

const opts = { token: 'tok', timeoutMs: 1500, maxBodyBytes: 64 * 1024 };
const BODY = '# TYPE up gauge\nup{job="x"} 1\n';
const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();

/**
 * A TCP server that answers each request (up to its blank line) with whatever `answer`
 * writes on the raw socket: every HTTP framing can be written by hand.
 */
async function rawServer(answer: (socket: net.Socket, request: string, n: number) => void): Promise<{ url: string; requests: string[]; connections: () => number }> {
  const requests: string[] = [];
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    let buf = '';
    socket.on('data', (c) => {
      buf += c.toString('latin1');
      let end: number;
      while ((end = buf.indexOf('\r\n\r\n')) >= 0) {
        const request = buf.slice(0, end);
        buf = buf.slice(end + 4);
        requests.push(request);
        answer(socket, request, requests.length);
      }
    });
    socket.on('error', () => {});
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/metrics`, requests, connections: () => connections };
}

const head = (status: string, headers: string[]) => `HTTP/1.1 ${status}\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`;
const ok = (headers: string[]) => head('200 OK', ['Content-Type: text/plain; version=0.0.4', ...headers]);

afterEach(async () => {
  // Kept-alive connections stay open: close them, or the servers would wait for them.
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

async function scrapeValue(endpoint: MetricsEndpoint): Promise<number | string> {
  const o = await endpoint.fetch(opts);
  return o.ok ? o.exposition.families[0].samples[0].value : o.error;
}

describe('HTTP framing under MetricsEndpoint (undici)', () => {
  it('reads Content-Length, chunked (split anywhere, with extensions and trailers) and close-delimited bodies', async () => {
    const chunked = (text: string) => `${(text.length - 5).toString(16)};ext=1\r\n${text.slice(0, -5)}\r\n5\r\n${text.slice(-5)}\r\n0\r\nX-Trailer: y\r\n\r\n`;
    const s = await rawServer((socket, _q, n) => {
      const text = BODY.replace(' 1\n', ` ${n}\n`);
      if (n === 1) socket.write(ok([`Content-Length: ${text.length}`]) + text);
      else if (n === 2) {
        // Byte by byte: every state of the chunked decoder sees a split.
        const all = ok(['Transfer-Encoding: chunked']) + chunked(text);
        let i = 0;
        const t = setInterval(() => {
          socket.write(all.slice(i, i + 3));
          i += 3;
          if (i >= all.length) clearInterval(t);
        }, 1);
      } else socket.end(ok(['Connection: close']) + text);
    });
    const endpoint = new MetricsEndpoint(s.url);
    expect(await scrapeValue(endpoint)).toBe(1);
    expect(await scrapeValue(endpoint)).toBe(2);
    expect(await scrapeValue(endpoint)).toBe(3);
    // All three over one kept connection, which the third answer closed: the next opens another.
    expect(s.connections()).toBe(1);
    expect(await scrapeValue(endpoint)).toBe(4);
    expect(s.connections()).toBe(2);
    expect(s.requests[0]).toMatch(/^GET \/metrics HTTP\/1\.1\r\n/);
    expect(s.requests[0]).toMatch(/\r\nhost: 127\.0\.0\.1:\d+\r\n/i);
    // Header lines (the server cut the request at its blank line): the token, gzip, and OpenMetrics first.
    const lines = s.requests[0].split('\r\n').map((l) => l.toLowerCase());
    expect(lines).toContain('authorization: bearer tok');
    expect(lines).toContain('accept-encoding: gzip');
    expect(lines).toContain(`accept: ${SCRAPE_ACCEPT.toLowerCase()}`);
  });

  it('keeps one connection across scrapes and replaces one the server closed while idle', async () => {
    const s = await rawServer((socket, _q, n) => {
      socket.write(ok([`Content-Length: ${BODY.length}`]) + BODY);
      // After the second answer the server drops the connection (an idle timeout).
      if (n === 2) setTimeout(() => socket.destroy(), 20);
    });
    const endpoint = new MetricsEndpoint(s.url);
    for (let i = 0; i < 2; i++) expect(await scrapeValue(endpoint)).toBe(1);
    await new Promise((r) => setTimeout(r, 60));
    expect(await scrapeValue(endpoint)).toBe(1);
    expect(s.connections()).toBe(2);
  });

  it('retries once when a kept connection turns out closed as the request goes out', async () => {
    let first = true;
    const s = await rawServer((socket) => {
      socket.write(ok([`Content-Length: ${BODY.length}`]) + BODY);
      if (first) {
        first = false;
        // Half a moment later the server closes it without a word; the client only learns when it writes.
        setImmediate(() => socket.end());
      }
    });
    const endpoint = new MetricsEndpoint(s.url);
    expect(await scrapeValue(endpoint)).toBe(1);
    await new Promise((r) => setTimeout(r, 30));
    expect(await scrapeValue(endpoint)).toBe(1);
  });

  it('skips 1xx (early hints) answers, reads HTTP/1.0, decodes gzip and honours the cap after decompression', async () => {
    const big = `${'# filler\n'.repeat(10_000)}up 1\n`;
    const s = await rawServer((socket, _q, n) => {
      if (n === 1) socket.write(`HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n${ok([`Content-Length: ${BODY.length}`])}${BODY}`);
      else if (n === 2) socket.end(`HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n${BODY}`);
      else if (n === 3) {
        const z = gzipSync(BODY);
        socket.write(ok(['Content-Encoding: gzip', `Content-Length: ${z.length}`]));
        socket.write(z);
      } else {
        const z = gzipSync(big);
        socket.write(ok(['Content-Encoding: gzip', `Content-Length: ${z.length}`]));
        socket.write(z);
      }
    });
    const endpoint = new MetricsEndpoint(s.url);
    expect(await scrapeValue(endpoint)).toBe(1);
    expect(await scrapeValue(endpoint)).toBe(1);
    expect(await scrapeValue(endpoint)).toBe(1);
    expect(big.length).toBeGreaterThan(opts.maxBodyBytes);
    expect(await scrapeValue(endpoint)).toBe('response body exceeds the 65536 bytes cap');
  });

  it('names broken framing, oversized heads and bad gzip, and never hangs on them', async () => {
    const answers = [
      'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n',
      `${ok(['Transfer-Encoding: chunked'])}zz\r\n`,
      `${ok(['Transfer-Encoding: chunked'])}3\r\nabcXY`,
      `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(MAX_HEAD_BYTES)}\r\n\r\n`,
      'SMTP ready\r\n\r\n',
      'HTTP/1.1 200 OK\r\nBad Header\r\n\r\n',
      `${ok(['Content-Encoding: gzip', 'Content-Length: 4'])}nope`,
      `${ok(['Content-Length: 100'])}short`,
    ];
    const expected = [
      /^cannot fetch: Response body length does not match content-length header$/,
      // Chunked after gzip: the chunks never come, and the scrape ends at its timeout.
      /^no complete answer within 1500 ms$/,
      /^cannot fetch: Response does not match the HTTP\/1\.1 protocol \(Invalid character in chunk size\)$/,
      /^cannot fetch: Response does not match the HTTP\/1\.1 protocol \(Expected LF after chunk data\)$/,
      /^cannot fetch: Headers Overflow Error$/,
      /^cannot fetch: Response does not match the HTTP\/1\.1 protocol \(Expected HTTP\//,
      /^cannot fetch: Response does not match the HTTP\/1\.1 protocol \(Invalid header token\)$/,
      /^bad gzip body: /,
      /^cannot fetch: other side closed$/,
    ];
    const s = await rawServer((socket, _q, n) => {
      socket.write(answers[n - 1]);
      if (n === answers.length) socket.end();
    });
    for (let i = 0; i < answers.length; i++) {
      const o = await new MetricsEndpoint(s.url).fetch(opts);
      expect(o.ok, answers[i]).toBe(false);
      expect(!o.ok && o.error, answers[i]).toMatch(expected[i]);
    }
  });

  it('quotes a non-200 answer, refuses redirects and odd encodings, and names a 204', async () => {
    const s = await rawServer((socket, _q, n) => {
      const msg = '{"error":"missing or wrong read token"}';
      if (n === 1) socket.write(`HTTP/1.1 401 Unauthorized\r\nContent-Length: ${msg.length}\r\n\r\n${msg}`);
      else if (n === 2) socket.write('HTTP/1.1 302 Found\r\nLocation: http://evil.example/steal\r\nContent-Length: 0\r\n\r\n');
      else if (n === 3) socket.write(`${ok(['Content-Encoding: br', 'Content-Length: 1'])}x`);
      else socket.write('HTTP/1.1 204 No Content\r\n\r\n');
    });
    const endpoint = new MetricsEndpoint(s.url);
    expect(await scrapeValue(endpoint)).toBe('HTTP 401 Unauthorized: {"error":"missing or wrong read token"}');
    expect(await scrapeValue(endpoint)).toBe('redirected (302) to http://evil.example/steal; not followed');
    expect(await scrapeValue(endpoint)).toBe('unsupported content encoding "br"');
    expect(await scrapeValue(endpoint)).toBe('HTTP 204 No Content');
  });

  it('refuses a token that would break the request, instead of sending it', async () => {
    const s = await rawServer((socket) => socket.write(ok([`Content-Length: ${BODY.length}`]) + BODY));
    const o = await new MetricsEndpoint(s.url).fetch({ ...opts, token: 'a\r\nX-Injected: 1' });
    expect(o).toMatchObject({ ok: false, error: 'cannot fetch: invalid authorization header' });
    expect(s.requests).toEqual([]);
  });

  it('talks to node:http servers (keep-alive, chunked writes) over many scrapes', async () => {
    let n = 0;
    const server = createHttpServer((_q, r) => {
      r.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      r.write('# TYPE up gauge\n');
      r.end(`up{job="x"} ${++n}\n`);
    });
    servers.push(server as unknown as net.Server);
    server.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const endpoint = new MetricsEndpoint(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}/metrics`);
    for (let i = 1; i <= 50; i++) expect(await scrapeValue(endpoint)).toBe(i);
    server.closeAllConnections();
  });

  it('an idle kept connection does not keep the process alive, and is used again', async () => {
    const s = await rawServer((socket) => socket.write(ok([`Content-Length: ${BODY.length}`]) + BODY));
    const endpoint = new MetricsEndpoint(s.url);
    expect(await scrapeValue(endpoint)).toBe(1);
    // The client lets go of the idle socket once it has finished the exchange (a tick later).
    await new Promise((r) => setImmediate(r));
    // Active handles are the ones that keep the event loop (and the process) alive.
    const port = Number(new URL(s.url).port);
    const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
    expect(handles.filter((h) => h instanceof net.Socket && h.remotePort === port)).toEqual([]);
    expect(await scrapeValue(endpoint)).toBe(1);
    expect(s.connections()).toBe(1);
  });
});
