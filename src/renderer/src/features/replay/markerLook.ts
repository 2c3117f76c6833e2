import type { Marker, MarkerCategory } from '../../../../shared/replay';

export type MarkerShape = 'triangle' | 'diamond' | 'circle' | 'square' | 'bar' | 'star' | 'dot';

/** How each kind of marker looks on the scrubber: a word, a shape and a colour (never colour alone). */
export const CATEGORY_LOOK: Record<MarkerCategory, { label: string; one: string; shape: MarkerShape; glyph: string }> = {
  spike: { label: 'Spikes', one: 'Reconnect spike', shape: 'triangle', glyph: '▲' },
  health: { label: 'Health', one: 'Health change', shape: 'diamond', glyph: '◆' },
  restart: { label: 'Restarts', one: 'Restart', shape: 'circle', glyph: '●' },
  drain: { label: 'Drains', one: 'Drain', shape: 'square', glyph: '■' },
  signal: { label: 'Signals', one: 'Signal', shape: 'bar', glyph: '▮' },
  action: { label: 'Actions', one: 'Action', shape: 'star', glyph: '★' },
  other: { label: 'Other', one: 'Event', shape: 'dot', glyph: '•' },
};

/** Lanes top to bottom: what an incident review looks for first. */
export const CATEGORY_ORDER: readonly MarkerCategory[] = ['spike', 'health', 'restart', 'drain', 'signal', 'action', 'other'];

/** The markers by category, in lane order, only the categories present. */
export function groupMarkers(markers: readonly Marker[]): { category: MarkerCategory; markers: Marker[] }[] {
  const by = new Map<MarkerCategory, Marker[]>();
  for (const m of markers) {
    const list = by.get(m.category);
    if (list) list.push(m);
    else by.set(m.category, [m]);
  }
  return CATEGORY_ORDER.filter((c) => by.has(c)).map((category) => ({ category, markers: by.get(category)! }));
}

/** SVG path of a shape in a 12 × 12 box. */
export const SHAPE_PATH: Record<MarkerShape, string> = {
  triangle: 'M6 1 11.5 11H.5Z',
  diamond: 'M6 .5 11.5 6 6 11.5.5 6Z',
  circle: 'M6 1a5 5 0 1 0 0 10A5 5 0 0 0 6 1Z',
  square: 'M1.5 1.5h9v9h-9Z',
  bar: 'M4 0h4v12H4Z',
  star: 'M6 .5l1.6 3.6 3.9.4-2.9 2.6.8 3.9L6 9 2.6 11l.8-3.9L.5 4.5l3.9-.4Z',
  dot: 'M6 3.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5Z',
};
