import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningConsole } from '../../../src/main/session/startConsole';
import { startConsole } from '../../../src/main/session/startConsole';
import { dispatch } from '../../../src/shared/bridge';
import type { LiveFrame, Result } from '../../../src/shared/api';

/**
 * The session's action and recording operations over a real demo fleet (3 gateway nodes,
 * real sockets), called the way both bridges call them: through `dispatch` with untrusted
 * arguments.
 */
const dataDir = mkdtempSync(path.join(tmpdir(), 'sb-session-'));
let running: RunningConsole;
const frames: LiveFrame[] = [];
let unsubscribe: () => void;

const call = <T>(op: string, arg?: unknown) => dispatch(running.session, op, arg) as Promise<Result<T>>;
const value = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.value;
};
const latest = () => frames[frames.length - 1];

beforeAll(async () => {
  running = await startConsole({ kind: 'demo', nodes: 3, clients: 60, incidentEveryMs: 0, logger: pino({ level: 'silent' }) }, { dataDir, allowPaths: false, flightWindowMs: 60_000 });
  unsubscribe = running.session.onFrame((f) => {
    frames.push(f);
    if (frames.length > 50) frames.shift();
  });
  await vi.waitFor(() => {
    const f = latest();
    expect(f?.nodes.filter((n) => n.health === 'up' && n.connections.total > 0)).toHaveLength(3);
  }, { timeout: 30_000, interval: 200 });
}, 60_000);

afterAll(async () => {
  unsubscribe?.();
  await running?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('fleet actions through the session', () => {
  it('previews, refuses a wrong typed confirmation, runs a drain on the right one, and shows it in frames and the audit', async () => {
    const preview = value(await call<{ id: string; state: string; preview: { allowed: boolean; connectionsMoving: number } }>('previewAction', { kind: 'drain', node: 'gw-1', reason: 'session test drain', deadlineSeconds: 20, disconnectRatePerSecond: 100 }));
    expect(preview.state).toBe('previewed');
    expect(preview.preview.allowed).toBe(true);
    expect(preview.preview.connectionsMoving).toBeGreaterThan(0);

    const wrong = await call('confirmAction', { id: preview.id, confirmText: 'gw-2' });
    expect(wrong).toMatchObject({ ok: false, code: 'invalid' });
    expect(!wrong.ok && wrong.message).toContain('"gw-1"');
    // Nothing was sent: the node still serves.
    expect(latest().nodes.find((n) => n.id === 'gw-1')?.health).toBe('up');

    const revisionBefore = latest().session.commands?.revision ?? 0;
    const started = value(await call<{ state: string }>('confirmAction', { id: preview.id, confirmText: ' gw-1 ' }));
    expect(started.state).toBe('running');
    await vi.waitFor(() => {
      const a = latest().session.commands?.actions.find((x) => x.id === preview.id);
      expect(a?.state).toBe('succeeded');
    }, { timeout: 30_000, interval: 200 });
    const commands = latest().session.commands!;
    expect(commands.revision).toBeGreaterThan(revisionBefore);
    expect(commands.disabled).toBeNull();
    expect(latest().session.mode).toBe('live');

    const page = value(await call<{ actions: { id: string; state: string; preview: unknown }[]; auditFile: string }>('getActions'));
    expect(page.actions[0]).toMatchObject({ id: preview.id, state: 'succeeded' });
    expect(page.actions[0].preview).toBeTruthy();
    expect(page.auditFile).toBe(path.join(dataDir, 'audit.jsonl'));

    const audit = value(await call<{ records: { actionId: string; outcome: string; nodes: string[] }[]; verdict: { ok: boolean } }>('getAudit', { node: 'gw-1' }));
    expect(audit.verdict).toEqual({ ok: true });
    expect(audit.records.filter((r) => r.actionId === preview.id).map((r) => r.outcome)).toEqual(['succeeded', 'started']);
  }, 60_000);

  it('refuses a second drain while one node is drained (max_unavailable), audited as refused', async () => {
    const p = value(await call<{ id: string; preview: { allowed: boolean; refusal: string | null } }>('previewAction', { kind: 'drain', node: 'gw-2', reason: 'second drain' }));
    expect(p.preview.allowed).toBe(false);
    expect(p.preview.refusal).toMatch(/unavailable/i);
    const r = value(await call<{ state: string; error: string | null }>('confirmAction', { id: p.id, confirmText: 'gw-2' }));
    expect(r.state).toBe('refused');
    const audit = value(await call<{ records: { outcome: string }[] }>('getAudit', { node: 'gw-2', outcome: 'refused' }));
    expect(audit.records.length).toBe(1);
  });

  it('undrains through a preview and the typed node id', async () => {
    const p = value(await call<{ id: string }>('previewAction', { kind: 'undrain', node: 'gw-1', reason: 'session test undrain' }));
    value(await call('confirmAction', { id: p.id, confirmText: 'gw-1' }));
    await vi.waitFor(() => expect(latest().nodes.find((n) => n.id === 'gw-1')?.health).toBe('up'), { timeout: 20_000, interval: 200 });
  }, 30_000);

  it('a rolling restart needs `fleet N` typed for its N nodes; the preview says so', async () => {
    const preview = value(await call<{ confirmText: string; nodes: { node: string }[]; blocking: string | null }>('previewRollout', { reason: 'session test rollout', nodes: ['gw-2', 'gw-3'] }));
    expect(preview.confirmText).toBe('fleet 2');
    expect(preview.nodes.map((n) => n.node).sort()).toEqual(['gw-2', 'gw-3']);
    const wrong = await call('startRollout', { request: { reason: 'session test rollout', nodes: ['gw-2', 'gw-3'] }, confirmText: 'fleet 3' });
    expect(wrong).toMatchObject({ ok: false, code: 'invalid' });
    expect(!wrong.ok && wrong.message).toContain('"fleet 2"');
    expect((await call<{ rollout: unknown }>('getActions')).ok && value(await call<{ rollout: unknown }>('getActions')).rollout).toBeNull();
  });

  it('rejects bad arguments with a message naming the field', async () => {
    expect(await call('previewAction', { kind: 'drain', node: 'gw-1', reason: 'x' })).toMatchObject({ ok: false, code: 'invalid', message: expect.stringContaining('reason') });
    expect(await call('confirmAction', { id: 'x' })).toMatchObject({ ok: false, code: 'invalid', message: expect.stringContaining('confirmText') });
    expect(await call('controlRollout', { op: 'explode', reason: 'because' })).toMatchObject({ ok: false, code: 'invalid', message: expect.stringContaining('op') });
    expect(await call('getAudit', { limit: 10_000 })).toMatchObject({ ok: false, code: 'invalid' });
  });

  it('names the first broken record when an audit line is edited', async () => {
    const file = path.join(dataDir, 'audit.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[1] = lines[1].replace('session test drain', 'session test drain (edited)');
    writeFileSync(file, lines.join('\n'));
    const audit = value(await call<{ verdict: { ok: boolean; line?: number } }>('getAudit', {}));
    expect(audit.verdict).toMatchObject({ ok: false, line: 2 });
  });
});

describe('recording through the session', () => {
  it('saves the flight recorder, records a named session, and lists both by name only', async () => {
    const flight = value(await call<{ name: string; bytes: number }>('saveFlightRecording', {}));
    expect(flight.name).toMatch(/^flight-\d{8}T\d{6}Z\.mcap$/);
    expect(flight.bytes).toBeGreaterThan(0);
    expect(existsSync(path.join(dataDir, 'recordings', flight.name))).toBe(true);

    const started = value(await call<{ recording: { state: string } | null }>('startRecording', { name: 'incident-1' }));
    expect(started.recording?.state).toBe('recording');
    await vi.waitFor(() => expect(latest().session.recorder?.recording?.bytes ?? 0).toBeGreaterThan(0), { timeout: 10_000, interval: 200 });
    expect(await call('startRecording', { name: 'incident-1' })).toMatchObject({ ok: false, code: 'invalid' });
    const stopped = value(await call<{ name: string; bytes: number }>('stopRecording'));
    expect(stopped.name).toBe('incident-1.mcap');

    const list = value(await call<{ name: string }[]>('listRecordings'));
    expect(list.map((r) => r.name).sort()).toEqual([flight.name, 'incident-1.mcap'].sort());
    expect(await call('saveFlightRecording', { name: '../escape' })).toMatchObject({ ok: false, code: 'invalid' });
    // The folder holds recordings only: every name ends in .mcap.
    expect(value(await call<{ name: string }>('saveFlightRecording', { name: 'notes.sh' })).name).toBe('notes.sh.mcap');
    expect(await call('openRecording', { path: path.join(dataDir, 'recordings', flight.name) })).toMatchObject({ ok: false, code: 'forbidden' });
  }, 30_000);
});
