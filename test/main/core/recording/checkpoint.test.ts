import { describe, expect, it } from 'vitest';
import { NodeModel } from '../../../../src/main/core/ingest/nodeModel';
import { restoreNode, snapshotNode } from '../../../../src/main/core/recording';
import { MessageWriter } from '../../../../src/main/core/recording/codec/codedMessage';
import { RecordDecoder, RecordEncoder } from '../../../../src/main/core/recording/codec/recordCodec';
import { synthRun } from './synthRecording';

describe('checkpoints of node models', () => {
  it('every field of a busy node model survives snapshot → encode → decode → restore (none of them is a Map or a class)', async () => {
    const run = await synthRun({ nodes: 2 });
    await run.run(3);
    run.core.ingest.streamStatus('gw-2', { state: 'backoff', lastError: 'ECONNREFUSED', events: 3, lastEventAt: run.clock.ms });
    run.core.ingest.streamEvent('gw-2', { type: 'lifecycle', bootId: null, data: { ts: run.clock.ms, node: 'gw-2', kind: 'drain_progress', detail: { remaining: 12, disconnectRatePerSecond: 4 } } });
    run.core.ingest.streamEvent('gw-2', { type: 'nonsense', bootId: null, data: {} });
    run.core.tick();
    const live = run.core.ingest.nodes.get('gw-2')!;
    const w = new MessageWriter();
    const enc = new RecordEncoder();
    const dec = new RecordDecoder();
    dec.decode(enc.encode(w, [['n:gw-1', snapshotNode(run.core.ingest.nodes.get('gw-1')!)]]).slice());
    const [[, snap]] = dec.decode(enc.encode(w, [['n:gw-2', snapshotNode(live)]]).slice());
    const fresh = new NodeModel(live.target);
    restoreNode(fresh, snap as Record<string, unknown>);
    expect(fresh.summary()).toEqual(live.summary());
    const fields = (m: NodeModel) => Object.fromEntries(Object.entries(m).filter(([k]) => k !== 'target'));
    expect(fields(fresh)).toEqual(fields(live));
    expect(fresh.lastInvalid).toBe('unknown event type "nonsense"');
    expect(fresh.drain).toEqual({ remaining: 12, ratePerSec: 4 });
    expect(fresh.streamError).toBe('unreachable');
    run.recorder.detach();
  });
});
