import { RecordEncoder } from './codec/recordCodec';
import { ScrapeEncoder } from './codec/scrapeCodec';
import type { ChannelSpec } from './format';
import type { ChannelRecord } from './mcap/mcapFileSink';

/** A channel being written: its MCAP id, the next sequence number and its encoder's state. */
export interface WriterChannel {
  id: number;
  spec: ChannelSpec;
  /** Sequence of the next message; the reader checks DELTA messages follow on without a gap. */
  seq: number;
  scrape: ScrapeEncoder | null;
  records: RecordEncoder | null;
  record: ChannelRecord;
}

/** MCAP channel ids are u16; past this many channels new ones are refused (their messages dropped). */
export const MAX_CHANNELS = 65_000;

/** The recorder's channels, created on first use (a node's channels when it first sends something). */
export class ChannelRegistry {
  private readonly byTopic = new Map<string, WriterChannel>();
  private readonly byId = new Map<number, WriterChannel>();

  /** The channel for a spec, created if new; null when the id space is exhausted. */
  get(spec: ChannelSpec): WriterChannel | null {
    let c = this.byTopic.get(spec.topic);
    if (c) return c;
    if (this.byId.size >= MAX_CHANNELS) return null;
    const id = this.byId.size + 1;
    const metadata = new Map<string, string>([['kind', spec.kind]]);
    if (spec.node !== null) metadata.set('node', spec.node);
    c = {
      id,
      spec,
      seq: 0,
      scrape: spec.kind === 'scrape' ? new ScrapeEncoder() : null,
      records: spec.kind === 'events' || spec.kind === 'checkpoint' ? new RecordEncoder() : null,
      record: { id, topic: spec.topic, messageEncoding: spec.encoding, metadata },
    };
    this.byTopic.set(spec.topic, c);
    this.byId.set(id, c);
    return c;
  }

  record(id: number): ChannelRecord | undefined {
    return this.byId.get(id)?.record;
  }

  /** Every encoder starts over: the next message of each channel is a KEY. */
  resetEncoders(): void {
    for (const c of this.byId.values()) {
      c.scrape?.reset();
      c.records?.reset();
    }
  }
}
