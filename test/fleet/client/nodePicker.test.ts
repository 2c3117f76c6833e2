import { describe, expect, it } from 'vitest';
import { AVOID_MS, NodePicker } from '../../../src/fleet/client/nodePicker';

const URLS = ['http://a', 'http://b', 'http://c'];

describe('NodePicker', () => {
  it('starts at a random node', () => {
    expect(new NodePicker(URLS, () => 0).pick(0)).toBe('http://a');
    expect(new NodePicker(URLS, () => 0.5).pick(0)).toBe('http://b');
    expect(new NodePicker(URLS, () => 0.999_999).pick(0)).toBe('http://c');
  });

  it('stays on a node until it fails, then goes round-robin', () => {
    const p = new NodePicker(URLS, () => 0.5);
    expect(p.pick(0)).toBe('http://b');
    expect(p.pick(0)).toBe('http://b');
    p.advance();
    expect(p.pick(0)).toBe('http://c');
    p.advance();
    expect(p.pick(0)).toBe('http://a');
    p.advance();
    expect(p.pick(0)).toBe('http://b');
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
