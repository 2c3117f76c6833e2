/** Samples kept per node for the table's sparkline: one a second, so the last minute. */
export const SPARK_SIZE = 60;
/** Minimum spacing of spark samples, in frame time (frames come up to ten times a second). */
export const SPARK_STEP_MS = 1000;

/**
 * Appends a value to a fixed-size ring kept as an immutable array (a new array per push,
 * so a memoized row sees the change by reference). Never grows past `size`.
 */
export function pushSpark(prev: readonly number[] | undefined, value: number, size = SPARK_SIZE): readonly number[] {
  const v = Number.isFinite(value) ? value : 0;
  if (!prev || prev.length === 0) return [v];
  if (prev.length < size) return [...prev, v];
  const next = prev.slice(prev.length - size + 1);
  next.push(v);
  return next;
}
