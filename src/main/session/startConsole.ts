import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import type pino from 'pino';
import { startDemoFleet } from '../../fleet/demo/demoFleet';
import type { DemoFleet } from '../../fleet/demo/demoFleet';
import type { SourceInfo } from '../../shared/api';
import { ConsoleCore, startLiveConsole, startPrometheusConsole } from '../core';
import type { LiveConsole, PrometheusConsoleOptions } from '../core';
import { AuditLog, CommandService } from '../core/commands';
import type { InventorySpec } from '../core/inventory';
import { Recorder, RecordingClock } from '../core/recording';
import { ConsoleSession } from './consoleSession';

/** What a console watches. */
export type ConsoleSpec =
  | { kind: 'none'; name?: string }
  | { kind: 'demo'; nodes: number; clients: number; logger: pino.Logger; incidentEveryMs?: number }
  | { kind: 'inventory'; inventory: InventorySpec; scrapeIntervalMs?: number }
  | { kind: 'prometheus'; prometheus: PrometheusConsoleOptions['prometheus']; profile: string; intervalMs?: number };

/** Where a session keeps what outlives it, and what it may open. */
export interface SessionPlaces {
  /** The audit log, the rollout state and the recordings folder live here; null = actions and recordings are off. */
  dataDir: string | null;
  /** Recordings may be opened by path (desktop app). */
  allowPaths: boolean;
  /** Flight recorder window, ms (default 30 minutes; 0 = off). */
  flightWindowMs?: number;
}

/** A console session and everything started for it. */
export interface RunningConsole {
  session: ConsoleSession;
  /** The live core under the session (empty when there is no fleet). */
  core: ConsoleCore;
  /** One line: which fleet this is. */
  description: string;
  /** The demo fleet this process runs (demo only): incidents on demand, credentials. */
  demo: DemoFleet | null;
  stop(): Promise<void>;
}

/** Scrape often on the demo fleet: it is local, small, and meant to look alive. */
export const DEMO_SCRAPE_MS = 1000;

/** The default data folder: `$XDG_STATE_HOME/switchboard`, else `~/.local/state/switchboard`. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME?.trim() || path.join(homedir(), '.local', 'state');
  return path.join(base, 'switchboard');
}

const NONE = (name: string): SourceInfo => ({ kind: 'none', name, capabilities: { seek: false, speed: false, actions: false } });

/**
 * Starts a console session for a spec — an empty core (the UI shows its "no fleet yet"
 * guidance), a live console on an inventory, or a demo fleet in this process watched
 * through the file_sd file it writes to a temporary directory (removed on stop) — with
 * fleet actions (audit log and rollout state in the data folder), the flight recorder,
 * and replay. Serve mode and the desktop shell both start here.
 */
export async function startConsole(spec: ConsoleSpec, places: SessionPlaces): Promise<RunningConsole> {
  if (spec.kind === 'none') {
    const core = new ConsoleCore({ source: NONE(spec.name ?? 'no fleet') });
    core.start();
    const session = new ConsoleSession({ live: core, recordingsDir: recordingsDir(places), allowPaths: places.allowPaths });
    return { session, core, demo: null, description: spec.name ?? 'no fleet', stop: async () => { session.close(); core.stop(); } };
  }
  if (spec.kind === 'inventory') {
    return withSession((now) => startLiveConsole({ inventory: spec.inventory, now, ...(spec.scrapeIntervalMs ? { scrape: { intervalMs: spec.scrapeIntervalMs } } : {}) }), places, null, `fleet from ${describe(spec.inventory)}`);
  }
  if (spec.kind === 'prometheus') {
    // Prometheus for the fleet's figures and history; the nodes on screen stream their events directly.
    return withSession((now) => startPrometheusConsole({ prometheus: spec.prometheus, profile: spec.profile, now, ...(spec.intervalMs ? { intervalMs: spec.intervalMs } : {}) }), places, null, `fleet from Prometheus at ${spec.prometheus.url} (profile ${spec.profile})`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'switchboard-demo-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  const fleetFile = path.join(dir, 'fleet.json');
  let fleet;
  try {
    fleet = await startDemoFleet({ nodes: spec.nodes, clients: spec.clients, fleetFile, logger: spec.logger, ...(spec.incidentEveryMs !== undefined ? { incidentEveryMs: spec.incidentEveryMs } : {}) });
  } catch (err) {
    removeDir();
    throw err;
  }
  const demo = fleet;
  try {
    // A demo's rollout state lives with the demo: its nodes do not outlive it.
    const running = await withSession((now) => startLiveConsole({ inventory: { kind: 'file_sd', file: fleetFile }, scrape: { intervalMs: DEMO_SCRAPE_MS }, now }), places, path.join(dir, 'rollout.json'), `demo fleet (${demo.targets.length} nodes, file_sd in ${dir})`);
    return {
      ...running,
      demo,
      stop: async () => {
        await running.stop();
        await demo.stop();
        removeDir();
      },
    };
  } catch (err) {
    await demo.stop();
    removeDir();
    throw err;
  }
}

function describe(i: InventorySpec): string {
  return i.kind === 'prometheus' ? `the targets of ${i.url}` : i.file;
}

function recordingsDir(places: SessionPlaces): string | null {
  return places.dataDir ? path.join(places.dataDir, 'recordings') : null;
}

/** A live console with the session parts around it: commands, the flight recorder, replay. */
async function withSession(start: (now: () => number) => Promise<Pick<LiveConsole, 'core' | 'stop'> & { setFocus?: (nodes: readonly string[]) => unknown }>, places: SessionPlaces, rolloutFile: string | null, description: string): Promise<RunningConsole> {
  const clock = new RecordingClock();
  const live = await start(clock.now);
  try {
    let commands: CommandService | null = null;
    if (places.dataDir) {
      mkdirSync(places.dataDir, { recursive: true, mode: 0o700 });
      commands = new CommandService({ core: live.core, audit: new AuditLog(path.join(places.dataDir, 'audit.jsonl')), stateFile: rolloutFile ?? path.join(places.dataDir, 'rollout.json') });
    }
    const flightWindowMs = places.flightWindowMs ?? undefined;
    const recorder = await Recorder.attach(live.core, { clock, ...(flightWindowMs !== undefined ? { flightWindowMs } : {}) });
    const setFocus = live.setFocus;
    const session = new ConsoleSession({ live: live.core, commands, recorder, recordingsDir: recordingsDir(places), allowPaths: places.allowPaths, ...(setFocus ? { focus: (nodes: string[]) => void setFocus(nodes) } : {}) });
    return {
      session,
      core: live.core,
      demo: null,
      description,
      stop: async () => {
        session.close();
        await commands?.stop();
        recorder.detach();
        await live.stop();
      },
    };
  } catch (err) {
    await live.stop();
    throw err;
  }
}
