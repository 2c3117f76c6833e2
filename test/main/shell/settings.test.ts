import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fake, resetFakes } from './fakeElectron';
import { recordingLog } from './recordingLog';
import { DEFAULT_SETTINGS, loadShellSettings, saveShellSettings, settingsFile } from '../../../src/main/shell/settings';
import { startFleet } from '../../../src/main/shell/startFleet';
import { freePort } from '../../helpers/ports';

vi.mock('electron', () => import('./fakeElectron'));

const silent = pino({ level: 'silent' });
let dir: string;

beforeEach(() => {
  resetFakes();
  dir = mkdtempSync(join(tmpdir(), 'sb-settings-'));
  fake.app.userData = dir;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the settings store', () => {
  it('saves atomically (owner-only) and loads what it saved; defaults when there is no file', () => {
    const file = settingsFile(dir);
    const log = recordingLog();
    expect(loadShellSettings(file, log)).toEqual(DEFAULT_SETTINGS);
    const saved = saveShellSettings(file, { prometheus: { url: 'http://prom:9090', tokenFile: '/etc/sb/prom.token' } });
    expect(saved).toEqual({ ok: true, value: { prometheus: { url: 'http://prom:9090', tokenFile: '/etc/sb/prom.token', profile: 'contract' } } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadShellSettings(file, log)).toEqual({ prometheus: { url: 'http://prom:9090', tokenFile: '/etc/sb/prom.token', profile: 'contract' } });
    expect(log.lines).toEqual([]);
  });

  it('refuses bad settings with the field at fault, and keeps the file as it was', () => {
    const file = settingsFile(dir);
    saveShellSettings(file, { prometheus: { url: 'http://prom:9090' } });
    const before = readFileSync(file, 'utf8');
    expect(saveShellSettings(file, { prometheus: { url: 'http://u:p@prom:9090' } })).toEqual({ ok: false, message: 'prometheus.url: must be an http(s) URL without credentials' });
    expect(saveShellSettings(file, { prometheus: { url: 'http://prom:9090', tokenFile: 'relative.token' } })).toEqual({ ok: false, message: 'prometheus.tokenFile: must be an absolute path' });
    expect(saveShellSettings(file, { prometheus: { url: 'http://prom:9090', token: 'secret' } }).ok).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('ignores a corrupt or foreign file with a log line naming what is wrong', () => {
    const file = settingsFile(dir);
    const log = recordingLog();
    writeFileSync(file, '{"prometheus": ');
    expect(loadShellSettings(file, log)).toEqual(DEFAULT_SETTINGS);
    writeFileSync(file, JSON.stringify({ prometheus: { url: 'ftp://x' } }));
    expect(loadShellSettings(file, log)).toEqual(DEFAULT_SETTINGS);
    expect(log.lines[0]).toMatch(new RegExp(`^warn: settings: ignoring ${file}: not JSON`));
    expect(log.lines[1]).toBe(`warn: settings: ignoring ${file}: prometheus.url: must be an http(s) URL without credentials`);
  });
});

describe('startFleet with Prometheus settings', () => {
  it('starts the console in Prometheus mode from the settings in userData (blind while Prometheus is away)', async () => {
    const port = await freePort();
    const tokenFile = join(dir, 'prom.token');
    writeFileSync(tokenFile, 'token\n');
    saveShellSettings(settingsFile(dir), { prometheus: { url: `http://127.0.0.1:${port}`, tokenFile, profile: 'centrifugo' } });
    const fleet = await startFleet({}, silent);
    try {
      expect(fleet.core.source).toMatchObject({ kind: 'live', name: `Prometheus at http://127.0.0.1:${port} (profile centrifugo)` });
      expect(fleet.description).toBe(`fleet from Prometheus at http://127.0.0.1:${port} (profile centrifugo)`);
      const blind = fleet.core.buildFrame([], 0, 0).fleet.blind;
      expect(blind).toContainEqual(expect.objectContaining({ node: '*', what: 'metrics', reason: `Prometheus at http://127.0.0.1:${port}: request failed (ECONNREFUSED)` }));
    } finally {
      await fleet.stop();
    }
  });

  it('a profile with a mistake: the console starts empty and its name says why', async () => {
    const profile = join(dir, 'bad-profile.json');
    writeFileSync(profile, JSON.stringify({ name: 'bad', extends: 'contract', concepts: { up: { query: 'up' } } }));
    saveShellSettings(settingsFile(dir), { prometheus: { url: 'http://127.0.0.1:9', profile } });
    const fleet = await startFleet({}, silent);
    try {
      expect(fleet.core.source.kind).toBe('none');
      expect(fleet.core.source.name).toBe('fleet failed to start: profile "bad", concept up (query: up): must aggregate by (instance) so that every node gets its own value, e.g. max by (instance) (...)');
    } finally {
      await fleet.stop();
    }
  });

  it('SWITCHBOARD_FLEET in the environment wins over the settings', async () => {
    saveShellSettings(settingsFile(dir), { prometheus: { url: 'http://127.0.0.1:9' } });
    const file = join(dir, 'fleet.json');
    const fleet = await startFleet({ SWITCHBOARD_FLEET: file }, silent);
    try {
      expect(fleet.description).toBe(`fleet from ${file}`);
    } finally {
      await fleet.stop();
    }
  });
});
