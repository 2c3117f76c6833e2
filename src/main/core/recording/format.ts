/**
 * What a Switchboard recording holds, channel by channel (see FORMAT.md beside this file
 * for the byte layout). Both the recorder and the reader take topic names, encodings and
 * metadata keys from here.
 */

/** MCAP header profile of a Switchboard recording. */
export const PROFILE = 'switchboard';
/** Value of the `format` metadata key; bumped on an incompatible change. */
export const FORMAT_VERSION = 'switchboard-recording/1';
/** Metadata record written first: console version, source, start time, options. */
export const META_RECORD = 'switchboard';
/** Metadata record written at a clean close: key chunks, timeline and inventory, for a fast open. */
export const INDEX_RECORD = 'switchboard.index';

export const ENCODING = {
  json: 'json',
  scrape: 'switchboard.scrape.v1',
  records: 'switchboard.records.v1',
  none: 'switchboard.empty',
} as const;

/** What a channel carries. Per node: scrape outcomes, stream events, stream status. */
export type ChannelKind = 'inventory' | 'timeline' | 'tick' | 'checkpoint' | 'sync' | 'scrape' | 'events' | 'status';

export interface ChannelSpec {
  topic: string;
  kind: ChannelKind;
  node: string | null;
  encoding: string;
}

const FLEET_CHANNELS: Record<'inventory' | 'timeline' | 'tick' | 'checkpoint' | 'sync', ChannelSpec> = {
  inventory: { topic: '/inventory', kind: 'inventory', node: null, encoding: ENCODING.json },
  timeline: { topic: '/timeline', kind: 'timeline', node: null, encoding: ENCODING.json },
  tick: { topic: '/tick', kind: 'tick', node: null, encoding: ENCODING.none },
  checkpoint: { topic: '/checkpoint', kind: 'checkpoint', node: null, encoding: ENCODING.records },
  sync: { topic: '/sync', kind: 'sync', node: null, encoding: ENCODING.json },
};

export function fleetChannel(kind: keyof typeof FLEET_CHANNELS): ChannelSpec {
  return FLEET_CHANNELS[kind];
}

const NODE_ENCODING = { scrape: ENCODING.scrape, events: ENCODING.records, status: ENCODING.json } as const;

/** `/node/<id>/<kind>`; the id is URI-encoded in the topic (a `/` in an id stays unambiguous) and kept as is in the channel metadata. */
export function nodeChannel(node: string, kind: 'scrape' | 'events' | 'status'): ChannelSpec {
  return { topic: `/node/${encodeURIComponent(node)}/${kind}`, kind, node, encoding: NODE_ENCODING[kind] };
}

/** Reads a channel's kind and node back from its topic and metadata; null for a channel this version does not know. */
export function channelFromRecord(topic: string, metadata: ReadonlyMap<string, string>): Omit<ChannelSpec, 'encoding'> | null {
  for (const c of Object.values(FLEET_CHANNELS)) if (c.topic === topic) return { topic, kind: c.kind, node: null };
  const m = /^\/node\/([^/]+)\/(scrape|events|status)$/.exec(topic);
  if (!m) return null;
  let node = metadata.get('node');
  if (node === undefined) {
    try {
      node = decodeURIComponent(m[1]);
    } catch {
      return null;
    }
  }
  return { topic, kind: m[2] as 'scrape' | 'events' | 'status', node };
}

/** Key of a node's record in a checkpoint message; `ACTIVE_KEY` holds the ids of the open signals. */
export const checkpointNodeKey = (id: string): string => `n:${id}`;
export const ACTIVE_KEY = 'a';
