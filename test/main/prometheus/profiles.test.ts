import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CENTRIFUGO_PROFILE, CONCEPTS, CONTRACT_PROFILE, ProfileError, checkProfile, isQuery, loadProfile, profileFromJson } from '../../../src/main/core/profiles';

const dir = mkdtempSync(join(tmpdir(), 'sb-profiles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const messageOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ProfileError) return err.message;
    throw err;
  }
  throw new Error('no ProfileError');
};

describe('built-in profiles', () => {
  it('pass the static checks and give every concept a query or a reason', async () => {
    expect(checkProfile(CONTRACT_PROFILE)).toEqual([]);
    expect(checkProfile(CENTRIFUGO_PROFILE)).toEqual([]);
    expect(await loadProfile('contract')).toBe(CONTRACT_PROFILE);
    expect(await loadProfile('centrifugo')).toBe(CENTRIFUGO_PROFILE);
    for (const p of [CONTRACT_PROFILE, CENTRIFUGO_PROFILE]) expect(Object.keys(p.concepts).sort()).toEqual([...CONCEPTS].sort());
  });

  it('the contract profile has every concept; Centrifugo marks what it lacks as unavailable', () => {
    expect(CONCEPTS.every((c) => isQuery(CONTRACT_PROFILE.concepts[c]))).toBe(true);
    const unavailable = CONCEPTS.filter((c) => !isQuery(CENTRIFUGO_PROFILE.concepts[c]));
    expect(unavailable).toEqual(['connectionsLongpoll', 'connectionLimit', 'droppedRate', 'presenceAway', 'draining', 'drainRemaining', 'busConnected']);
    const q = (c: (typeof CONCEPTS)[number]) => {
      const d = CENTRIFUGO_PROFILE.concepts[c];
      return isQuery(d) ? d.query : null;
    };
    expect(q('connectionsWs')).toContain('centrifugo_client_connections_inflight');
    expect(q('lagP99')).toContain('centrifugo_node_pub_sub_lag_seconds_bucket');
    expect(q('presenceOnline')).toContain('centrifugo_node_num_users');
    expect(q('deliveredRate')).toContain('centrifugo_transport_messages_sent');
  });
});

describe('profile files', () => {
  it('extend a built-in profile: only the concepts given change', async () => {
    const file = join(dir, 'v5.json');
    writeFileSync(file, JSON.stringify({ name: 'centrifugo-v5', extends: 'centrifugo', concepts: { connectionsWs: { query: 'sum by (instance) (centrifugo_node_num_clients)' }, connectionsSse: { unavailable: 'v5 has no per-transport gauge' } } }));
    const p = await loadProfile(file);
    expect(p.name).toBe('centrifugo-v5');
    expect(p.nodeLabel).toBe('instance');
    expect(p.concepts.connectionsWs).toEqual({ query: 'sum by (instance) (centrifugo_node_num_clients)' });
    expect(p.concepts.connectionsSse).toEqual({ unavailable: 'v5 has no per-transport gauge' });
    expect(p.concepts.lagP99).toBe(CENTRIFUGO_PROFILE.concepts.lagP99);
  });

  it('name the concept and the query of each mistake', () => {
    const base = { name: 'mine', extends: 'contract' };
    const one = (concepts: Record<string, unknown>) => messageOf(() => profileFromJson({ ...base, concepts }, 'mine.json'));
    expect(one({ lagP99: { query: '  ' } })).toBe('profile "mine", concept lagP99 (query: ): is empty');
    expect(one({ reconnectsRate: { query: 'sum by (instance) (rate(realtime_reconnects_total[$__rate_interval])' } })).toBe(
      'profile "mine", concept reconnectsRate (query: sum by (instance) (rate(realtime_reconnects_total[$__rate_interval])): has 1 unclosed bracket ("(")',
    );
    expect(one({ up: { query: 'max by (instance) (up{job="a)"}))' } })).toBe('profile "mine", concept up (query: max by (instance) (up{job="a)"}))): has an unmatched ")" at character 33');
    expect(one({ deliveredRate: { query: 'sum by (instance) (rate(x[$interval]))' } })).toBe(
      'profile "mine", concept deliveredRate (query: sum by (instance) (rate(x[$interval]))): uses $interval; the only variable a query may use is $__rate_interval',
    );
    expect(one({ connectionsWs: { query: 'sum(realtime_connections{transport="ws"})' } })).toBe(
      'profile "mine", concept connectionsWs (query: sum(realtime_connections{transport="ws"})): must aggregate by (instance) so that every node gets its own value, e.g. max by (instance) (...)',
    );
    expect(one({ bootId: { query: 'max by (instance) (realtime_node_info)', label: 'boot_id' } })).toBe(
      'profile "mine", concept bootId (query: max by (instance) (realtime_node_info)): must aggregate by (instance, boot_id) so that every node gets its own value, e.g. max by (instance, boot_id) (...)',
    );
    expect(one({ up: { unavailable: 'we have no up' } })).toBe('profile "mine", concept up: cannot be unavailable: the console needs it to judge every node (we have no up)');
  });

  it('name unknown concepts and fields, and missing concepts without "extends"', () => {
    expect(messageOf(() => profileFromJson({ name: 'x', extends: 'contract', concepts: { lagP95: { query: 'x' } } }, 'x.json'))).toBe(
      `profile "x.json": concepts: Unrecognized key: "lagP95": lagP95 (concepts are ${CONCEPTS.join(', ')})`,
    );
    expect(messageOf(() => profileFromJson({ name: 'x', extends: 'contract', concepts: { up: { query: 'max by (instance) (up)', unit: 's' } } }, 'x.json'))).toMatch(/^profile "x\.json", concept up: concepts\.up: /);
    const missing = messageOf(() => profileFromJson({ name: 'alone', nodeLabel: 'instance', concepts: { up: { query: 'max by (instance) (up)' } } }, 'alone.json'));
    expect(missing).toContain('profile "alone", concept lastScrape: is missing: give {"query": "..."} or {"unavailable": "why"} (or "extends" a built-in profile)');
    expect(missing).toContain('concept bootId: is missing');
  });

  it('a file that is not there, not JSON, or not a profile', async () => {
    await expect(loadProfile(join(dir, 'none.json'))).rejects.toThrow(`profile "${join(dir, 'none.json')}": profile file does not exist (built-in profiles: contract, centrifugo)`);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"name": "x",');
    await expect(loadProfile(bad)).rejects.toThrow(`profile "${bad}": not valid JSON at line 1 column 14`);
    writeFileSync(bad, JSON.stringify({ name: 'has space', concepts: {} }));
    await expect(loadProfile(bad)).rejects.toThrow(`profile "${bad}": name: must be 1 to 64 letters, digits, "_", "." or "-"`);
  });
});
