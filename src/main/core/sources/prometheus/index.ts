/**
 * Prometheus as the console's source of truth (large fleets): the profile's queries
 * every interval, fleet history from query_range, direct event streams only for nodes in
 * focus. The door other parts of the console use; files behind it may move.
 */
export { PrometheusClient, DEFAULT_QUERY_MAX_BYTES, DEFAULT_QUERY_TIMEOUT_MS, prometheusBase } from './promClient';
export type { PrometheusClientOptions, PromFailure, PromFailureKind, PromResult } from './promClient';
export type { PrometheusAuth } from './promAuth';
export { PrometheusSource, EMPTY_CONCEPT_GRACE_MS } from './prometheusSource';
export type { PrometheusSourceOptions, RoundStats } from './prometheusSource';
export { evaluateRound, ROUND_CONCURRENCY } from './evaluateRound';
export type { NodeValues, RoundOutcome } from './evaluateRound';
export { conceptFigures } from './conceptFigures';
export { backfillFleet, fleetRangeQuery } from './backfill';
export type { BackfillOptions } from './backfill';
export { expandQuery, rateWindowSec } from './expandQuery';
export { FocusStreams, DEFAULT_MAX_FOCUS } from './focusStreams';
export type { FocusResult } from './focusStreams';
export { describeConcept, prometheusPanelSources } from './promPanels';
