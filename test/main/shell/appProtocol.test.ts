import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fake, resetFakes } from './fakeElectron';
import { APP_CSP, APP_ENTRY_URL, createAppHandler, handleAppProtocol, isAppUrl, registerAppScheme } from '../../../src/main/shell/appProtocol';

vi.mock('electron', () => import('./fakeElectron'));

const EXPECTED_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

let base: string;
let renderer: string;
let serve: (r: Request) => Promise<Response>;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'sb-protocol-'));
  renderer = join(base, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Switchboard</title>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(base, 'secret.txt'), 'TOP SECRET');
  mkdirSync(join(base, 'renderer-evil'));
  writeFileSync(join(base, 'renderer-evil', 'x.txt'), 'sibling folder with the same prefix');
  symlinkSync(join(base, 'secret.txt'), join(renderer, 'link.txt'));
  serve = createAppHandler(renderer);
});
afterAll(() => rmSync(base, { recursive: true, force: true }));
beforeEach(resetFakes);

const get = (url: string, method = 'GET') => serve(new Request(url, { method }));

describe('app:// scheme', () => {
  it('exports exactly the strict CSP', () => {
    expect(APP_CSP).toBe(EXPECTED_CSP);
  });

  it('registers app: as standard, secure and fetch-capable', () => {
    registerAppScheme();
    expect(fake.protocol.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('installs the handler for the app scheme', async () => {
    handleAppProtocol(renderer);
    const handler = fake.protocol.handlers.get('app');
    expect(handler).toBeTypeOf('function');
    const res = (await handler?.(new Request(APP_ENTRY_URL))) as Response;
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>Switchboard</title>');
  });

  it('knows its own URLs from look-alikes', () => {
    expect(isAppUrl('app://switchboard/index.html')).toBe(true);
    expect(isAppUrl('app://switchboard.evil/index.html')).toBe(false);
    expect(isAppUrl('app://evil/index.html')).toBe(false);
    expect(isAppUrl('https://switchboard/index.html')).toBe(false);
    expect(isAppUrl('file:///index.html')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});

describe('app:// handler', () => {
  it('serves a file with the CSP, nosniff and its content type', async () => {
    const res = await get('app://switchboard/assets/app.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await res.text()).toBe('console.log(1)');
  });

  it('serves index.html for the root', async () => {
    const res = await get('app://switchboard/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('answers HEAD without a body', async () => {
    const res = await get('app://switchboard/index.html', 'HEAD');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it.each([
    'app://switchboard/..%2Fsecret.txt',
    'app://switchboard/%2E%2E%2Fsecret.txt',
    'app://switchboard/assets/..%2F..%2Fsecret.txt',
    'app://switchboard/..%5Csecret.txt',
    'app://switchboard/%2F..%2F..%2F..%2Fetc%2Fpasswd',
    'app://switchboard/..%2Frenderer-evil%2Fx.txt',
    'app://switchboard/link.txt',
  ])('refuses %s (path traversal) with a 404 that still carries the CSP', async (url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
    expect(await res.text()).not.toContain('SECRET');
  });

  it('answers 404 for a missing file, a folder and another host', async () => {
    expect((await get('app://switchboard/missing.js')).status).toBe(404);
    expect((await get('app://switchboard/assets')).status).toBe(404);
    expect((await get('app://other/index.html')).status).toBe(404);
  });

  it('answers 405 to anything but GET and HEAD', async () => {
    const res = await get('app://switchboard/index.html', 'POST');
    expect(res.status).toBe(405);
    expect(res.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
  });
});
