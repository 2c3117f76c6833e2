import type { InventoryError } from './inventorySource';

/** `fleet.json, entry 1, field opsUrl`: the "where" part of an inventory message. */
export function describeLocation(source: string, entry: number | null, field: string | null): string {
  let where = source;
  if (entry !== null) where += `, entry ${entry}`;
  if (field !== null) where += `, field ${field}`;
  return where;
}

/** Builds an {@link InventoryError} whose message is `<where>: <problem>`. */
export function inventoryError(source: string, entry: number | null, field: string | null, problem: string): InventoryError {
  return { source, entry, field, message: `${describeLocation(source, entry, field)}: ${problem}` };
}

/** `4096` → `4 KiB`, `4194304` → `4 MiB`, other sizes in bytes. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
