import { McapIndexedReader } from '@mcap/core';
import type { IReadable } from '@mcap/core';
import { channelFromRecord, INDEX_RECORD, META_RECORD, PROFILE } from '../format';
import { nsToMs } from '../mcap/time';
import { readAt } from './fileAccess';
import { parseSparse } from './parseSparse';
import type { ChannelInfo, ChunkInfo, RecordingLayout } from './layout';
import { RecordingOpenError } from './layout';

/**
 * Opens a file through its summary (McapIndexedReader checks the footer, the summary CRC
 * and the records): channels, chunk index and metadata, without reading a chunk. Throws a
 * plain Error when the summary is missing or unusable (the caller then scans the file),
 * RecordingOpenError when the file is MCAP but not a recording.
 */
export async function openIndexed(fd: number, size: number, name: string): Promise<RecordingLayout> {
  const readable: IReadable = {
    size: async () => BigInt(size),
    read: async (offset, length) => readAt(fd, Number(offset), Number(length)),
  };
  const reader = await McapIndexedReader.Initialize({ readable });
  if (reader.header.profile !== PROFILE) throw new RecordingOpenError(`${name} is an MCAP file but not a Switchboard recording (profile "${reader.header.profile.slice(0, 40)}")`);
  const channels = new Map<number, ChannelInfo>();
  for (const c of reader.channelsById.values()) {
    const known = channelFromRecord(c.topic, c.metadata);
    if (known) channels.set(c.id, { id: c.id, topic: c.topic, encoding: c.messageEncoding, kind: known.kind, node: known.node });
  }
  let meta = new Map<string, string>();
  let index: Map<string, string> | null = null;
  for await (const m of reader.readMetadata()) {
    if (m.name === META_RECORD) meta = m.metadata;
    if (m.name === INDEX_RECORD) index = m.metadata;
  }
  const warnings: string[] = [];
  let keyOffsets: Set<number> | null = null;
  let sparse = null;
  if (index) {
    try {
      keyOffsets = new Set(JSON.parse(index.get('keyChunks') ?? '[]') as number[]);
      sparse = parseSparse(index.get('sparse') ?? '[]');
    } catch (err) {
      warnings.push(`${name}: its index record is unreadable (${(err as Error).message}); markers are rebuilt from the chunks`);
      keyOffsets = null;
      sparse = null;
    }
  }
  const chunks: ChunkInfo[] = reader.chunkIndexes
    .map((c) => {
      const offset = Number(c.chunkStartOffset);
      return { offset, length: Number(c.chunkLength), startMs: nsToMs(c.messageStartTime), endMs: nsToMs(c.messageEndTime), key: keyOffsets?.has(offset) ?? false, bad: false };
    })
    .sort((a, b) => a.offset - b.offset);
  return { meta, channels, chunks, sparse, warnings, indexed: true };
}
