import { fileSdSource } from './fileSd';
import type { FileSdOptions } from './fileSd';
import type { FileWatcherOptions } from './fileWatcher';
import type { InventorySource } from './inventorySource';
import { prometheusTargetsSource } from './prometheusTargets';
import type { PrometheusTargetsOptions } from './prometheusTargets';
import { staticConfigSource } from './staticConfig';

/** Which inventory to load: a static config, a Prometheus file_sd file, or the Prometheus targets API. */
export type InventorySpec =
  | ({ kind: 'static'; file: string } & FileWatcherOptions)
  | ({ kind: 'file_sd'; file: string } & FileSdOptions & FileWatcherOptions)
  | ({ kind: 'prometheus' } & PrometheusTargetsOptions);

/**
 * The inventory source for a spec (not started: call `start()`). Problems with the spec
 * itself (a bad URL, a missing token file) surface as the source's `lastError`, like any
 * other load error.
 */
export function loadInventory(spec: InventorySpec): InventorySource {
  switch (spec.kind) {
    case 'static': {
      const { kind: _kind, file, ...watch } = spec;
      return staticConfigSource(file, watch);
    }
    case 'file_sd': {
      const { kind: _kind, file, ...opts } = spec;
      return fileSdSource(file, opts);
    }
    case 'prometheus': {
      const { kind: _kind, ...opts } = spec;
      return prometheusTargetsSource(opts);
    }
  }
}
