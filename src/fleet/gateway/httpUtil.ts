import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request body over its cap, or not JSON: answered 413 / 400 with the message. */
export class BodyError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Reads a JSON body of at most `cap` bytes; never buffers more than that. */
export function readJsonBody(req: IncomingMessage, cap: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? -1);
    if (declared > cap) {
      req.resume();
      return reject(new BodyError(413, `request body of ${declared} bytes exceeds the limit of ${cap} bytes`));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > cap) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyError(413, `request body exceeds the limit of ${cap} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (size > cap) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return reject(new BodyError(400, 'request body is empty; expected JSON'));
      try {
        resolve(JSON.parse(text));
      } catch (err) {
        reject(new BodyError(400, `request body is not valid JSON: ${(err as Error).message}`));
      }
    });
    req.on('error', (err) => reject(new BodyError(400, err.message)));
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: message }, headers);
}
