import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pino from 'pino';
import { startDemoFleet } from '../../fleet/demo/demoFleet';
import type { ConsoleApi } from '../../shared/api';
import { ConsoleCore, startLiveConsole } from '../core';
import type { InventorySpec } from '../core/inventory';

/** What serve mode watches. */
export type ConsoleSpec =
  | { kind: 'none' }
  | { kind: 'demo'; nodes: number; clients: number; logger: pino.Logger }
  | { kind: 'inventory'; inventory: InventorySpec };

/** A console behind serve mode, and everything it started. */
export interface RunningConsole {
  api: ConsoleApi;
  stop(): Promise<void>;
}

/** Scrape often on the demo fleet: it is local, small, and meant to look alive. */
const DEMO_SCRAPE_MS = 1000;

/**
 * Starts the console for a spec: an empty core (the UI shows its "no fleet yet"
 * guidance), a live console on an inventory, or a demo fleet in this process with a live
 * console on the file_sd file it writes to a temporary directory (removed on stop).
 */
export async function startConsole(spec: ConsoleSpec): Promise<RunningConsole> {
  switch (spec.kind) {
    case 'none': {
      const core = new ConsoleCore();
      core.start();
      return { api: core, stop: async () => core.stop() };
    }
    case 'inventory': {
      const live = await startLiveConsole({ inventory: spec.inventory });
      return { api: live.core, stop: () => live.stop() };
    }
    case 'demo': {
      const dir = mkdtempSync(path.join(tmpdir(), 'switchboard-demo-'));
      const removeDir = () => rmSync(dir, { recursive: true, force: true });
      const fleetFile = path.join(dir, 'fleet.json');
      let fleet;
      try {
        fleet = await startDemoFleet({ nodes: spec.nodes, clients: spec.clients, fleetFile, logger: spec.logger });
      } catch (err) {
        removeDir();
        throw err;
      }
      try {
        const live = await startLiveConsole({ inventory: { kind: 'file_sd', file: fleetFile }, scrape: { intervalMs: DEMO_SCRAPE_MS } });
        return {
          api: live.core,
          stop: async () => {
            await live.stop();
            await fleet.stop();
            removeDir();
          },
        };
      } catch (err) {
        await fleet.stop();
        removeDir();
        throw err;
      }
    }
  }
}
