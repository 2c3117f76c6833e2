import type { TimelineEvent } from '../../../../shared/api';
import type { IngestEvent, IngestStreamStatus } from '../../ingest/ingest';
import type { ScrapeOutcome } from '../../sources/scrape/fetchMetrics';
import type { InventoryMessage } from '../recordedInventory';

/** A node model as a checkpoint holds it (see checkpoint.ts). */
export type NodeSnapshot = Record<string, unknown>;

/**
 * One recorded message, decoded: what to hand to which part of a core, at which time on
 * its clock (`atMs`, the message's log time). In file order these are exactly the calls
 * the recorded core received.
 */
export type ReplayInput =
  | { kind: 'inventory'; atMs: number; msg: InventoryMessage }
  | { kind: 'status'; atMs: number; node: string; status: IngestStreamStatus }
  | { kind: 'event'; atMs: number; node: string; event: IngestEvent }
  | { kind: 'scrape'; atMs: number; node: string; outcome: ScrapeOutcome }
  | { kind: 'tick'; atMs: number }
  | { kind: 'timeline'; atMs: number; event: TimelineEvent }
  | { kind: 'checkpoint'; atMs: number; nodes: Map<string, NodeSnapshot>; active: number[] }
  | { kind: 'sync'; atMs: number };
