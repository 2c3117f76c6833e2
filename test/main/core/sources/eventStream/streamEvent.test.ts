import { describe, expect, it } from 'vitest';
import { parseEventId } from '../../../../../src/main/core/sources/eventStream';
import { isSendableEventId } from '../../../../../src/main/core/sources/eventStream/streamEvent';

describe('parseEventId', () => {
  it('splits <boot_id>:<seq> at the last colon', () => {
    expect(parseEventId('a1b2c3:42')).toEqual({ bootId: 'a1b2c3', seq: 42 });
    expect(parseEventId('host:9464:boot:0')).toEqual({ bootId: 'host:9464:boot', seq: 0 });
  });

  it('rejects ids that are not of that form', () => {
    for (const id of ['', '42', ':42', 'boot:', 'boot:-1', 'boot:1.5', 'boot:1e3', 'boot: 4', 'boot:99999999999999999']) {
      expect(parseEventId(id), id).toBeNull();
    }
  });
});

describe('isSendableEventId', () => {
  it('accepts printable ASCII up to 256 chars only', () => {
    expect(isSendableEventId('boot:1')).toBe(true);
    expect(isSendableEventId('x'.repeat(256))).toBe(true);
    expect(isSendableEventId('x'.repeat(257))).toBe(false);
    expect(isSendableEventId('')).toBe(false);
    expect(isSendableEventId('boot\r:1')).toBe(false);
    expect(isSendableEventId('bööt:1')).toBe(false);
  });
});
