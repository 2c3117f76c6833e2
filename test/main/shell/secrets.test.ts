import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fake, resetFakes } from './fakeElectron';
import { SecretStore } from '../../../src/main/shell/secrets';

vi.mock('electron', () => import('./fakeElectron'));

const TOKEN = 'prom-token-1234567890';
let dir: string;
let file: string;

beforeEach(() => {
  resetFakes();
  dir = mkdtempSync(join(tmpdir(), 'sb-secrets-'));
  file = join(dir, 'secrets.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SecretStore', () => {
  it('saves a secret encrypted (mode 0600) and reads it back', async () => {
    const store = new SecretStore(file);
    expect(await store.set('prometheus', TOKEN)).toEqual({ ok: true, value: null });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(TOKEN);
    expect(JSON.parse(text)).toEqual({ version: 1, secrets: { prometheus: Buffer.from(`enc:${[...TOKEN].reverse().join('')}`).toString('base64') } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await new SecretStore(file).get('prometheus')).toEqual({ ok: true, value: TOKEN });
  });

  it('answers null for a secret never saved, and forgets a deleted one', async () => {
    const store = new SecretStore(file);
    expect(await store.get('prometheus')).toEqual({ ok: true, value: null });
    await store.set('prometheus', TOKEN);
    await store.set('other', 'x');
    expect(await store.delete('prometheus')).toEqual({ ok: true, value: null });
    expect(await store.get('prometheus')).toEqual({ ok: true, value: null });
    expect(await store.get('other')).toEqual({ ok: true, value: 'x' });
  });

  it('refuses to save when safeStorage cannot encrypt, writing nothing', async () => {
    fake.safeStorage.available = false;
    const r = await new SecretStore(file).set('prometheus', TOKEN);
    expect(r).toMatchObject({ ok: false, code: 'unavailable' });
    if (!r.ok) expect(r.message).toContain('no encryption');
    expect(existsSync(file)).toBe(false);
    expect(fake.safeStorage.encryptStringAsync).not.toHaveBeenCalled();
  });

  it("refuses Linux's basic_text backend (a hard-coded key is plain text in effect)", async () => {
    fake.safeStorage.backend = 'basic_text';
    const r = await new SecretStore(file, fake.safeStorage, 'linux').set('prometheus', TOKEN);
    expect(r).toMatchObject({ ok: false, code: 'unavailable' });
    expect(existsSync(file)).toBe(false);
    expect(await new SecretStore(file, fake.safeStorage, 'darwin').set('prometheus', TOKEN)).toEqual({ ok: true, value: null });
  });

  it('refuses a corrupt file rather than overwriting the secrets in it', async () => {
    writeFileSync(file, '{"version":1,"secrets":');
    const r = await new SecretStore(file).set('prometheus', TOKEN);
    expect(r).toMatchObject({ ok: false, code: 'internal' });
    if (!r.ok) expect(r.message).toContain(file);
    expect(readFileSync(file, 'utf8')).toBe('{"version":1,"secrets":');
  });

  it('rejects bad names and values with invalid', async () => {
    const store = new SecretStore(file);
    expect(await store.set('../etc', TOKEN)).toMatchObject({ ok: false, code: 'invalid' });
    expect(await store.set('__proto__', TOKEN)).toMatchObject({ ok: false, code: 'invalid' });
    expect(await store.set('prometheus', '')).toMatchObject({ ok: false, code: 'invalid' });
    expect(await store.get('a b')).toMatchObject({ ok: false, code: 'invalid' });
    expect(existsSync(file)).toBe(false);
  });

  it('answers unavailable when the OS key no longer decrypts a secret', async () => {
    writeFileSync(file, JSON.stringify({ version: 1, secrets: { prometheus: Buffer.from('garbage').toString('base64') } }));
    expect(await new SecretStore(file).get('prometheus')).toMatchObject({ ok: false, code: 'unavailable' });
  });

  it('re-encrypts a secret when the OS asks for it', async () => {
    const store = new SecretStore(file);
    await store.set('prometheus', TOKEN);
    fake.safeStorage.encryptStringAsync.mockClear();
    fake.safeStorage.reEncrypt = true;
    expect(await store.get('prometheus')).toEqual({ ok: true, value: TOKEN });
    expect(fake.safeStorage.encryptStringAsync).toHaveBeenCalledWith(TOKEN);
  });
});
