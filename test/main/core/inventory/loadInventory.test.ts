import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFleetFile } from '../../../../src/fleet/demo/fleetFileWriter';
import { loadInventory, targetInfo } from '../../../../src/main/core/inventory';
import { freePort } from '../../../helpers/ports';
import { tempDir } from './inventoryFixture';

describe('loadInventory', () => {
  it('builds a static source that resolves a relative path', async () => {
    const dir = tempDir('sb-load-');
    writeFileSync(join(dir, 'static.json'), JSON.stringify({ targets: [{ id: 'gw-1', opsUrl: 'http://127.0.0.1:9464' }] }));
    const cwd = process.cwd();
    process.chdir(dir);
    const src = loadInventory({ kind: 'static', file: 'static.json' });
    process.chdir(cwd);
    await src.start();
    await src.stop();
    expect(src.status.source).toBe(join(dir, 'static.json'));
    expect(src.status.targets.map(targetInfo)).toEqual([{ id: 'gw-1', opsUrl: 'http://127.0.0.1:9464', labels: {}, source: `${join(dir, 'static.json')} entry 0`, canAdmin: false }]);
  });

  it('builds a file_sd source that uses the option token files', async () => {
    const dir = tempDir('sb-load-');
    const file = join(dir, 'fleet.json');
    writeFleetFile(file, [{ nodeId: 'gw-1', region: 'eu', clientUrl: 'http://127.0.0.1:1', opsHostPort: '127.0.0.1:2' }], { readToken: 'r', adminToken: 'a' });
    writeFileSync(join(dir, 'admin.token'), 'from-option');
    const src = loadInventory({ kind: 'file_sd', file, adminTokenFile: join(dir, 'admin.token') });
    await src.start();
    await src.stop();
    expect(src.status.targets.map((t) => [t.id, t.readToken, t.adminToken])).toEqual([['gw-1', 'r', 'from-option']]);
  });

  it('builds a Prometheus source whose failures name the URL', async () => {
    const port = await freePort(); // nothing listens there
    const src = loadInventory({ kind: 'prometheus', url: `http://127.0.0.1:${port}`, intervalMs: 60_000 });
    await src.start();
    await src.stop();
    const api = `http://127.0.0.1:${port}/api/v1/targets?state=active`;
    expect(src.status).toEqual({ source: api, targets: [], warnings: [], loadedAt: null, lastError: { source: api, entry: null, field: null, message: `${api}: request failed (ECONNREFUSED)` } });
  });
});
