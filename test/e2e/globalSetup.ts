import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './processes';

/**
 * Builds the renderer before the end-to-end tests: serve mode serves `out/renderer` as
 * it is, and a stale build would test yesterday's UI. SKIP_RENDERER_BUILD=1 skips it.
 */
export default function globalSetup(): void {
  if (process.env.SKIP_RENDERER_BUILD === '1') return;
  const bin = path.join(ROOT, 'node_modules', '.bin', 'electron-vite');
  const run = spawnSync(bin, ['build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`electron-vite build failed (exit ${run.status ?? run.signal}): ${run.stderr.slice(-2000)}`);
}
