import type { ConsoleApi, DataApi, Result } from '../../src/shared/api';
import { OPERATION_NAMES } from '../../src/shared/channels';

const DATA_OPS = new Set(['getSeries', 'getTimeline', 'getInventory']);

/**
 * A whole ConsoleApi over a data-only one (a core or a test fake): every session operation
 * (actions, recording, replay, focus) answers `unavailable`, as a session without those
 * parts does. For tests of the bridges, which carry every operation the same way.
 */
export function withUnavailableSessionOps<T extends DataApi>(data: T): T & ConsoleApi {
  const ops: Record<string, () => Promise<Result<never>>> = {};
  for (const op of OPERATION_NAMES) {
    if (DATA_OPS.has(op)) continue;
    ops[op] = async () => ({ ok: false, code: 'unavailable', message: `${op}: not in this test` });
  }
  return Object.assign(data, ops) as unknown as T & ConsoleApi;
}
