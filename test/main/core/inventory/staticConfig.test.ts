import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadInventory, loadStaticConfig } from '../../../../src/main/core/inventory';
import type { InventorySource } from '../../../../src/main/core/inventory';
import { nextChange, tempDir } from './inventoryFixture';

const KNOWN_TARGET_FIELDS = 'id, opsUrl, labels, readTokenFile, adminTokenFile';

/** Writes `config` (object → JSON, string as is) to a fresh folder with a read and an admin token file. */
function setup(config: unknown): { dir: string; file: string } {
  const dir = tempDir('sb-static-');
  writeFileSync(join(dir, 'read.token'), 'read-tok\n');
  writeFileSync(join(dir, 'admin.token'), '  admin-tok  \n');
  const file = join(dir, 'fleet.json');
  writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  return { dir, file };
}

const gw = (id: string, port: number, extra: Record<string, unknown> = {}) => ({ id, opsUrl: `http://127.0.0.1:${port}`, ...extra });

describe('loadStaticConfig', () => {
  it('loads targets with default and per-target token files relative to the config folder', async () => {
    const { dir, file } = setup({
      readTokenFile: 'read.token',
      targets: [
        gw('gw-1', 9464, { labels: { region: 'eu' } }),
        { id: 'gw-2', opsUrl: 'HTTP://LocalHost:9465/', adminTokenFile: 'admin.token' },
        gw('gw-3', 9466, { readTokenFile: 'own/read.token' }),
      ],
    });
    mkdirSync(join(dir, 'own'));
    writeFileSync(join(dir, 'own', 'read.token'), 'own-read');
    const r = await loadStaticConfig(file);
    expect(r).toEqual({
      ok: true,
      warnings: [],
      watch: [join(dir, 'read.token'), join(dir, 'admin.token'), join(dir, 'own/read.token')],
      targets: [
        { id: 'gw-1', opsUrl: 'http://127.0.0.1:9464', labels: { region: 'eu' }, readToken: 'read-tok', adminToken: null, source: `${file} entry 0` },
        { id: 'gw-2', opsUrl: 'http://localhost:9465', labels: {}, readToken: 'read-tok', adminToken: 'admin-tok', source: `${file} entry 1` },
        { id: 'gw-3', opsUrl: 'http://127.0.0.1:9466', labels: {}, readToken: 'own-read', adminToken: null, source: `${file} entry 2` },
      ],
    });
  });

  it('accepts an empty target list and https with IPv6 hosts', async () => {
    expect(await loadStaticConfig(setup({ targets: [] }).file)).toMatchObject({ ok: true, targets: [] });
    const r = await loadStaticConfig(setup({ targets: [{ id: 'v6', opsUrl: 'https://[::1]:443' }] }).file);
    expect(r.ok && r.targets.map((t) => t.opsUrl)).toEqual(['https://[::1]:443']);
  });

  // Each case: the config (object, or raw text), the entry and field at fault, and the exact message after "<file>".
  const cases: Array<[string, unknown, number | null, string | null, string]> = [
    ['empty file', '', null, null, ': file is empty'],
    ['whitespace only (a write in progress)', '  \n', null, null, ': file is empty'],
    ['not JSON', '{\n  "targets": [\n    { "id": "gw-1" }\n  ],\n}\n', null, null, ': not valid JSON at line 5 column 1 (expected a double-quoted property name)'],
    ['truncated JSON', '{ "targets": [', null, null, ': not valid JSON at line 1 column 15 (unexpected end of input, expected a value)'],
    ['an array at the top', [], null, null, ': the top level must be an object, not an array'],
    ['no targets', {}, null, 'targets', ', field targets: is required'],
    ['targets not a list', { targets: {} }, null, 'targets', ', field targets: must be an array, not an object'],
    ['unknown top-level field', { targets: [], target: [] }, null, 'target', ', field target: unknown field; known fields are targets, readTokenFile, adminTokenFile'],
    ['unknown entry field (ahead of the missing one)', { targets: [gw('gw-1', 1), { id: 'gw-2', opsURL: 'http://h:2' }] }, 1, 'opsURL', `, entry 1, field opsURL: unknown field; known fields are ${KNOWN_TARGET_FIELDS}`],
    ['entry not an object', { targets: ['gw-1'] }, 0, null, ', entry 0: must be an object, not a string'],
    ['missing opsUrl', { targets: [{ id: 'gw-1' }] }, 0, 'opsUrl', ', entry 0, field opsUrl: is required'],
    ['id not a string', { targets: [{ id: 7, opsUrl: 'http://h:1' }] }, 0, 'id', ', entry 0, field id: must be a string, not a number'],
    ['id with a space', { targets: [gw('gw 1', 1)] }, 0, 'id', ', entry 0, field id: must be 1 to 128 characters without spaces or control characters'],
    ['empty id', { targets: [gw('', 1)] }, 0, 'id', ', entry 0, field id: must be 1 to 128 characters without spaces or control characters'],
    ['opsUrl without a scheme', { targets: [{ id: 'a', opsUrl: '127.0.0.1:9464' }] }, 0, 'opsUrl', ', entry 0, field opsUrl: must be a URL like http://127.0.0.1:9464'],
    ['opsUrl garbage', { targets: [{ id: 'a', opsUrl: 'not a url' }] }, 0, 'opsUrl', ', entry 0, field opsUrl: must be a URL like http://127.0.0.1:9464'],
    ['opsUrl ftp', { targets: [{ id: 'a', opsUrl: 'ftp://h:21' }] }, 0, 'opsUrl', ', entry 0, field opsUrl: must be an http or https URL'],
    ['opsUrl without port', { targets: [{ id: 'a', opsUrl: 'http://h' }] }, 0, 'opsUrl', ', entry 0, field opsUrl: must include a port, like http://127.0.0.1:9464'],
    ['opsUrl with a path', { targets: [{ id: 'a', opsUrl: 'http://h:1/metrics' }] }, 0, 'opsUrl', ', entry 0, field opsUrl: must not have a path, query or fragment'],
    ['opsUrl with a query', { targets: [{ id: 'a', opsUrl: 'http://h:1?x=1' }] }, 0, 'opsUrl', ', entry 0, field opsUrl: must not have a path, query or fragment'],
    ['opsUrl with credentials', { targets: [{ id: 'a', opsUrl: 'http://u:hunter2@h:1' }] }, 0, 'opsUrl', ', entry 0, field opsUrl: must not contain credentials; give tokens in token files'],
    ['opsUrl port 0', { targets: [{ id: 'a', opsUrl: 'http://h:0' }] }, 0, 'opsUrl', ', entry 0, field opsUrl: must have a port from 1 to 65535'],
    ['label value not a string', { targets: [gw('a', 1, { labels: { region: 3 } })] }, 0, 'labels.region', ', entry 0, field labels.region: must be a string, not a number'],
    ['bad label name', { targets: [gw('a', 1, { labels: { 'a-b': 'x' } })] }, 0, 'labels.a-b', ', entry 0, field labels.a-b: is not a valid label name (letters, digits and _, not starting with a digit)'],
    ['reserved label name', { targets: [gw('a', 1, { labels: { __scheme__: 'https' } })] }, 0, 'labels.__scheme__', ', entry 0, field labels.__scheme__: is reserved: label names starting with __ are Prometheus-internal'],
    ['credential-like label', { targets: [gw('a', 1, { labels: { api_token: 'x' } })] }, 0, 'labels.api_token', ', entry 0, field labels.api_token: looks like a credential; labels are shown in the UI, so give tokens in readTokenFile or adminTokenFile'],
    ['empty token file path', { targets: [gw('a', 1, { readTokenFile: '' })] }, 0, 'readTokenFile', ', entry 0, field readTokenFile: must not be empty'],
    ['duplicate id names both entries', { targets: [gw('gw-1', 1), gw('gw-2', 2), gw('gw-1', 3)] }, 2, 'id', ', entry 2, field id: duplicate id "gw-1", also used by entry 0'],
    ['duplicate ops URL (after normalizing)', { targets: [{ id: 'a', opsUrl: 'http://localhost:1' }, { id: 'b', opsUrl: 'http://LOCALHOST:1/' }] }, 1, 'opsUrl', ', entry 1, field opsUrl: duplicate ops URL http://localhost:1, also used by entry 0'],
  ];
  it.each(cases)('rejects %s with an exact message', async (_name, config, entry, field, rest) => {
    const { file } = setup(config);
    const r = await loadStaticConfig(file);
    expect(r).toEqual({ ok: false, error: { source: file, entry, field, message: `${file}${rest}` }, watch: [] });
  });

  it('rejects token files that are missing, empty, too big, not one token, or not files', async () => {
    const { dir, file } = setup({ targets: [] });
    writeFileSync(join(dir, 'empty.token'), '\n\n');
    writeFileSync(join(dir, 'big.token'), 'x'.repeat(5000));
    writeFileSync(join(dir, 'two.token'), 'one two\n');
    mkdirSync(join(dir, 'folder.token'));
    const expectations: Array<[Record<string, unknown>, number | null, string, string]> = [
      [{ targets: [gw('a', 1, { readTokenFile: 'nope.token' })] }, 0, 'readTokenFile', `token file ${dir}/nope.token does not exist`],
      [{ adminTokenFile: 'empty.token', targets: [] }, null, 'adminTokenFile', `token file ${dir}/empty.token is empty`],
      [{ targets: [gw('a', 1), gw('b', 2, { adminTokenFile: 'big.token' })] }, 1, 'adminTokenFile', `token file ${dir}/big.token is larger than 4 KiB (5000 bytes); it should hold one token`],
      [{ targets: [gw('a', 1, { readTokenFile: 'two.token' })] }, 0, 'readTokenFile', `token file ${dir}/two.token holds spaces, line breaks or non-ASCII characters; it should hold one token`],
      [{ readTokenFile: 'folder.token', targets: [] }, null, 'readTokenFile', `token file ${dir}/folder.token is not a regular file`],
    ];
    for (const [config, entry, field, problem] of expectations) {
      writeFileSync(file, JSON.stringify(config));
      const r = await loadStaticConfig(file);
      const where = entry === null ? `${file}, field ${field}` : `${file}, entry ${entry}, field ${field}`;
      expect(r.ok ? null : r.error).toEqual({ source: file, entry, field, message: `${where}: ${problem}` });
    }
  });

  it('rejects a missing config file and one over the 4 MiB cap', async () => {
    const dir = tempDir('sb-static-');
    const missing = join(dir, 'none.json');
    expect(await loadStaticConfig(missing)).toMatchObject({ ok: false, error: { message: `${missing}: file does not exist` } });
    const big = join(dir, 'big.json');
    writeFileSync(big, `{"targets":[]}${' '.repeat(4 * 1024 * 1024)}`);
    expect(await loadStaticConfig(big)).toMatchObject({ ok: false, error: { message: `${big}: file is larger than 4 MiB (4194318 bytes)` } });
  });
});

describe('static config source', () => {
  let source: InventorySource | null = null;
  afterEach(async () => {
    await source?.stop();
    source = null;
  });

  it('reloads on change of the config or of a token file, and keeps the last good targets after a bad edit', async () => {
    const { dir, file } = setup({ readTokenFile: 'read.token', targets: [gw('gw-1', 9464)] });
    source = loadInventory({ kind: 'static', file });
    await source.start();
    expect(source.status).toMatchObject({ source: file, lastError: null, targets: [{ id: 'gw-1', readToken: 'read-tok' }] });
    expect(source.status.loadedAt).toBeGreaterThan(Date.now() - 5000);

    let change = nextChange(source, (s) => s.targets.length === 2);
    writeFileSync(file, JSON.stringify({ readTokenFile: 'read.token', targets: [gw('gw-1', 9464), gw('gw-2', 9465)] }));
    expect((await change).targets.map((t) => t.id)).toEqual(['gw-1', 'gw-2']);

    change = nextChange(source, (s) => s.targets[0]?.readToken === 'rotated');
    writeFileSync(join(dir, 'read.token'), 'rotated\n');
    expect((await change).targets.map((t) => t.readToken)).toEqual(['rotated', 'rotated']);

    change = nextChange(source, (s) => s.lastError !== null);
    writeFileSync(file, JSON.stringify({ targets: [gw('gw-1', 9464), gw('gw-1', 9465)] }));
    const bad = await change;
    expect(bad.lastError?.message).toBe(`${file}, entry 1, field id: duplicate id "gw-1", also used by entry 0`);
    expect(bad.targets.map((t) => t.id)).toEqual(['gw-1', 'gw-2']);

    change = nextChange(source, (s) => s.lastError === null);
    writeFileSync(file, JSON.stringify({ targets: [gw('gw-9', 9470)] }));
    expect((await change).targets.map((t) => [t.id, t.readToken])).toEqual([['gw-9', null]]);
  });
});
