import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureRendererBuild } from '../../../src/main/serve/rendererBuild';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A project root whose node_modules/.bin/electron-vite is a stand-in script (the real build is not run in unit tests). */
function project(script: string | null): { root: string; rendererDir: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'sb-build-'));
  dirs.push(root);
  if (script !== null) {
    const bin = path.join(root, 'node_modules', '.bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'electron-vite'), `#!/bin/sh\n${script}\n`);
    chmodSync(path.join(bin, 'electron-vite'), 0o755);
  }
  return { root, rendererDir: path.join(root, 'out', 'renderer') };
}

describe('ensureRendererBuild', () => {
  it('runs `electron-vite build` in the project when its own out/renderer is missing, and says so', () => {
    const p = project('echo "$1" > args.txt; mkdir -p out/renderer && echo "<!doctype html>" > out/renderer/index.html');
    const notes: string[] = [];
    const r = ensureRendererBuild({ rendererDir: p.rendererDir, projectRoot: p.root, isDefaultDir: true, note: (l) => notes.push(l) });
    expect(r).toEqual({ ok: true, built: true });
    expect(readFileSync(path.join(p.root, 'args.txt'), 'utf8')).toBe('build\n');
    expect(notes).toEqual([`no renderer build in ${p.rendererDir}; building it now (electron-vite build)…`]);
  });

  it('does nothing when the build is there', () => {
    const p = project('touch ran.txt');
    mkdirSync(p.rendererDir, { recursive: true });
    writeFileSync(path.join(p.rendererDir, 'index.html'), '<!doctype html>');
    expect(ensureRendererBuild({ rendererDir: p.rendererDir, projectRoot: p.root, isDefaultDir: true, note: () => {} })).toEqual({ ok: true, built: false });
    expect(existsSync(path.join(p.root, 'ran.txt'))).toBe(false);
  });

  it('fails with one line when the build fails, when electron-vite is missing, or for a directory the operator chose', () => {
    const failing = project('exit 3');
    const r1 = ensureRendererBuild({ rendererDir: failing.rendererDir, projectRoot: failing.root, isDefaultDir: true, note: () => {} });
    expect(r1).toEqual({ ok: false, message: 'electron-vite build failed (exit 3); fix it and run "npx electron-vite build"' });

    const bare = project(null);
    const r2 = ensureRendererBuild({ rendererDir: bare.rendererDir, projectRoot: bare.root, isDefaultDir: true, note: () => {} });
    expect(r2.ok).toBe(false);
    expect(!r2.ok && r2.message).toContain('electron-vite is not installed');

    const chosen = project('touch ran.txt');
    const r3 = ensureRendererBuild({ rendererDir: path.join(chosen.root, 'elsewhere'), projectRoot: chosen.root, isDefaultDir: false, note: () => {} });
    expect(!r3.ok && r3.message).toMatch(/^no renderer build in .*elsewhere \(no index\.html\); build it with "npx electron-vite build"/);
    expect(existsSync(path.join(chosen.root, 'ran.txt'))).toBe(false);
  });
});
