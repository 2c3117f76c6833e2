import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/ports';

/**
 * scripts/start.cjs in a stand-in project: the build, Electron and `switchboard` are small
 * scripts that record how they were run, so the launcher's choices are checked without a
 * real build or a real Electron (which cannot be downloaded here).
 */
const REAL_SCRIPT = fileURLToPath(new URL('../../../scripts/start.cjs', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function sh(file: string, body: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
}

function fakeProject(o: { buildExit?: number; electron: 'none' | 'path-only' | 'installed' }): string {
  const root = mkdtempSync(path.join(tmpdir(), 'sb-start-'));
  dirs.push(root);
  mkdirSync(path.join(root, 'scripts'));
  copyFileSync(REAL_SCRIPT, path.join(root, 'scripts', 'start.cjs'));
  sh(path.join(root, 'node_modules', '.bin', 'electron-vite'), `echo "$@" > "${root}/built.txt"; exit ${o.buildExit ?? 0}`);
  sh(path.join(root, 'node_modules', '.bin', 'electron'), `echo "electron $@ demo=$SWITCHBOARD_DEMO" > "${root}/launched.txt"`);
  const electronDir = path.join(root, 'node_modules', 'electron');
  mkdirSync(electronDir, { recursive: true });
  // Requiring the electron package would download the binary: this marks it if anyone does.
  writeFileSync(path.join(electronDir, 'index.js'), `require('fs').writeFileSync(${JSON.stringify(path.join(root, 'download.txt'))}, 'x');`);
  if (o.electron !== 'none') writeFileSync(path.join(electronDir, 'path.txt'), 'electron');
  if (o.electron === 'installed') sh(path.join(electronDir, 'dist', 'electron'), 'exit 0');
  mkdirSync(path.join(root, 'bin'));
  writeFileSync(
    path.join(root, 'bin', 'switchboard.cjs'),
    `require('fs').writeFileSync(${JSON.stringify(path.join(root, 'launched.txt'))}, 'switchboard ' + process.argv.slice(2).join(' ') + '\\n');
     process.on('SIGTERM', () => { require('fs').appendFileSync(${JSON.stringify(path.join(root, 'launched.txt'))}, 'SIGTERM\\n'); process.exit(0); });
     setTimeout(() => process.exit(7), 20000);`,
  );
  return root;
}

function start(root: string): { out: () => string; err: () => string; exit: Promise<number | null>; kill: (s: NodeJS.Signals) => void } {
  const child = spawn(process.execPath, [path.join(root, 'scripts', 'start.cjs')], { cwd: root, env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: '', ELECTRON_SKIP_BINARY_DOWNLOAD: '' } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { out: () => out, err: () => err, exit: new Promise((r) => child.on('exit', (code) => r(code))), kill: (s) => child.kill(s) };
}

const read = (f: string): string => (existsSync(f) ? readFileSync(f, 'utf8') : '');

describe('scripts/start.cjs', () => {
  it('builds, then without an Electron binary says so in one line and runs `serve --demo`; SIGTERM reaches it', async () => {
    for (const electron of ['none', 'path-only'] as const) {
      const root = fakeProject({ electron });
      const run = start(root);
      await waitFor(() => read(path.join(root, 'launched.txt')), 10_000, 'the launch');
      expect(read(path.join(root, 'built.txt'))).toBe('build\n');
      expect(run.out()).toBe('Electron is not installed here (no binary in node_modules/electron); starting serve mode instead.\n');
      expect(read(path.join(root, 'launched.txt'))).toBe('switchboard serve --demo\n');
      run.kill('SIGTERM');
      expect(await run.exit).toBe(0);
      expect(read(path.join(root, 'launched.txt'))).toBe('switchboard serve --demo\nSIGTERM\n');
      expect(existsSync(path.join(root, 'download.txt'))).toBe(false);
    }
  }, 30_000);

  it('fetches the Electron binary on first start when it can, then launches it', async () => {
    const root = fakeProject({ electron: 'none' });
    const electronDir = path.join(root, 'node_modules', 'electron');
    // A stand-in for electron's installer: writes path.txt and the binary, as the real one does.
    writeFileSync(path.join(electronDir, 'install.js'), `const fs=require('fs'),p=require('path');fs.writeFileSync(p.join(__dirname,'path.txt'),'electron');fs.mkdirSync(p.join(__dirname,'dist'),{recursive:true});fs.writeFileSync(p.join(__dirname,'dist','electron'),'#!/bin/sh\\nexit 0\\n',{mode:0o755});`);
    const run = start(root);
    await waitFor(() => read(path.join(root, 'launched.txt')), 10_000, 'the launch');
    expect(read(path.join(root, 'launched.txt'))).toBe('electron . demo=1\n');
    expect(await run.exit).toBe(0);
  }, 30_000);

  it('launches `electron .` with SWITCHBOARD_DEMO=1 when the binary is installed', async () => {
    const root = fakeProject({ electron: 'installed' });
    const run = start(root);
    expect(await run.exit).toBe(0);
    expect(read(path.join(root, 'launched.txt'))).toBe('electron . demo=1\n');
    expect(run.out()).toBe('');
    expect(existsSync(path.join(root, 'download.txt'))).toBe(false);
  });

  it('stops with the build failure and launches nothing', async () => {
    const root = fakeProject({ electron: 'installed', buildExit: 3 });
    const run = start(root);
    expect(await run.exit).toBe(3);
    expect(run.err()).toContain('switchboard start: the build failed (electron-vite build); see above');
    expect(existsSync(path.join(root, 'launched.txt'))).toBe(false);
  });
});
