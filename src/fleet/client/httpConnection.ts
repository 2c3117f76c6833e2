import type { ErrorCode, ServerFrame } from '../protocol/frames';
import type { WirePublish } from './connection';
import { errorText } from './connection';
import { ConnectionBase } from './connectionBase';
import { errorMessage, httpRequest, jsonBody } from './httpRequest';

/** HTTP status of `POST /publish` → the error code a WebSocket would have sent. */
const PUBLISH_ERRORS: Record<number, ErrorCode> = { 400: 'bad_request', 413: 'too_large', 429: 'rate_limited' };

/**
 * The transports whose channel list is fixed at open (SSE, long polling): publish and
 * presence go over `POST /publish` and `POST /presence` to the same node. Their outcomes
 * are turned into the `ack` / `error` frames a WebSocket would have carried, so the client
 * handles one protocol.
 */
export abstract class HttpConnection extends ConnectionBase {
  readonly liveSubscribe = false;
  /** Aborts every request of this connection (stream, polls, posts) on close or failure. */
  protected readonly abort = new AbortController();

  subscribe(): void {
    // The channel list is part of the open request; the client reopens to change it.
  }

  unsubscribe(): void {
    // As for subscribe.
  }

  publish(p: WirePublish): void {
    const body = { channel: p.channel, data: p.data ?? null, id: p.id, ...(p.ephemeral ? { ephemeral: true } : {}) };
    void this.post('/publish', body).then((r) => {
      if (this.done) return;
      const reply = r.ok ? jsonBody(r.text) : null;
      let frame: ServerFrame;
      if (r.ok && r.status === 200 && isPublishReply(reply)) {
        frame = { type: 'ack', ref: p.ref, channel: p.channel, seq: reply.seq, duplicate: reply.duplicate };
      } else if (r.ok) {
        const code = PUBLISH_ERRORS[r.status] ?? 'unavailable';
        frame = { type: 'error', code, ref: p.ref, message: errorMessage(r.text, `POST /publish answered ${r.status}`) };
      } else {
        frame = { type: 'error', code: 'unavailable', ref: p.ref, message: `POST /publish failed: ${r.timedOut ? 'no answer in time' : errorText(r.error)}` };
      }
      this.receive(frame);
    });
  }

  presence(state: 'online' | 'away'): void {
    const sid = this.welcome?.sid;
    // A lost presence update is not retried: the client applies its state again on every
    // reconnect, and the server moves idle users to away by itself.
    if (sid) void this.post('/presence', { sid, state });
  }

  private post(path: string, body: unknown): ReturnType<typeof httpRequest> {
    const init: RequestInit = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    return httpRequest(`${this.baseUrl}${path}`, init, this.params.connectTimeoutMs, this.abort.signal);
  }

  protected teardown(): void {
    this.abort.abort();
  }
}

function isPublishReply(v: unknown): v is { seq: number; duplicate: boolean } {
  return !!v && typeof v === 'object' && typeof (v as { seq?: unknown }).seq === 'number' && typeof (v as { duplicate?: unknown }).duplicate === 'boolean';
}
