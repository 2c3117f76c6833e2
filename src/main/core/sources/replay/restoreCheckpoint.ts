import type { TimelineEvent } from '../../../../shared/api';
import type { RecordingFile } from '../../recording/reader/recordingFile';
import type { InventoryMessage } from '../../recording/recordedInventory';
import type { CoreFeeder } from './coreFeeder';
import type { CheckpointInput } from './planSeek';

/**
 * Brings a fresh core to a checkpoint: the inventory in force then (the last status and
 * target list recorded at or before it), the timeline as it stood (every recorded event
 * and update up to it), then the node models and open signals the checkpoint holds.
 */
export function restoreCheckpoint(feeder: CoreFeeder, file: RecordingFile, cp: CheckpointInput): void {
  let status: InventoryMessage | null = null;
  let targets: InventoryMessage | null = null;
  const timeline: TimelineEvent[] = [];
  for (const m of file.sparse) {
    if (m.logMs > cp.atMs) continue;
    if (m.kind === 'timeline') timeline.push(m.value as unknown as TimelineEvent);
    else {
      const msg = m.value as unknown as InventoryMessage;
      if (msg?.op === 'status') status = msg;
      else if (msg?.op === 'targets') targets = msg;
    }
  }
  if (status) feeder.apply({ kind: 'inventory', atMs: cp.atMs, msg: status });
  if (targets) feeder.apply({ kind: 'inventory', atMs: cp.atMs, msg: targets });
  for (const e of timeline) feeder.apply({ kind: 'timeline', atMs: cp.atMs, event: e });
  feeder.restore(cp);
}
