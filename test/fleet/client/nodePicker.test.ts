import { describe, expect, it } from 'vitest';
import { AVOID_MS, NodePicker } from '../../../src/fleet/client/nodePicker';

const URLS = ['http://a', 'http://b', 'http://c'];

describe('NodePicker', () => {
  it('starts at a random node', () => {
    expect(new NodePicker(URLS, () => 0).pick(0)).toBe('http://a');
    expect(new NodePicker(URLS, () => 0.5).pick(0)).toBe('http://b');
    expect(new NodePicker(URLS, () => 0.999_999).pick(0)).toBe('http://c');
  });

  it('stays on a node until it fails, then goes to a random other node (never the same one)', () => {
    const p = new NodePicker(URLS, () => 0.5);
    expect(p.pick(0)).toBe('http://b');
    expect(p.pick(0)).toBe('http://b');
    p.advance(); // b + 1 + 1 (of the 2 others, the second)
    expect(p.pick(0)).toBe('http://a');
    p.advance();
    expect(p.pick(0)).toBe('http://c');
    p.advance();
    expect(p.pick(0)).toBe('http://b');
    const low = new NodePicker(URLS, () => 0);
    low.advance();
    expect(low.pick(0)).toBe('http://b');
  });

  it('spreads the clients of a drained node over the other nodes instead of all onto its neighbour', () => {
    const landed = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const p = new NodePicker(URLS); // Math.random, as clients do
      const first = p.pick(0);
      p.avoid(first, 0);
      p.advance();
      const next = p.pick(1);
      expect(next).not.toBe(first);
      landed.set(`${first}→${next}`, (landed.get(`${first}→${next}`) ?? 0) + 1);
    }
    // From each node, both others get a fair share (expected 500 each of ~1000; 5 sd ≈ 80).
    for (const from of URLS) {
      const others = URLS.filter((u) => u !== from).map((to) => landed.get(`${from}→${to}`) ?? 0);
      const total = others[0] + others[1];
      for (const n of others) expect(n / total).toBeGreaterThan(0.38);
    }
  });

  it(`passes over a draining node for ${AVOID_MS} ms, then uses it again`, () => {
    const p = new NodePicker(URLS, () => 0);
    p.avoid('http://b', 1000);
    p.advance(); // a failed: b is next, but it drains
    expect(p.pick(1000)).toBe('http://c');
    p.advance(); // c failed
    expect(p.pick(2000)).toBe('http://a');
    p.advance(); // a failed again: b is still avoided
    expect(p.pick(1000 + AVOID_MS - 1)).toBe('http://c');
    expect(p.isAvoided('http://b', 1000 + AVOID_MS - 1)).toBe(true);
    p.advance();
    p.advance(); // back to b, now past its avoidance
    expect(p.pick(1000 + AVOID_MS)).toBe('http://b');
  });

  it('still picks a node when every node drains', () => {
    const p = new NodePicker(URLS, () => 0);
    for (const u of URLS) p.avoid(u, 0);
    expect(URLS).toContain(p.pick(10));
    p.advance();
    expect(p.pick(10)).toBe('http://b');
  });
});
