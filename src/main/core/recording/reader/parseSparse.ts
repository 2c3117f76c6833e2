import type { Json } from '../codec/shapeCodec';
import type { SparseMessage } from './layout';

/** Parses the index record's `sparse` list (see IndexBuilder); throws on anything malformed. */
export function parseSparse(text: string): SparseMessage[] {
  const raw: unknown = JSON.parse(text);
  if (!Array.isArray(raw)) throw new Error('sparse list is not an array');
  const out: SparseMessage[] = [];
  for (const item of raw as { t?: unknown; k?: unknown; d?: unknown }[]) {
    if (typeof item?.t !== 'number' || typeof item.k !== 'string') throw new Error('sparse entry without time or kind');
    out.push({ logMs: item.t, kind: item.k === 'timeline' ? 'timeline' : 'inventory', value: (item.d ?? null) as Json });
  }
  return out;
}
