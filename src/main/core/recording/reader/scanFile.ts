import { Opcode, isKnownOpcode } from '@mcap/core';
import { channelFromRecord, INDEX_RECORD, META_RECORD, PROFILE } from '../format';
import { readAt } from './fileAccess';
import type { ChannelInfo, ChunkInfo, ProgressFn, RecordingLayout, SparseMessage } from './layout';
import { RecordingOpenError } from './layout';
import { parseSparse } from './parseSparse';
import { CHUNK_HEADER_PROBE, parseChannel, parseChunkHeader, parseHeaderProfile, parseMetadata, u64 } from '../mcap/recordParse';

const COMPRESSIONS = new Set(['', 'zstd', 'lz4']);
const RESYNC_WINDOW = 1024 * 1024;
/** Records other than chunks are small; one claiming more is damaged. */
const MAX_SMALL_RECORD = 64 * 1024 * 1024;

/**
 * Rebuilds a file's index by reading its records front to back, for a file without a
 * usable summary (cut off by a crash or kill -9, or with a damaged summary). Everything
 * up to the last complete record is kept; a damaged record in the middle is skipped by
 * searching for the next chunk header. What was lost, and where, goes into the warnings.
 */
export function scanFile(fd: number, size: number, name: string, onProgress?: ProgressFn): RecordingLayout {
  const meta = new Map<string, string>();
  const channels = new Map<number, ChannelInfo>();
  const chunks: ChunkInfo[] = [];
  const warnings: string[] = [];
  let sparse: SparseMessage[] | null = null;
  let sawHeader = false;
  let closed = false;
  let off = 8;
  let lastReport = 0;
  const report = () => {
    if (onProgress && off - lastReport > size / 100) {
      lastReport = off;
      onProgress({ phase: 'scan', done: off, total: size });
    }
  };
  while (off < size) {
    report();
    if (size - off < 9) {
      warnings.push(cutOff(name, off, size));
      break;
    }
    const head = readAt(fd, off, 9);
    const opcode = head[0];
    const len = u64(new DataView(head.buffer, head.byteOffset, 9), 1);
    const damaged = !isKnownOpcode(opcode) || len > size - off - 9 || (opcode !== Opcode.CHUNK && len > MAX_SMALL_RECORD);
    if (damaged) {
      const next = findNextChunk(fd, off + 1, size);
      if (next === null) {
        warnings.push(cutOff(name, off, size));
        break;
      }
      warnings.push(`${name}: bytes ${off} to ${next} do not hold a readable record and were skipped`);
      off = next;
      continue;
    }
    if (opcode === Opcode.CHUNK) {
      try {
        const h = parseChunkHeader(readAt(fd, off, Math.min(9 + len, CHUNK_HEADER_PROBE)), len);
        chunks.push({ offset: off, length: 9 + len, startMs: h.startMs, endMs: h.endMs, key: false, bad: false });
      } catch (err) {
        warnings.push(`${name}: the chunk record at byte offset ${off} has a damaged header (${(err as Error).message}); skipped`);
      }
    } else if (opcode === Opcode.HEADER) {
      const profile = parseHeaderProfile(readAt(fd, off, 9 + len));
      if (profile !== PROFILE) throw new RecordingOpenError(`${name} is an MCAP file but not a Switchboard recording (profile "${profile.slice(0, 40)}")`);
      sawHeader = true;
    } else if (opcode === Opcode.CHANNEL) {
      try {
        const c = parseChannel(readAt(fd, off, 9 + len));
        const known = channelFromRecord(c.topic, c.metadata);
        if (known) channels.set(c.id, { id: c.id, topic: c.topic, encoding: c.encoding, kind: known.kind, node: known.node });
      } catch (err) {
        warnings.push(`${name}: the channel record at byte offset ${off} is damaged (${(err as Error).message}); its messages are skipped`);
      }
    } else if (opcode === Opcode.METADATA) {
      try {
        const m = parseMetadata(readAt(fd, off, 9 + len));
        if (m.name === META_RECORD) for (const [k, v] of m.entries) meta.set(k, v);
        if (m.name === INDEX_RECORD) sparse = parseSparse(m.entries.get('sparse') ?? '[]');
      } catch {
        // The metadata is a convenience; the chunks are the recording.
      }
    } else if (opcode === Opcode.DATA_END || opcode === Opcode.FOOTER) {
      closed = true;
      break;
    }
    off += 9 + len;
  }
  if (!sawHeader && chunks.length === 0) throw new RecordingOpenError(`${name} holds no Switchboard recording (no header and no chunk after the MCAP magic)`);
  if (!closed && warnings.every((w) => !w.includes('cut off'))) warnings.push(`${name} has no summary: the recording was not closed cleanly; its index was rebuilt by reading it`);
  onProgress?.({ phase: 'scan', done: size, total: size });
  return { meta, channels, chunks, sparse, warnings, indexed: false };
}

function cutOff(name: string, off: number, size: number): string {
  return `${name} was cut off inside a record at byte ${off} (the last ${size - off} bytes are incomplete: a crash, power loss or kill); everything before is kept`;
}

/** The offset of the next plausible chunk record after `from`, or null. */
function findNextChunk(fd: number, from: number, size: number): number | null {
  for (let base = from; base < size - 9; base += RESYNC_WINDOW) {
    const win = readAt(fd, base, Math.min(RESYNC_WINDOW + 9, size - base));
    for (let i = win.indexOf(Opcode.CHUNK); i >= 0 && i < RESYNC_WINDOW; i = win.indexOf(Opcode.CHUNK, i + 1)) {
      const at = base + i;
      if (size - at < CHUNK_HEADER_PROBE) return null;
      const probe = readAt(fd, at, CHUNK_HEADER_PROBE);
      const len = u64(new DataView(probe.buffer, probe.byteOffset, probe.byteLength), 1);
      if (len > size - at - 9) continue;
      try {
        const h = parseChunkHeader(probe, len);
        if (COMPRESSIONS.has(h.compression) && h.startMs > 0 && h.endMs >= h.startMs && h.uncompressedSize < 1 << 30) return at;
      } catch {
        // not a chunk header here
      }
    }
  }
  return null;
}
