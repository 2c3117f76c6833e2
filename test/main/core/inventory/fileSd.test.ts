import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFleetFile } from '../../../../src/fleet/demo/fleetFileWriter';
import type { DemoTarget } from '../../../../src/fleet/demo/fleetFileWriter';
import { fileSdSource, loadFileSd, loadInventory } from '../../../../src/main/core/inventory';
import type { InventorySource } from '../../../../src/main/core/inventory';
import { credentialsPathFor } from '../../../../src/shared/fleetFile';
import { sleep } from '../../../helpers/ports';
import { atomicWrite, nextChange, recordChanges, tempDir } from './inventoryFixture';

const creds = { readToken: 'r-123', adminToken: 'a-456' };
const demo = (n: number, port0 = 9464): DemoTarget[] =>
  Array.from({ length: n }, (_, i) => ({ nodeId: `gw-${i + 1}`, region: i % 2 ? 'us' : 'eu', clientUrl: `http://127.0.0.1:${8080 + i}`, opsHostPort: `127.0.0.1:${port0 + i}` }));

/** A demo fleet file (file_sd + credentials) in a fresh folder. */
function demoFile(n = 2): { dir: string; file: string; credFile: string } {
  const dir = tempDir('sb-filesd-');
  const file = join(dir, 'fleet.json');
  const credFile = writeFleetFile(file, demo(n), creds);
  return { dir, file, credFile };
}

/** A file_sd file with the given content and no credentials file. */
function sdFile(content: unknown): { dir: string; file: string } {
  const dir = tempDir('sb-filesd-');
  const file = join(dir, 'targets.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return { dir, file };
}

describe('loadFileSd', () => {
  it('loads the demo fleet file with the tokens from its credentials file', async () => {
    const { file, credFile } = demoFile(2);
    expect(await loadFileSd(file)).toEqual({
      ok: true,
      warnings: [],
      watch: [credFile],
      targets: [
        { id: 'gw-1', opsUrl: 'http://127.0.0.1:9464', labels: { node_id: 'gw-1', region: 'eu', client_url: 'http://127.0.0.1:8080', job: 'realtime-gateway' }, readToken: 'r-123', adminToken: 'a-456', source: `${file} entry 0 targets[0]` },
        { id: 'gw-2', opsUrl: 'http://127.0.0.1:9465', labels: { node_id: 'gw-2', region: 'us', client_url: 'http://127.0.0.1:8081', job: 'realtime-gateway' }, readToken: 'r-123', adminToken: 'a-456', source: `${file} entry 1 targets[0]` },
      ],
    });
  });

  it('makes one target per host:port, id host:port without node_id, scheme from __scheme__, __ labels not passed on', async () => {
    const { file } = sdFile([
      { targets: ['10.0.0.1:9464', 'Node-B.example:9464'], labels: { __scheme__: 'https', __metrics_path__: '/m', dc: 'x' } },
      { targets: ['[::1]:9500'] },
    ]);
    const r = await loadFileSd(file);
    expect(r.ok && r.targets.map((t) => [t.id, t.opsUrl, t.labels])).toEqual([
      ['10.0.0.1:9464', 'https://10.0.0.1:9464', { dc: 'x' }],
      ['node-b.example:9464', 'https://node-b.example:9464', { dc: 'x' }],
      ['[::1]:9500', 'http://[::1]:9500', {}],
    ]);
  });

  it('drops credential-like labels, never passing their values on, and warns', async () => {
    const { file } = sdFile([{ targets: ['127.0.0.1:1'], labels: { node_id: 'gw-1', api_token: 'SEKRIT-1', DB_Password: 'SEKRIT-2', client_secret: 'SEKRIT-3', region: 'eu' } }]);
    const r = await loadFileSd(file);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.targets[0].labels).toEqual({ node_id: 'gw-1', region: 'eu' });
    expect(r.targets[0].readToken).toBeNull();
    const credFile = credentialsPathFor(file);
    const why = `label looks like a credential and was dropped; tokens come only from ${credFile} or token files`;
    expect(r.warnings).toEqual([
      `${file}, entry 0, field labels.api_token: ${why}`,
      `${file}, entry 0, field labels.DB_Password: ${why}`,
      `${file}, entry 0, field labels.client_secret: ${why}`,
      `${file}: no credentials file ${credFile}; targets have no read token and no admin token`,
    ]);
    expect(JSON.stringify(r)).not.toContain('SEKRIT');
  });

  it('without a credentials file: null tokens and a warning, or the tokens of option token files', async () => {
    const { dir, file } = sdFile([{ targets: ['127.0.0.1:1'] }]);
    const credFile = credentialsPathFor(file);
    const none = await loadFileSd(file);
    expect(none.ok && [none.targets[0].readToken, none.targets[0].adminToken, none.warnings]).toEqual([null, null, [`${file}: no credentials file ${credFile}; targets have no read token and no admin token`]]);

    writeFileSync(join(dir, 'read.token'), 'opt-read\n');
    const half = await loadFileSd(file, { readTokenFile: join(dir, 'read.token') });
    expect(half.ok && [half.targets[0].readToken, half.targets[0].adminToken, half.warnings]).toEqual(['opt-read', null, [`${file}: no credentials file ${credFile}; targets have no admin token`]]);
  });

  it('option token files win over the credentials file', async () => {
    const { dir, file } = demoFile(1);
    writeFileSync(join(dir, 'admin.token'), 'opt-admin');
    const r = await loadFileSd(file, { adminTokenFile: join(dir, 'admin.token') });
    expect(r.ok && [r.targets[0].readToken, r.targets[0].adminToken, r.warnings]).toEqual(['r-123', 'opt-admin', []]);
    const bad = await loadFileSd(file, { readTokenFile: join(dir, 'missing.token') });
    expect(bad.ok ? null : bad.error.message).toBe(`${file}: readTokenFile option: token file ${join(dir, 'missing.token')} does not exist`);
  });

  it('reports a broken credentials file by name and field without quoting it', async () => {
    const { file, credFile } = demoFile(1);
    const cases: Array<[string, string | null, string]> = [
      ['{"readToken": "SEKRIT", adminToken: 1}', null, `${credFile}: credentials file is not valid JSON at line 1 column 25 (expected a double-quoted property name)`],
      ['{"readToken": "SEKRIT"}', 'adminToken', `${credFile}, field adminToken: is required`],
      ['{"readToken": "SEKRIT", "adminToken": 5}', 'adminToken', `${credFile}, field adminToken: must be a string, not a number`],
      ['{"readToken": "SEK RIT", "adminToken": "x"}', 'readToken', `${credFile}, field readToken: must be one token: visible ASCII without spaces`],
      ['', null, `${credFile}: credentials file is empty`],
    ];
    for (const [text, field, message] of cases) {
      writeFileSync(credFile, text);
      expect(await loadFileSd(file)).toEqual({ ok: false, error: { source: credFile, entry: null, field, message }, watch: [credFile] });
    }
  });

  const bad: Array<[string, string, number | null, string | null, string]> = [
    ['empty (mid-write)', '', null, null, ': file is empty'],
    ['not JSON', '[\n  { "targets": ["127.0.0.1:1"] }\n  { "targets": [] }\n]', null, null, ': not valid JSON at line 3 column 3 (expected \',\' or \']\' after an array element)'],
    ['an object at the top', '{"targets": []}', null, null, ': the top level must be an array, not an object'],
    ['a group without targets', '[{"labels": {}}]', 0, 'targets', ', entry 0, field targets: is required'],
    ['targets not a list', '[{"targets": "127.0.0.1:1"}]', 0, 'targets', ', entry 0, field targets: must be an array, not a string'],
    ['a target that is not a string', '[{"targets": ["127.0.0.1:1", 9464]}]', 0, 'targets[1]', ', entry 0, field targets[1]: must be a string, not a number'],
    ['a target that is not host:port', '[{"targets": ["127.0.0.1:1"]}, {"targets": ["127.0.0.1:2", "http://127.0.0.1:3"]}]', 1, 'targets[1]', ', entry 1, field targets[1]: must be host:port, like 127.0.0.1:9464'],
    ['a target without a port', '[{"targets": ["gw-1.example"]}]', 0, 'targets[0]', ', entry 0, field targets[0]: must be host:port, like 127.0.0.1:9464'],
    ['a target port out of range', '[{"targets": ["h:70000"]}]', 0, 'targets[0]', ', entry 0, field targets[0]: must be host:port with a valid host and a port from 1 to 65535'],
    ['a duplicate target', '[{"targets": ["127.0.0.1:1"]}, {"targets": ["127.0.0.1:2", "127.0.0.1:1"]}]', 1, 'targets[1]', ', entry 1, field targets[1]: duplicate target 127.0.0.1:1, also in entry 0 targets[0]'],
    ['a duplicate node_id', '[{"targets": ["127.0.0.1:1"], "labels": {"node_id": "gw-1"}}, {"targets": ["127.0.0.1:2"], "labels": {"node_id": "gw-1"}}]', 1, 'labels.node_id', ', entry 1, field labels.node_id: duplicate id "gw-1" (targets[0]), also used by entry 0 targets[0]'],
    ['a label value that is not a string', '[{"targets": ["127.0.0.1:1"], "labels": {"node_id": 1}}]', 0, 'labels.node_id', ', entry 0, field labels.node_id: must be a string, not a number'],
    ['a bad label name', '[{"targets": ["127.0.0.1:1"], "labels": {"node-id": "x"}}]', 0, 'labels.node-id', ', entry 0, field labels.node-id: is not a valid label name (letters, digits and _, not starting with a digit)'],
    ['a bad __scheme__', '[{"targets": ["127.0.0.1:1"], "labels": {"__scheme__": "ftp"}}]', 0, 'labels.__scheme__', ', entry 0, field labels.__scheme__: must be http or https'],
    ['a node_id with a space', '[{"targets": ["127.0.0.1:1"], "labels": {"node_id": "gw 1"}}]', 0, 'labels.node_id', ', entry 0, field labels.node_id: must be 1 to 128 characters without spaces or control characters'],
  ];
  it.each(bad)('rejects %s, naming file, entry and field', async (_name, text, entry, field, rest) => {
    const { file } = sdFile(text);
    expect(await loadFileSd(file)).toEqual({ ok: false, error: { source: file, entry, field, message: `${file}${rest}` }, watch: [credentialsPathFor(file)] });
  });

  it('warns about unknown group fields (Prometheus ignores them too)', async () => {
    const { file } = sdFile([{ targets: ['127.0.0.1:1'], label: { node_id: 'typo' } }]);
    const r = await loadFileSd(file);
    expect(r.ok && r.warnings[0]).toBe(`${file}, entry 0, field label: unknown field, ignored`);
  });
});

describe('file_sd source', () => {
  const sources: InventorySource[] = [];
  afterEach(async () => {
    await Promise.all(sources.splice(0).map((s) => s.stop()));
  });
  const started = async (src: InventorySource) => {
    sources.push(src);
    await src.start();
    return src;
  };
  const ids = (src: InventorySource) => src.status.targets.map((t) => t.id);

  it('picks up atomic (rename) and in-place edits within a second', async () => {
    const { file } = demoFile(2);
    const src = await started(loadInventory({ kind: 'file_sd', file }));
    expect(ids(src)).toEqual(['gw-1', 'gw-2']);

    let change = nextChange(src, (s) => s.targets.length === 3);
    writeFleetFile(file, demo(3), creds); // our own writer: tmp + rename
    expect((await change).targets.map((t) => [t.id, t.opsUrl])).toEqual([['gw-1', 'http://127.0.0.1:9464'], ['gw-2', 'http://127.0.0.1:9465'], ['gw-3', 'http://127.0.0.1:9466']]);

    change = nextChange(src, (s) => s.targets.length === 1);
    atomicWrite(file, JSON.stringify([{ targets: ['127.0.0.1:7000'], labels: { node_id: 'solo' } }]));
    expect((await change).targets.map((t) => [t.id, t.opsUrl, t.readToken])).toEqual([['solo', 'http://127.0.0.1:7000', 'r-123']]);

    change = nextChange(src, (s) => s.targets[0]?.id === 'edited');
    writeFileSync(file, JSON.stringify([{ targets: ['127.0.0.1:7001'], labels: { node_id: 'edited' } }])); // in place
    expect((await change).targets.map((t) => t.opsUrl)).toEqual(['http://127.0.0.1:7001']);
  });

  it('keeps the last good targets while the file is broken, and recovers', async () => {
    const { file } = demoFile(2);
    const src = await started(fileSdSource(file));
    const good = src.status;

    let change = nextChange(src, (s) => s.lastError !== null);
    atomicWrite(file, JSON.stringify([{ targets: ['127.0.0.1:1'] }, { targets: ['127.0.0.1:2', 'not-a-target'] }]));
    const broken = await change;
    expect(broken.lastError).toEqual({ source: file, entry: 1, field: 'targets[1]', message: `${file}, entry 1, field targets[1]: must be host:port, like 127.0.0.1:9464` });
    expect(broken.targets).toBe(good.targets);
    expect(broken.loadedAt).toBe(good.loadedAt);

    change = nextChange(src, (s) => s.lastError?.message === `${file}: file is empty`);
    writeFileSync(file, '');
    expect((await change).targets.map((t) => t.id)).toEqual(['gw-1', 'gw-2']);

    change = nextChange(src, (s) => s.lastError === null);
    writeFleetFile(file, demo(1), creds);
    const fixed = await change;
    expect(fixed.targets.map((t) => t.id)).toEqual(['gw-1']);
    expect(fixed.loadedAt).toBeGreaterThanOrEqual(good.loadedAt ?? Infinity);
  });

  it('follows the credentials file: rotated tokens, then removed', async () => {
    const { file, credFile } = demoFile(1);
    const src = await started(fileSdSource(file));
    let change = nextChange(src, (s) => s.targets[0]?.adminToken === 'a-new');
    atomicWrite(credFile, JSON.stringify({ readToken: 'r-new', adminToken: 'a-new' }));
    expect((await change).targets[0].readToken).toBe('r-new');

    change = nextChange(src, (s) => s.targets[0]?.readToken === null);
    rmSync(credFile);
    expect((await change).warnings).toEqual([`${file}: no credentials file ${credFile}; targets have no read token and no admin token`]);
  });

  it('notices changes by the stat poll alone when fs.watch is unavailable', async () => {
    const { file } = demoFile(1);
    const src = await started(fileSdSource(file, { fsWatch: false, pollMs: 150 }));
    const change = nextChange(src, (s) => s.targets.length === 2, 1500);
    writeFleetFile(file, demo(2), creds);
    expect((await change).targets.map((t) => t.id)).toEqual(['gw-1', 'gw-2']);
  });

  it('does not report a reload that changes nothing, and is silent after stop', async () => {
    const { file } = demoFile(1);
    const src = await started(fileSdSource(file));
    const seen = recordChanges(src);
    writeFleetFile(file, demo(1), creds); // same content, new inode
    await sleep(400);
    expect(seen).toEqual([]);
    await src.stop();
    writeFleetFile(file, demo(2), creds);
    await sleep(400);
    expect(seen).toEqual([]);
    expect(ids(src)).toEqual(['gw-1']);
  });
});
