import type { BlindSpot } from '../../../../shared/api';

/**
 * A blind spot's reason in plain words: error bodies like `{"error":"missing or wrong
 * read token"}` are unwrapped to their message.
 */
export function cleanReason(reason: string): string {
  return reason
    .replace(/\{\s*"(?:error|message)"\s*:\s*"((?:[^"\\]|\\.)*)"\s*\}/g, (_m, msg: string) => msg.replace(/\\"/g, '"'))
    .trim();
}

const WHAT_WORDS: Record<'metrics' | 'events', string> = { metrics: 'metrics', events: 'live events' };

/** `gw-1`, `gw-1 and gw-2`, `gw-1, gw-2 and gw-3`, `gw-1, gw-2, gw-3 and 12 more`. */
export function listNodes(nodes: readonly string[], max = 3): string {
  if (nodes.length <= 1) return nodes[0] ?? '';
  if (nodes.length > max + 1) return `${nodes.slice(0, max).join(', ')} and ${nodes.length - max} more`;
  return `${nodes.slice(0, -1).join(', ')} and ${nodes[nodes.length - 1]}`;
}

/** One sentence per blind spot: what the console cannot see, and why. */
export function blindSpotText(b: BlindSpot): string {
  const reason = cleanReason(b.reason);
  switch (b.what) {
    case 'metrics':
    case 'events':
      return `The console cannot read ${WHAT_WORDS[b.what]} of ${b.node}: ${reason}`;
    case 'inventory':
      return b.node === '*' ? `The console cannot load the fleet inventory: ${reason}` : `The console cannot load the inventory entry of ${b.node}: ${reason}`;
    case 'ingest':
      return `Data from ${b.node} reaches the console late: ${reason}`;
  }
}

export interface BlindGroup {
  key: string;
  text: string;
  nodes: string[];
  /** The oldest `since` of the group. */
  since: number;
}

/**
 * Blind spots with the same cause, merged: one line for "metrics and live events of
 * gw-1, gw-2 and gw-3: HTTP 401 …" instead of six that repeat it.
 */
export function groupBlindSpots(blind: readonly BlindSpot[]): BlindGroup[] {
  const groups = new Map<string, { spots: BlindSpot[]; reason: string }>();
  for (const b of blind) {
    const reason = cleanReason(b.reason);
    const kind = b.what === 'metrics' || b.what === 'events' ? 'read' : `${b.what}:${b.node}`;
    const key = `${kind}|${reason}`;
    const g = groups.get(key);
    if (g) g.spots.push(b);
    else groups.set(key, { spots: [b], reason });
  }
  return [...groups.entries()].map(([key, { spots, reason }]) => {
    const nodes = [...new Set(spots.map((s) => s.node))];
    const since = Math.min(...spots.map((s) => s.since));
    if (spots.length === 1) return { key, text: blindSpotText(spots[0]), nodes, since };
    const whats = [...new Set(spots.map((s) => s.what))] as ('metrics' | 'events')[];
    const what = whats.length > 1 ? 'metrics and live events' : WHAT_WORDS[whats[0]];
    return { key, text: `The console cannot read ${what} of ${listNodes(nodes)}: ${reason}`, nodes, since };
  });
}
