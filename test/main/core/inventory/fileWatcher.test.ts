import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileWatcher } from '../../../../src/main/core/inventory';
import { sleep, waitFor } from '../../../helpers/ports';
import { atomicWrite, tempDir } from './inventoryFixture';

describe('FileWatcher', () => {
  const watchers: FileWatcher[] = [];
  afterEach(() => watchers.splice(0).forEach((w) => w.stop()));
  const watching = (paths: string[], opts = {}) => {
    const calls = { n: 0 };
    const w = new FileWatcher(paths, opts);
    w.start(() => calls.n++);
    watchers.push(w);
    return { w, calls };
  };

  it('fires once, debounced, for a burst of writes and renames; ignores other files in the folder', async () => {
    const dir = tempDir('sb-watch-');
    const file = join(dir, 'fleet.json');
    writeFileSync(file, '1');
    const { calls } = watching([file], { debounceMs: 100, pollMs: 60_000 }); // fs.watch alone
    writeFileSync(join(dir, 'other.json'), 'x');
    await sleep(300);
    expect(calls.n).toBe(0);
    writeFileSync(file, '2');
    atomicWrite(file, '3');
    writeFileSync(file, '4');
    await waitFor(() => calls.n > 0, 1000, 'a change');
    await sleep(300);
    expect(calls.n).toBe(1);
  });

  it('keeps hearing a file after it was replaced by rename', async () => {
    const dir = tempDir('sb-watch-');
    const file = join(dir, 'fleet.json');
    writeFileSync(file, '1');
    const { calls } = watching([file], { debounceMs: 20, pollMs: 60_000 }); // fs.watch alone
    for (let i = 1; i <= 3; i++) {
      atomicWrite(file, `v${i}`);
      await waitFor(() => calls.n === i, 1000, `change ${i}`);
    }
  });

  it('with fs.watch off, the stat poll notices changes, creation and removal, even in a folder made later', async () => {
    const dir = tempDir('sb-watch-');
    const file = join(dir, 'fleet.json');
    const later = join(dir, 'sub', 'read.token');
    writeFileSync(file, '1');
    const { w, calls } = watching([file], { fsWatch: false, pollMs: 50, debounceMs: 10 });
    w.loaded([later]);
    await sleep(200);
    expect(calls.n).toBe(0);
    writeFileSync(file, '22');
    await waitFor(() => calls.n === 1, 1000, 'poll to see the edit');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(later, 'tok');
    await waitFor(() => calls.n === 2, 1000, 'poll to see the new file');
    rmSync(file);
    await waitFor(() => calls.n === 3, 1000, 'poll to see the removal');
  });

  it('stays silent after stop', async () => {
    const dir = tempDir('sb-watch-');
    const file = join(dir, 'fleet.json');
    writeFileSync(file, '1');
    const { w, calls } = watching([file], { debounceMs: 10, pollMs: 50 });
    w.stop();
    writeFileSync(file, '2');
    await sleep(200);
    expect(calls.n).toBe(0);
  });
});
