import type { TimelineEvent } from '../../../shared/api';
import type { ConsoleCore } from '../consoleCore';
import type { IngestEvent, IngestStreamStatus } from '../ingest/ingest';
import type { InventoryStatus } from '../inventory/inventorySource';
import type { Target } from '../inventory/target';
import type { ScrapeOutcome } from '../sources/scrape/fetchMetrics';
import { ChannelRegistry } from './channelRegistry';
import { snapshotNode } from './checkpoint';
import { MessageWriter } from './codec/codedMessage';
import type { KeyedRecord } from './codec/recordCodec';
import type { CoreTapListener } from './coreTap';
import { ACTIVE_KEY, checkpointNodeKey, fleetChannel, nodeChannel } from './format';
import type { ChannelSpec } from './format';
import type { ChunkAssembler, SparseRecord } from './mcap/chunkAssembler';
import type { ChannelRecord } from './mcap/mcapFileSink';
import { recordStatus, recordTarget } from './recordedInventory';
import type { InventoryMessage } from './recordedInventory';

/** Node id → channels of that node, resolved once. */
interface NodeChannels {
  scrape: ChannelSpec;
  events: ChannelSpec;
  status: ChannelSpec;
}

const TEXT = new TextEncoder();

/**
 * Turns what a core ingests into messages of the chunk being assembled (see FORMAT.md):
 * one channel per node and kind, each message at one reading of the core's clock. Knows
 * what a key chunk must open with (a sync mark, the inventory, a checkpoint of every
 * node), so reading can start there.
 */
export class CoreRecordWriter implements CoreTapListener {
  private readonly reg = new ChannelRegistry();
  private readonly w = new MessageWriter();
  private readonly nodeChannels = new Map<string, NodeChannels>();
  private inventoryStatus: InventoryMessage | null = null;
  /** When the current key period started (core clock, ms). */
  lastKeyAt = -Infinity;

  constructor(
    private readonly core: ConsoleCore,
    private readonly asm: ChunkAssembler,
    private readonly now: () => number,
    private readonly o: { keyframeEveryMs: number; maxChunkBytes: number },
    /** Called when the chunk outgrows `maxChunkBytes`: the owner closes it. */
    private readonly onFull: () => void,
  ) {}

  /** What the console already knows of its inventory, for a recording attached mid-run. */
  async seedInventory(): Promise<void> {
    const inv = await this.core.getInventory();
    if (!inv.ok || (inv.value.loadedAt === null && inv.value.lastError === null)) return;
    const v = inv.value;
    this.inventoryStatus = {
      op: 'status', source: v.source, loadedAt: v.loadedAt, warnings: [],
      lastError: v.lastError === null ? null : { source: v.source, entry: null, field: null, message: v.lastError },
      targets: this.currentTargets(),
    };
  }

  /** The MCAP channel record of a channel id (for a file's channel records). */
  record(id: number): ChannelRecord | undefined {
    return this.reg.record(id);
  }

  /** Whether the next chunk should be a key chunk. */
  keyDue(): boolean {
    return this.now() - this.lastKeyAt >= this.o.keyframeEveryMs;
  }

  // ---- CoreTapListener ----

  targets(t: readonly Target[]): void {
    this.writeJson(fleetChannel('inventory'), { op: 'targets', targets: t.map(recordTarget) } satisfies InventoryMessage, 'inventory-targets');
  }

  inventory(s: InventoryStatus): void {
    this.inventoryStatus = recordStatus(s);
    this.writeJson(fleetChannel('inventory'), this.inventoryStatus, 'inventory-status');
  }

  streamStatus(node: string, s: IngestStreamStatus): void {
    this.writeJson(this.channels(node).status, { state: s.state, lastError: s.lastError, events: s.events, lastEventAt: s.lastEventAt });
  }

  streamEvent(node: string, e: IngestEvent): void {
    const spec = this.channels(node).events;
    // Only what ingest reads: the stream reader's objects carry more (raw id, seq).
    this.write(spec, this.channel(spec).records!.encode(this.w, [['', { type: e.type, data: e.data, bootId: e.bootId }]]));
  }

  scrape(node: string, o: ScrapeOutcome): void {
    const spec = this.channels(node).scrape;
    const logMs = this.now();
    this.write(spec, this.channel(spec).scrape!.encode(this.w, logMs, o), logMs);
  }

  tick(): void {
    this.write(fleetChannel('tick'), new Uint8Array(0));
  }

  afterTick(): void {
    this.checkpoint();
  }

  timeline(e: TimelineEvent): void {
    this.writeJson(fleetChannel('timeline'), e, 'timeline');
  }

  // ---- key chunks ----

  /**
   * Starts a key chunk: every encoder starts over, and the chunk opens with what a reader
   * needs to start here — a sync mark, the inventory, a checkpoint of every node (and,
   * when a recording starts, the timeline so far).
   */
  beginKeyChunk(withTimeline: boolean): void {
    this.reg.resetEncoders();
    this.asm.key = true;
    this.lastKeyAt = this.now();
    this.writeJson(fleetChannel('sync'), { keyframeEveryMs: this.o.keyframeEveryMs });
    if (this.inventoryStatus) this.writeJson(fleetChannel('inventory'), this.inventoryStatus, 'inventory-status');
    this.writeJson(fleetChannel('inventory'), { op: 'targets', targets: this.currentTargets() } satisfies InventoryMessage, 'inventory-targets');
    if (withTimeline) for (const e of this.core.timeline.query({ limit: 100_000 })) this.timeline(e);
    this.checkpoint();
  }

  private checkpoint(): void {
    const spec = fleetChannel('checkpoint');
    const records: KeyedRecord[] = [];
    for (const m of this.core.ingest.nodes.values()) records.push([checkpointNodeKey(m.id), snapshotNode(m)]);
    records.push([ACTIVE_KEY, this.core.signals.active().map((e) => e.id)]);
    this.write(spec, this.channel(spec).records!.encode(this.w, records));
  }

  private currentTargets() {
    return [...this.core.ingest.nodes.values()].map((m) => recordTarget(m.target));
  }

  // ---- messages ----

  private channels(node: string): NodeChannels {
    let c = this.nodeChannels.get(node);
    if (!c) this.nodeChannels.set(node, (c = { scrape: nodeChannel(node, 'scrape'), events: nodeChannel(node, 'events'), status: nodeChannel(node, 'status') }));
    return c;
  }

  private channel(spec: ChannelSpec) {
    const c = this.reg.get(spec);
    if (!c) throw new Error(`too many channels: ${spec.topic} not recorded`);
    return c;
  }

  /** Adds a message at `logMs` (one reading of the clock per message: encoders code times against it). */
  private write(spec: ChannelSpec, data: Uint8Array, logMs = this.now(), sparse?: SparseRecord): void {
    const c = this.channel(spec);
    this.asm.add(c.id, c.seq++, logMs, data);
    if (sparse) this.asm.addSparse(sparse);
    if (this.asm.byteLength > this.o.maxChunkBytes) this.onFull();
  }

  private writeJson(spec: ChannelSpec, value: unknown, sparse?: SparseRecord['kind']): void {
    const json = JSON.stringify(value);
    const logMs = this.now();
    this.write(spec, TEXT.encode(json), logMs, sparse ? { logMs, kind: sparse, json } : undefined);
  }
}
