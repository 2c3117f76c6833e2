import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { FleetSummary, LiveFrame, NodeSummary, TimelineEvent } from '../../../../shared/api';
import type { BridgeStatus } from '../../bridge';
import { jsonEqual } from '../../lib/jsonEqual';
import { mergeEventList, TIMELINE_CAP } from './eventList';
import { pushSpark, SPARK_SIZE, SPARK_STEP_MS } from './sparkRing';

/** One consistent picture of the fleet, as of one frame. Unchanged parts keep their identity. */
export interface LiveView {
  frame: LiveFrame;
  fleet: FleetSummary;
  /** In the frame's order; a node equal to its previous copy IS the previous object. */
  nodes: readonly NodeSummary[];
  byId: ReadonlyMap<string, NodeSummary>;
  /** Per node, the recent reconnect rates (oldest first, at most SPARK_SIZE, one per second). */
  sparks: ReadonlyMap<string, readonly number[]>;
}

export const CHART_RANGES = [5 * 60_000, 15 * 60_000, 60 * 60_000] as const;

export interface LiveState {
  /** The newest picture, always kept up to date by incoming frames. */
  latest: LiveView | null;
  /** What the screen shows: `latest` while live, frozen while paused. */
  view: LiveView | null;
  /** Timeline events, newest first, bounded; always current. */
  events: readonly TimelineEvent[];
  /** The events the screen shows: `events` while live, frozen while paused. */
  shownEvents: readonly TimelineEvent[];
  paused: boolean;
  /** End of the chart window while paused (console clock, ms); null while live. */
  windowEndMs: number | null;
  /** The moment of an event the engineer clicked (marked on the charts); null when none. */
  focusTs: number | null;
  /** Width of the chart window (ms). */
  rangeMs: number;
  /** Console clock minus this page's clock (ms), from the latest frame. */
  clockOffsetMs: number;
  /** Frames that arrived since the pause (shown so nobody forgets they are looking at the past). */
  framesSincePause: number;
  /** The link to the console core. */
  link: BridgeStatus;

  applyFrame(f: LiveFrame): void;
  /**
   * A new picture that does not continue the old one (another source: live, a recording,
   * another recording; or a replay seek, which replays from a fresh core): forgets the
   * events, sparklines and any pause, and shows this frame.
   */
  startOver(f: LiveFrame): void;
  mergeEvents(events: readonly TimelineEvent[]): void;
  /** Freezes the view; the chart window ends at `endMs` (default: the latest frame's time). */
  pause(endMs?: number): void;
  /** Back to live: the view jumps to the latest frame, the charts to now. */
  resume(): void;
  /** Pauses with the chart window around `ts` (an event the engineer clicked). */
  focusAt(ts: number): void;
  setRange(ms: number): void;
  setLink(s: BridgeStatus): void;
}

export type LiveStore = StoreApi<LiveState>;

/** Creates the renderer's live state (one per app; tests create their own). */
export function createLiveStore(): LiveStore {
  /** Frame time of each node's last spark sample (internal bookkeeping, not state). */
  const sparkAt = new Map<string, number>();

  return createStore<LiveState>()((set, get) => ({
    latest: null,
    view: null,
    events: [],
    shownEvents: [],
    paused: false,
    windowEndMs: null,
    focusTs: null,
    rangeMs: CHART_RANGES[0],
    clockOffsetMs: 0,
    framesSincePause: 0,
    link: { state: 'connecting', attempt: 1 },

    applyFrame(f) {
      const s = get();
      const latest = buildView(s.latest, f, sparkAt);
      const events = mergeEventList(s.events, f.events, TIMELINE_CAP);
      set({
        latest,
        view: s.paused ? s.view : latest,
        events,
        shownEvents: s.paused ? s.shownEvents : events,
        clockOffsetMs: steadyOffset(s.clockOffsetMs, f.ts - Date.now()),
        framesSincePause: s.paused ? s.framesSincePause + 1 : 0,
      });
    },

    startOver(f) {
      sparkAt.clear();
      const latest = buildView(null, f, sparkAt);
      const events = mergeEventList([], f.events, TIMELINE_CAP);
      set({
        latest,
        view: latest,
        events,
        shownEvents: events,
        paused: false,
        windowEndMs: null,
        focusTs: null,
        clockOffsetMs: f.ts - Date.now(),
        framesSincePause: 0,
      });
    },

    mergeEvents(incoming) {
      const s = get();
      const events = mergeEventList(s.events, incoming, TIMELINE_CAP);
      if (events !== s.events) set({ events, shownEvents: s.paused ? s.shownEvents : events });
    },

    pause(endMs) {
      const s = get();
      const end = endMs ?? s.latest?.frame.ts ?? Date.now() + s.clockOffsetMs;
      if (s.paused) set({ windowEndMs: end });
      else set({ paused: true, windowEndMs: end, framesSincePause: 0 });
    },

    resume() {
      const s = get();
      set({ paused: false, windowEndMs: null, focusTs: null, view: s.latest, shownEvents: s.events, framesSincePause: 0 });
    },

    focusAt(ts) {
      const s = get();
      const now = s.latest?.frame.ts ?? Date.now() + s.clockOffsetMs;
      // The moment sits at two thirds of the window: what led to it, and what followed.
      get().pause(Math.min(now, ts + s.rangeMs / 3));
      set({ focusTs: ts });
    },

    setRange(ms) {
      set({ rangeMs: ms });
    },

    setLink(link) {
      set({ link });
    },
  }));
}

/**
 * The console-minus-page clock offset only moves when it really changed: frame transit
 * jitter must not re-render every "N s ago" on screen ten times a second.
 */
function steadyOffset(prev: number, next: number): number {
  return Math.abs(next - prev) > 500 ? next : prev;
}

/** The frame's fleet summary, keeping whatever did not change as the previous objects. */
function shareFleet(prev: FleetSummary | undefined, next: FleetSummary): FleetSummary {
  if (!prev) return next;
  if (jsonEqual(prev, next)) return prev;
  const blind = jsonEqual(prev.blind, next.blind) ? prev.blind : next.blind;
  const active = jsonEqual(prev.active, next.active) ? prev.active : next.active;
  return blind === next.blind && active === next.active ? next : { ...next, blind, active };
}

function buildView(prev: LiveView | null, f: LiveFrame, sparkAt: Map<string, number>): LiveView {
  let changed = !prev || prev.nodes.length !== f.nodes.length;
  const nodes: NodeSummary[] = new Array<NodeSummary>(f.nodes.length);
  for (let i = 0; i < f.nodes.length; i++) {
    const n = f.nodes[i];
    const old = prev?.byId.get(n.id);
    const keep = old !== undefined && jsonEqual(old, n);
    nodes[i] = keep ? old : n;
    if (!changed && prev!.nodes[i] !== nodes[i]) changed = true;
  }
  const sharedNodes = changed || !prev ? nodes : prev.nodes;
  const byId = changed || !prev ? new Map(sharedNodes.map((n) => [n.id, n])) : prev.byId;

  let sparks = prev?.sparks ?? new Map<string, readonly number[]>();
  let sparksCopy: Map<string, readonly number[]> | null = null;
  for (const n of sharedNodes) {
    const last = sparkAt.get(n.id);
    // One sample a second; a clock that went back (a replay seek) starts the spacing over.
    if (last !== undefined && f.ts - last < SPARK_STEP_MS && f.ts >= last) continue;
    sparkAt.set(n.id, f.ts);
    sparksCopy ??= new Map(sparks);
    sparksCopy.set(n.id, pushSpark(sparks.get(n.id), n.reconnectsPerSec, SPARK_SIZE));
  }
  if (sparks.size > sharedNodes.length || sparksCopy) {
    const m = sparksCopy ?? new Map(sparks);
    // Nodes that left the inventory take their rings with them: bounded by the fleet.
    if (m.size > sharedNodes.length) {
      for (const id of [...m.keys()]) {
        if (!byId.has(id)) {
          m.delete(id);
          sparkAt.delete(id);
        }
      }
    }
    sparks = m;
  }
  const fleet = shareFleet(prev?.fleet, f.fleet);
  return { frame: f, fleet, nodes: sharedNodes, byId, sparks };
}
