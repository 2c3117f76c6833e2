/**
 * A minimal WebSocket client for load generation: the HTTP upgrade, a streaming parser of
 * server frames (unmasked, RFC 6455), masked text frames out, pong on ping. Nothing else.
 *
 * Why not the `ws` client: a load generator must cost the receiving side as little as
 * possible, so that the server under test, not the harness, is the bottleneck. This one
 * hands the caller each text payload as a view into the received chunk (no copy, no
 * string, no event per frame) and only frames the caller asks for are decoded.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Socket } from 'node:net';

/** Called per text frame with the chunk and the payload's [start, end) in it (valid only during the call). */
export type TextHandler = (buf: Buffer, start: number, end: number) => void;

const OP_CONT = 0x0;
const OP_TEXT = 0x1;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

/** One client connection, already upgraded. */
export class WireSocket {
  /** Text frames received. */
  frames = 0;
  /** Payload bytes of text frames received. */
  payloadBytes = 0;
  closed = false;
  onText: TextHandler | null = null;
  onClose: (() => void) | null = null;
  /** Bytes of an incomplete frame carried over to the next chunk. */
  private rest: Buffer | null = null;

  constructor(readonly socket: Socket, head: Buffer) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.closed = true;
      this.onClose?.();
    });
    if (head.length > 0) queueMicrotask(() => this.receive(head));
  }

  /** Sends one masked text frame. */
  sendText(text: string): void {
    if (!this.closed) this.socket.write(encodeFrame(OP_TEXT, Buffer.from(text)));
  }

  /** Sends several text frames with one write. */
  sendTexts(texts: readonly string[]): void {
    if (this.closed || texts.length === 0) return;
    this.socket.write(Buffer.concat(texts.map((t) => encodeFrame(OP_TEXT, Buffer.from(t)))));
  }

  /** Cuts the connection at once (no close handshake: the bench does not measure it). */
  destroy(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    let buf = chunk;
    if (this.rest) {
      buf = Buffer.concat([this.rest, chunk]);
      this.rest = null;
    }
    let off = 0;
    const n = buf.length;
    while (off + 2 <= n) {
      const b0 = buf[off];
      const b1 = buf[off + 1];
      let len = b1 & 0x7f;
      let hdr = 2;
      if (len === 126) {
        if (off + 4 > n) break;
        len = buf.readUInt16BE(off + 2);
        hdr = 4;
      } else if (len === 127) {
        if (off + 10 > n) break;
        len = Number(buf.readBigUInt64BE(off + 2));
        hdr = 10;
      }
      if (b1 & 0x80) hdr += 4; // servers never mask; tolerate it by skipping the key (payload left masked)
      if (off + hdr + len > n) break;
      const start = off + hdr;
      const end = start + len;
      const op = b0 & 0x0f;
      if (op === OP_TEXT || op === OP_CONT) {
        this.frames++;
        this.payloadBytes += len;
        this.onText?.(buf, start, end);
      } else if (op === OP_PING) {
        this.socket.write(encodeFrame(OP_PONG, Buffer.from(buf.subarray(start, end))));
      } else if (op === OP_CLOSE) {
        this.socket.end(encodeFrame(OP_CLOSE, Buffer.from(buf.subarray(start, Math.min(end, start + 2)))));
      }
      off = end;
    }
    if (off < n) this.rest = Buffer.from(buf.subarray(off));
  }
}

/** A masked client frame (RFC 6455 §5.3: every client frame is masked). */
function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const hdr = len < 126 ? 2 : len < 65_536 ? 4 : 10;
  const out = Buffer.allocUnsafe(hdr + 4 + len);
  out[0] = 0x80 | opcode;
  if (hdr === 2) out[1] = 0x80 | len;
  else if (hdr === 4) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(len, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeBigUInt64BE(BigInt(len), 2);
  }
  const mask = randomBytes(4);
  mask.copy(out, hdr);
  const p = hdr + 4;
  for (let i = 0; i < len; i++) out[p + i] = payload[i] ^ mask[i & 3];
  return out;
}

/** Opens a WebSocket to `ws://host:port/path`; rejects on anything but 101 within `timeoutMs`. */
export function connectWire(host: string, port: number, path: string, timeoutMs = 10_000): Promise<WireSocket> {
  return new Promise((resolve, reject) => {
    const req = request({
      host,
      port,
      path,
      agent: false,
      timeout: timeoutMs,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        'Sec-WebSocket-Version': '13',
      },
    });
    req.on('upgrade', (res, socket: Socket, head: Buffer) => {
      if (res.statusCode !== 101) {
        socket.destroy();
        return reject(new Error(`upgrade answered ${res.statusCode}`));
      }
      socket.setTimeout(0);
      resolve(new WireSocket(socket, head));
    });
    req.on('response', (res) => {
      res.resume();
      reject(new Error(`upgrade answered ${res.statusCode}`));
    });
    req.on('timeout', () => req.destroy(new Error(`no upgrade within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Reads the integer after `key` in buf[start, end) (first occurrence, or last with `fromEnd`); NaN when absent. */
export function readIntField(buf: Buffer, start: number, end: number, key: Buffer, fromEnd: boolean): number {
  const at = fromEnd ? buf.lastIndexOf(key, end - key.length) : buf.indexOf(key, start);
  if (at < start || at + key.length >= end) return NaN;
  let v = 0;
  let i = at + key.length;
  let digits = 0;
  for (; i < end; i++) {
    const c = buf[i];
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
    digits++;
  }
  return digits > 0 ? v : NaN;
}
