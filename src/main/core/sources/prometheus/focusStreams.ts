import type { Ingest } from '../../ingest/ingest';
import type { Target } from '../../inventory/target';
import { EventStreamReader } from '../eventStream';

/** At most this many direct `/events` streams at once (the nodes on screen, not the fleet). */
export const DEFAULT_MAX_FOCUS = 50;

/** What {@link FocusStreams.setFocus} did. */
export interface FocusResult {
  /** Nodes with a direct event stream now, in the order asked. */
  streaming: string[];
  /** Nodes asked for but not streamed, each with why (unknown node, over the cap). */
  skipped: { node: string; reason: string }[];
}

/**
 * The hybrid part of Prometheus mode: live `/events` streams only for the nodes in
 * focus (those on screen), for sub-second freshness there, while Prometheus serves the
 * fleet. Streams feed the same Ingest as in direct mode, so their vitals take over the
 * node's figures while they are fresh. Follows inventory changes.
 */
export class FocusStreams {
  private readonly readers = new Map<string, { reader: EventStreamReader; fingerprint: string }>();
  private focus: string[] = [];
  private targets = new Map<string, Target>();

  constructor(
    private readonly ingest: Ingest,
    private readonly maxStreams = DEFAULT_MAX_FOCUS,
    private readonly idleTimeoutMs = 15_000,
  ) {}

  /** Sets the nodes in focus: streams start for new ones and stop for those no longer asked for. */
  setFocus(nodeIds: readonly string[]): FocusResult {
    const skipped: FocusResult['skipped'] = [];
    const wanted: string[] = [];
    for (const id of new Set(nodeIds)) {
      if (!this.targets.has(id)) skipped.push({ node: id, reason: 'not in the inventory' });
      else if (wanted.length >= this.maxStreams) skipped.push({ node: id, reason: `more than ${this.maxStreams} nodes in focus` });
      else wanted.push(id);
    }
    this.focus = wanted;
    this.sync();
    return { streaming: [...wanted], skipped };
  }

  /** The inventory changed: restart streams whose URL or token changed, stop removed ones. */
  setTargets(targets: readonly Target[]): void {
    this.targets = new Map(targets.map((t) => [t.id, t]));
    this.focus = this.focus.filter((id) => this.targets.has(id));
    this.sync();
  }

  /** Node ids with a stream, in focus order. */
  streaming(): string[] {
    return this.focus.filter((id) => this.readers.has(id));
  }

  async stop(): Promise<void> {
    const all = [...this.readers.values()];
    this.readers.clear();
    this.focus = [];
    await Promise.all(all.map((r) => r.reader.stop()));
  }

  private sync(): void {
    const keep = new Set(this.focus);
    for (const [id, r] of this.readers) {
      const t = this.targets.get(id);
      if (keep.has(id) && t && fingerprint(t) === r.fingerprint) continue;
      void r.reader.stop();
      this.readers.delete(id);
    }
    for (const id of this.focus) {
      const t = this.targets.get(id);
      if (!t || this.readers.has(id)) continue;
      const reader = new EventStreamReader({
        url: `${t.opsUrl}/events`,
        token: t.readToken,
        idleTimeoutMs: this.idleTimeoutMs,
        onEvent: (e) => this.ingest.streamEvent(id, e),
        onStatus: (st) => this.ingest.streamStatus(id, st),
      });
      this.readers.set(id, { reader, fingerprint: fingerprint(t) });
      reader.start();
    }
  }
}

const fingerprint = (t: Target): string => `${t.opsUrl}|${t.readToken ?? ''}`;
