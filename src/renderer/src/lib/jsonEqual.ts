/**
 * Deep equality for plain JSON data (what frames carry): objects, arrays, strings,
 * numbers, booleans, null. Used to keep unchanged parts of a frame as the same object,
 * so memoized rows and selectors skip work when nothing they show changed.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = Object.keys(ao);
  if (keys.length !== Object.keys(bo).length) return false;
  for (const k of keys) if (!(k in bo) || !jsonEqual(ao[k], bo[k])) return false;
  return true;
}
