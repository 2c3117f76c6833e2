import { describe, expect, it } from 'vitest';
import { ChannelPositions } from '../../../src/fleet/client/channelPositions';

describe('ChannelPositions', () => {
  it('a subscription from now starts at the channel seq and delivers the next ones in order', () => {
    const p = new ChannelPositions();
    p.expect('a');
    expect(p.message('a', 4)).toBe('drop'); // in flight from an older subscription
    expect(p.subscribed('a', 3, null)).toEqual({ gap: null, reset: false });
    expect(p.get('a')).toBe(3);
    expect(p.message('a', 4)).toBe('deliver');
    expect(p.message('a', 5)).toBe('deliver');
    expect(p.get('a')).toBe(5);
  });

  it('drops what was delivered already (replays overlapping live messages)', () => {
    const p = new ChannelPositions();
    p.subscribed('a', 0, null);
    expect(p.message('a', 1)).toBe('deliver');
    expect(p.message('a', 2)).toBe('deliver');
    expect(p.message('a', 1)).toBe('drop');
    expect(p.message('a', 2)).toBe('drop');
    expect(p.get('a')).toBe(2);
  });

  it('asks for a resync when a message skips ahead without a gap frame, and keeps the position', () => {
    const p = new ChannelPositions();
    p.subscribed('a', 0, null);
    p.message('a', 1);
    expect(p.message('a', 3)).toBe('resync');
    expect(p.get('a')).toBe(1);
    p.expect('a');
    expect(p.message('a', 4)).toBe('drop');
    p.subscribed('a', 4, null);
    expect(p.message('a', 2)).toBe('deliver');
    expect(p.message('a', 3)).toBe('deliver');
  });

  it('delivers ephemeral messages (seq 0) without touching the position, even while resubscribing', () => {
    const p = new ChannelPositions();
    p.subscribed('a', 7, null);
    expect(p.message('a', 0)).toBe('deliver');
    p.expect('a');
    expect(p.message('a', 0)).toBe('deliver');
    expect(p.get('a')).toBe(7);
  });

  it('a gap moves the position past the lost messages and reports them', () => {
    const p = new ChannelPositions();
    p.subscribed('a', 0, null);
    p.message('a', 1);
    p.message('a', 2);
    p.expect('a');
    expect(p.subscribed('a', 30, { from: 3, to: 20 })).toEqual({ gap: { from: 3, to: 20 }, reset: false });
    expect(p.get('a')).toBe(20);
    expect(p.message('a', 21)).toBe('deliver');
  });

  it('follows a channel whose history was reset to a lower seq', () => {
    const p = new ChannelPositions();
    p.subscribed('a', 40, null);
    p.expect('a');
    expect(p.subscribed('a', 2, null)).toEqual({ gap: null, reset: true });
    expect(p.get('a')).toBe(2);
    expect(p.message('a', 3)).toBe('deliver');
  });

  it('keeps channels apart and forgets an unsubscribed one', () => {
    const p = new ChannelPositions();
    p.subscribed('a', 5, null);
    p.subscribed('b', 9, null);
    expect(p.message('b', 10)).toBe('deliver');
    expect(p.snapshot()).toEqual(new Map([['a', 5], ['b', 10]]));
    p.forget('a');
    expect(p.get('a')).toBeUndefined();
    expect(p.snapshot()).toEqual(new Map([['b', 10]]));
    // The snapshot is a copy.
    p.snapshot().set('b', 0);
    expect(p.get('b')).toBe(10);
  });
});
