#!/usr/bin/env node
// `npm start`: build, then open the console on the demo fleet — in Electron when its
// binary is installed, otherwise in serve mode for a browser. Electron 45 downloads its
// binary lazily on first use; this script never triggers that download (build machines
// cannot reach it), it only looks for a binary that is already there.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS run by node before any build */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const say = (line) => process.stderr.write(`switchboard start: ${line}\n`);
const bin = (name) => path.join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);

/** The Electron binary if it is installed (path.txt names it inside dist/), else null. Never downloads. */
function installedElectron() {
  const dir = path.join(ROOT, 'node_modules', 'electron');
  let rel;
  try {
    rel = fs.readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
  } catch {
    return null;
  }
  if (!rel) return null;
  const full = process.env.ELECTRON_OVERRIDE_DIST_PATH ? path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, rel) : path.join(dir, 'dist', rel);
  return fs.existsSync(full) ? full : null;
}

/** Runs a child in the foreground: signals are passed on, its exit is ours. */
function runForeground(cmd, args, env) {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', env, shell: process.platform === 'win32' });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => forward(signal));
  child.on('error', (err) => {
    say(`could not start ${cmd}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (os.constants.signals[signal] ?? 0)));
}

// Always build: it takes seconds, and a stale out/ is worse than a short wait.
const build = spawnSync(bin('electron-vite'), ['build'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
if (build.status !== 0) {
  say(`the build failed (electron-vite build${build.error ? `: ${build.error.message}` : ''}); see above`);
  process.exit(build.status || 1);
}

/**
 * Electron 45 fetches its binary on first use, not at `npm ci`: try that once (a fresh
 * desktop has no binary yet), unless told not to. Offline it fails within a second.
 */
function tryDownloadElectron() {
  const installer = path.join(ROOT, 'node_modules', 'electron', 'install.js');
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD || !fs.existsSync(installer)) return;
  say('fetching the Electron binary (first start)…');
  spawnSync(process.execPath, [installer], { cwd: ROOT, stdio: ['ignore', 'ignore', 'ignore'], timeout: 180_000 });
}

if (!installedElectron()) tryDownloadElectron();
if (installedElectron()) {
  runForeground(bin('electron'), ['.'], { ...process.env, SWITCHBOARD_DEMO: '1' });
} else {
  process.stdout.write('Electron is not installed here (no binary in node_modules/electron); starting serve mode instead.\n');
  runForeground(process.execPath, [path.join(ROOT, 'bin', 'switchboard.cjs'), 'serve', '--demo'], process.env);
}
