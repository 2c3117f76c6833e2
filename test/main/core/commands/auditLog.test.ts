import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AuditLog, GENESIS_HASH, verifyAudit } from '../../../../src/main/core/commands';
import type { AuditEntry } from '../../../../src/main/core/commands';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sb-audit-'));
let n = 0;
const freshFile = () => join(dir, `audit-${++n}.jsonl`);
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

const entry = (i: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  action: 'drain', outcome: i % 2 === 0 ? 'started' : 'succeeded', actionId: `a-${i}`, nodes: ['gw-1'],
  params: { deadlineSeconds: 60, disconnectRatePerSecond: 100 }, reason: `reason ${i} — ünïcode`, ...over,
});

async function writeLog(count: number): Promise<string> {
  const file = freshFile();
  const log = new AuditLog(file);
  for (let i = 0; i < count; i++) await log.append(entry(i));
  return file;
}

/** `node bin/switchboard.cjs audit verify --audit-file F`, as an operator runs it. */
function verifyCli(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/switchboard.cjs', 'audit', 'verify', '--audit-file', file], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('AuditLog', () => {
  it('appends one JSON line per record, chained: prevHash is the sha256 of the previous line, hash covers the record', async () => {
    const file = await writeLog(3);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    const recs = lines.slice(0, 3).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(recs[0].prevHash).toBe(GENESIS_HASH);
    expect(recs[1].prevHash).toBe(sha(lines[0]));
    expect(recs[2].prevHash).toBe(sha(lines[1]));
    // The hash is of the line up to the hash field, closed: edit anything before it and it no longer matches.
    expect(recs[2].hash).toBe(sha(`${lines[2].slice(0, lines[2].indexOf(',"hash":'))}}`));
    expect(recs[0]).toMatchObject({ v: 1, actor: userInfo().username, action: 'drain', outcome: 'started', actionId: 'a-0', nodes: ['gw-1'], reason: 'reason 0 — ünïcode', pid: process.pid });
    expect(Date.parse(recs[0].ts as string)).toBeGreaterThan(Date.now() - 60_000);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await verifyAudit(file)).toEqual({ ok: true, records: 3, lastHash: sha(lines[2]) });
  });

  it('serializes concurrent appends (and appends from a second writer on the same file) into one unbroken chain', async () => {
    const file = freshFile();
    const a = new AuditLog(file);
    const b = new AuditLog(file);
    await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? a : b).append(entry(i))));
    const v = await verifyAudit(file);
    expect(v).toMatchObject({ ok: true, records: 60 });
    const ids = readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { actionId: string }).actionId);
    expect(new Set(ids).size).toBe(60);
  });

  it('ends a torn last line before appending, and verify names it', async () => {
    const file = await writeLog(2);
    appendFileSync(file, '{"v":1,"ts":"2025-');
    await new AuditLog(file).append(entry(9));
    const v = await verifyAudit(file);
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.line).toBe(3);
      expect(v.reason).toMatch(/^not valid JSON/);
    }
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(5);
  });
});

describe('verifyAudit', () => {
  it('names an edited line: its hash no longer matches', async () => {
    const file = await writeLog(5);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[2] = lines[2].replace('reason 2', 'reason 2 (nothing to see)');
    writeFileSync(file, lines.join('\n'));
    const v = await verifyAudit(file);
    expect(v).toEqual({ ok: false, line: 3, reason: expect.stringMatching(/^hash mismatch: the record was changed after it was written/) as unknown });
  });

  it('names the line after a removed one: its prevHash no longer matches', async () => {
    const file = await writeLog(5);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.splice(1, 1);
    writeFileSync(file, lines.join('\n'));
    expect(await verifyAudit(file)).toEqual({ ok: false, line: 2, reason: 'prevHash does not match line 1: a record between them was removed or inserted, or line 1 was replaced' });
  });

  it('catches an edit whose hash was recomputed, at the next line', async () => {
    const file = await writeLog(4);
    const lines = readFileSync(file, 'utf8').split('\n');
    const rec = JSON.parse(lines[1]) as Record<string, unknown>;
    delete rec.hash;
    rec.reason = 'rewritten';
    const body = JSON.stringify(rec);
    lines[1] = `${body.slice(0, -1)},"hash":"${sha(body)}"}`;
    writeFileSync(file, lines.join('\n'));
    expect(await verifyAudit(file)).toMatchObject({ ok: false, line: 3, reason: expect.stringMatching(/^prevHash does not match line 2/) as unknown });
  });

  it('names a removed first record, bad JSON, an empty line and a missing file', async () => {
    const first = await writeLog(3);
    writeFileSync(first, readFileSync(first, 'utf8').split('\n').slice(1).join('\n'));
    expect(await verifyAudit(first)).toMatchObject({ ok: false, line: 1, reason: expect.stringMatching(/^prevHash is not the genesis hash/) as unknown });
    const junk = await writeLog(3);
    writeFileSync(junk, readFileSync(junk, 'utf8').replace(/\n(.)/, '\n{$1'));
    expect(await verifyAudit(junk)).toMatchObject({ ok: false, line: 2, reason: expect.stringMatching(/^not valid JSON/) as unknown });
    const blank = await writeLog(3);
    const bl = readFileSync(blank, 'utf8').split('\n');
    bl.splice(2, 0, '');
    writeFileSync(blank, bl.join('\n'));
    expect(await verifyAudit(blank)).toEqual({ ok: false, line: 3, reason: 'empty line: a record was blanked out' });
    expect(await verifyAudit(join(dir, 'nope.jsonl'))).toEqual({ ok: false, line: 0, reason: `cannot read ${join(dir, 'nope.jsonl')}: no such file` });
  });
});

describe('switchboard audit verify (the CLI)', () => {
  it('exits 0 on an intact log, 1 naming the edited line, 1 naming the line after a removed one', async () => {
    const intact = await writeLog(4);
    const ok = await verifyCli(intact);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`^audit log ${intact} intact: 4 records; last hash [0-9a-f]{64}\\n$`));

    const edited = await writeLog(4);
    const e = readFileSync(edited, 'utf8').split('\n');
    e[1] = e[1].replace('"gw-1"', '"gw-2"');
    writeFileSync(edited, e.join('\n'));
    const bad = await verifyCli(edited);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(new RegExp(`^switchboard: audit log ${edited} is broken at line 2: hash mismatch: [^\\n]*\\n$`));

    const removed = await writeLog(4);
    const r = readFileSync(removed, 'utf8').split('\n');
    r.splice(2, 1);
    writeFileSync(removed, r.join('\n'));
    const gone = await verifyCli(removed);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe(`switchboard: audit log ${removed} is broken at line 3: prevHash does not match line 2: a record between them was removed or inserted, or line 2 was replaced\n`);
  }, 30_000);
});
