// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { blindSpotText, cleanReason, groupBlindSpots, listNodes } from '../../../../src/renderer/src/features/fleet';

describe('blind spot wording', () => {
  it('says plainly what the console cannot read and why', () => {
    expect(blindSpotText({ node: 'gw-2', what: 'metrics', reason: 'HTTP 401 Unauthorized', since: 0 })).toBe('The console cannot read metrics of gw-2: HTTP 401 Unauthorized');
    expect(blindSpotText({ node: 'gw-2', what: 'events', reason: 'event stream silent: no data and no heartbeat', since: 0 })).toBe('The console cannot read live events of gw-2: event stream silent: no data and no heartbeat');
    expect(blindSpotText({ node: 'gw-4', what: 'ingest', reason: 'events arrive 3.2 s late', since: 0 })).toBe('Data from gw-4 reaches the console late: events arrive 3.2 s late');
  });

  it('unwraps JSON error bodies', () => {
    expect(cleanReason('HTTP 401: {"error":"missing or wrong read token"}')).toBe('HTTP 401: missing or wrong read token');
    expect(cleanReason('HTTP 500: {"message":"he said \\"no\\""}')).toBe('HTTP 500: he said "no"');
    expect(cleanReason('plain')).toBe('plain');
  });

  it('lists nodes readably, long lists shortened', () => {
    expect(listNodes(['gw-1'])).toBe('gw-1');
    expect(listNodes(['gw-1', 'gw-2'])).toBe('gw-1 and gw-2');
    expect(listNodes(['gw-1', 'gw-2', 'gw-3', 'gw-4'])).toBe('gw-1, gw-2, gw-3 and gw-4');
    expect(listNodes(['a', 'b', 'c', 'd', 'e', 'f'])).toBe('a, b, c and 3 more');
  });

  it('merges blind spots with one cause into one line', () => {
    const reason = 'HTTP 401: {"error":"missing or wrong read token"}';
    const groups = groupBlindSpots([
      { node: 'gw-1', what: 'metrics', reason, since: 300 },
      { node: 'gw-1', what: 'events', reason, since: 200 },
      { node: 'gw-2', what: 'metrics', reason, since: 100 },
      { node: 'gw-3', what: 'metrics', reason: 'timed out after 5 s', since: 50 },
      { node: '*', what: 'inventory', reason: 'fleet.json: not valid JSON', since: 10 },
    ]);
    expect(groups.map((g) => g.text)).toEqual([
      'The console cannot read metrics and live events of gw-1 and gw-2: HTTP 401: missing or wrong read token',
      'The console cannot read metrics of gw-3: timed out after 5 s',
      'The console cannot load the fleet inventory: fleet.json: not valid JSON',
    ]);
    expect(groups[0].nodes).toEqual(['gw-1', 'gw-2']);
    expect(groups[0].since).toBe(100);
  });
});
