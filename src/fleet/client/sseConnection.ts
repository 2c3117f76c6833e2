import { createParser } from 'eventsource-parser';
import type { ConnectionHandlers, OpenParams, WelcomeFrame } from './connection';
import { errorText, isUnreachable, openQuery, parseFrame, retryAfterMs } from './connection';
import { HttpConnection } from './httpConnection';

/**
 * Server-Sent Events over fetch (`GET /sse?user=&channels=&since=`): events are named after
 * the frame type and carry the frame as JSON data. The client resumes by reopening with
 * its own positions in `since`, so the SSE `id:` field is not needed here.
 */
export class SseConnection extends HttpConnection {
  readonly transport = 'sse';
  /** The server's `retry:` hint (sent with a drain), in ms. */
  private retryHint: number | null = null;
  private drained = false;

  constructor(params: OpenParams, handlers: ConnectionHandlers) {
    super(params, handlers);
    this.run().catch((err: unknown) => this.fail('unreachable', `SSE reader failed: ${errorText(err)}`));
  }

  private async run(): Promise<void> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/sse?${openQuery(this.params)}`, { headers: { accept: 'text/event-stream' }, signal: this.abort.signal });
    } catch (err) {
      return this.fail(isUnreachable(err) ? 'unreachable' : 'transport', `request failed: ${errorText(err)}`);
    }
    const type = res.headers.get('content-type') ?? '';
    if (res.status !== 200 || !type.startsWith('text/event-stream') || !res.body) {
      res.body?.cancel().catch(() => {});
      if (res.status === 503) return this.fail('unavailable', 'node answered 503', retryAfterMs(res.headers.get('retry-after')));
      // Not an event stream (a proxy's error page, a buffering gateway): try the next transport.
      return this.fail('transport', `answered ${res.status} ${type || 'without content-type'}, not an event stream`);
    }
    const parser = createParser({
      onEvent: (ev) => {
        const frame = parseFrame(ev.data);
        if (!frame) return;
        if (frame.type === 'drain') this.drained = true;
        this.receive(frame);
      },
      onRetry: (ms) => {
        this.retryHint = ms;
      },
    });
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (this.done) return;
        if (done) break;
        // Bytes, events and `: hb` comments alike prove the link alive.
        this.alive();
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch (err) {
      return this.fail(this.opened ? 'unreachable' : 'transport', `stream broke: ${errorText(err)}`, this.retryHint);
    }
    // The server ends the stream only when it drains or shuts down.
    this.fail(this.drained ? 'unavailable' : this.opened ? 'unreachable' : 'transport', 'stream ended by the server', this.retryHint);
  }

  protected silenceLimitMs(welcome: WelcomeFrame): number {
    return 3 * welcome.heartbeatMs;
  }

  protected shutdown(): Promise<void> {
    this.abort.abort();
    return Promise.resolve();
  }
}
