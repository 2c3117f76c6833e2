import type { LiveFrame, SeriesWindow } from '../../../../src/shared/api';
import { ConsoleCore } from '../../../../src/main/core/consoleCore';
import { Recorder } from '../../../../src/main/core/recording';
import type { RecorderOptions } from '../../../../src/main/core/recording';
import { SynthFleet } from '../../../../bench/recordingSynth';

/** Start of every synthetic recording: a fixed, round time. */
export const T0 = Date.UTC(2024, 4, 1, 10, 0, 0);

export interface SynthRun {
  core: ConsoleCore;
  recorder: Recorder;
  fleet: SynthFleet;
  clock: { ms: number };
  /** Frames built right after each tick, by tick time. */
  frames: Map<number, LiveFrame>;
  /** Live getSeries answers captured at some ticks (connections of gw-2, last 20 s). */
  series: Map<number, SeriesWindow>;
  /** Runs `seconds` more seconds of the fleet. */
  run(seconds: number): Promise<void>;
}

export interface SynthOptions extends RecorderOptions {
  nodes: number;
  /** What happens at a given second (events that make timeline entries). */
  script?: (second: number, run: SynthRun) => void;
}

/**
 * A console core fed by synthetic nodes on a virtual clock (one scrape and one vitals
 * event per node per second, a tick per second), with a recorder attached and its chunks
 * closed once per virtual second. No network, no real time: deterministic.
 */
export async function synthRun(o: SynthOptions): Promise<SynthRun> {
  const clock = { ms: T0 };
  const now = () => clock.ms;
  const core = new ConsoleCore({ now, scrapeIntervalMs: 1000 });
  const fleet = new SynthFleet(o.nodes);
  const recorder = await Recorder.attach(core, { now, chunkEveryMs: 3_600_000, ...o });
  core.ingest.setTargets(fleet.targets());
  let second = 0;
  const r: SynthRun = {
    core,
    recorder,
    fleet,
    clock,
    frames: new Map(),
    series: new Map(),
    run: async (seconds: number) => {
      for (let s = 0; s < seconds; s++, second++) {
        const base = T0 + second * 1000;
        o.script?.(second, r);
        for (let i = 0; i < fleet.nodes.length; i++) {
          const id = fleet.nodes[i].id;
          fleet.step(i);
          clock.ms = base + 10 + Math.floor((i * 900) / fleet.nodes.length);
          core.ingest.streamEvent(id, fleet.vitals(i, clock.ms - 3));
          clock.ms += 2;
          core.ingest.scrape(id, fleet.scrape(i, clock.ms - 5));
        }
        clock.ms = base + 950;
        core.tick();
        r.frames.set(clock.ms, core.buildFrame([], 0, 0));
        if (second % 5 === 4) {
          const w = await core.getSeries({ metric: 'connections', nodes: ['gw-2'], fromMs: clock.ms - 20_000, toMs: clock.ms, width: 40 });
          if (w.ok) r.series.set(clock.ms, w.value);
        }
        clock.ms = base + 999;
        recorder.flush();
      }
    },
  };
  return r;
}
