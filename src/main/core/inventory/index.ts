/**
 * Fleet inventory: which nodes the console watches, from a static config, a Prometheus
 * file_sd file or the Prometheus targets API, behind one {@link InventorySource}. The door
 * other parts of the console use; files behind it may move.
 */
export type { Target, TargetInfo } from './target';
export { targetInfo } from './target';
export type { InventoryError, InventoryLoad, InventoryResult, InventorySource, InventoryStatus } from './inventorySource';
export type { InventorySpec } from './loadInventory';
export { loadInventory } from './loadInventory';
export type { StaticConfig } from './staticConfig';
export { MAX_STATIC_CONFIG_BYTES, loadStaticConfig, staticConfigSchema, staticConfigSource } from './staticConfig';
export type { FileSdOptions } from './fileSd';
export { MAX_FILE_SD_BYTES, fileSdSchema, fileSdSource, loadFileSd } from './fileSd';
export type { PrometheusTargetsOptions } from './prometheusTargets';
export {
  DEFAULT_PROMETHEUS_INTERVAL_MS,
  DEFAULT_PROMETHEUS_MAX_BODY_BYTES,
  DEFAULT_PROMETHEUS_TIMEOUT_MS,
  loadPrometheusTargets,
  prometheusTargetsSource,
  targetsApiUrl,
} from './prometheusTargets';
export type { FileWatcherOptions } from './fileWatcher';
export { FileWatcher } from './fileWatcher';
export type { ReloadTrigger } from './reloadingSource';
export { IntervalTrigger, ReloadingSource } from './reloadingSource';
export { isCredentialLabel } from './publicLabels';
