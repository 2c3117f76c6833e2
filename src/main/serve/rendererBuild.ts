import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Outcome of {@link ensureRendererBuild}: an error is one line for the operator. */
export type BuildCheck = { ok: true; built: boolean } | { ok: false; message: string };

export interface RendererBuildOptions {
  /** Where the build should be (has index.html when present). */
  rendererDir: string;
  /** The project root (package.json, node_modules/.bin/electron-vite). */
  projectRoot: string;
  /** Whether `rendererDir` is the project's own `out/renderer`, the only one this may build. */
  isDefaultDir: boolean;
  /** Notes for the operator (stderr: stdout carries only the console URL). */
  note: (line: string) => void;
}

/**
 * Makes sure the renderer build exists: if the project's own `out/renderer` is missing it
 * runs `electron-vite build` (its output on stderr); a directory given by the operator is
 * never built into, only checked.
 */
export function ensureRendererBuild(o: RendererBuildOptions): BuildCheck {
  const index = path.join(o.rendererDir, 'index.html');
  if (existsSync(index)) return { ok: true, built: false };
  const howTo = 'build it with "npx electron-vite build" (or "npm run build"), or point --renderer-dir at a build';
  if (!o.isDefaultDir) return { ok: false, message: `no renderer build in ${o.rendererDir} (no index.html); ${howTo}` };
  const bin = path.join(o.projectRoot, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-vite.cmd' : 'electron-vite');
  if (!existsSync(bin)) return { ok: false, message: `no renderer build in ${o.rendererDir} and electron-vite is not installed; run "npm ci", then ${howTo}` };
  o.note(`no renderer build in ${o.rendererDir}; building it now (electron-vite build)…`);
  const run = spawnSync(bin, ['build'], { cwd: o.projectRoot, stdio: ['ignore', 2, 2] });
  if (run.status !== 0) return { ok: false, message: `electron-vite build failed (${run.error ? run.error.message : `exit ${run.status ?? run.signal}`}); fix it and run "npx electron-vite build"` };
  if (!existsSync(index)) return { ok: false, message: `electron-vite build produced no ${index}; check electron.vite.config.ts` };
  return { ok: true, built: true };
}
