import { clientFrameSchema, describeZodError } from '../../protocol/frames';
import { BusUnavailableError } from '../bus/memoryBus';
import type { GatewayNode } from '../gatewayNode';
import type { Session } from '../session';
import { TokenBucket } from '../tokenBucket';

const MAX_PROTOCOL_ERRORS = 20;

/** Reads client frames of one session (WebSocket): validates, rate-limits, acts. */
export class FrameHandler {
  private readonly bucket: TokenBucket;
  private errors = 0;

  constructor(private readonly node: GatewayNode, private readonly session: Session) {
    this.bucket = new TokenBucket(node.config.publishRatePerSecond, node.config.publishBurst);
  }

  handle(text: string): void {
    const s = this.session;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      return this.reject(`frame is not valid JSON: ${(err as Error).message}`);
    }
    const parsed = clientFrameSchema.safeParse(raw);
    if (!parsed.success) return this.reject(describeZodError(parsed.error));
    const f = parsed.data;
    const now = Date.now();
    s.lastActive = now;
    switch (f.type) {
      case 'subscribe':
        this.node.presence.activity(s.user, now);
        void this.node.subscribe(s, f.channel, f.since);
        return;
      case 'unsubscribe':
        return this.node.unsubscribe(s, f.channel);
      case 'presence':
        return this.node.presence.set(s.user, f.state, now);
      case 'publish': {
        this.node.presence.activity(s.user, now);
        if (!this.bucket.take(now)) {
          this.node.metrics.tallies.drop('rate_limited');
          return s.send({ type: 'error', code: 'rate_limited', message: `publish rate above ${this.node.config.publishRatePerSecond}/s`, ref: f.ref });
        }
        this.node.publish(f.channel, f.data, f.id, f.ephemeral === true).then(
          (r) => s.send({ type: 'ack', ref: f.ref, channel: f.channel, seq: r.seq, duplicate: r.duplicate }),
          (err: Error) => s.send({ type: 'error', code: 'unavailable', message: err instanceof BusUnavailableError ? `bus unavailable: ${err.message}` : err.message, ref: f.ref }),
        );
      }
    }
  }

  private reject(message: string): void {
    this.node.metrics.tallies.drop('invalid');
    this.session.send({ type: 'error', code: 'bad_request', message });
    if (++this.errors > MAX_PROTOCOL_ERRORS) this.session.close('error');
  }
}
