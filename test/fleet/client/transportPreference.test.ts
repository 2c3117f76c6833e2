import { describe, expect, it } from 'vitest';
import { TRANSPORT_RETRY_MS, TransportPreference } from '../../../src/fleet/client/transportPreference';

describe('TransportPreference', () => {
  it('tries transports in the preferred order', () => {
    expect(new TransportPreference(['ws', 'sse', 'longpoll']).order(0)).toEqual(['ws', 'sse', 'longpoll']);
    expect(new TransportPreference(['sse', 'ws']).order(0)).toEqual(['sse', 'ws']);
  });

  it(`skips a transport that failed within ${TRANSPORT_RETRY_MS} ms, and tries the better one again after`, () => {
    const p = new TransportPreference(['ws', 'sse', 'longpoll']);
    p.failed('ws', 10_000);
    p.worked('sse');
    expect(p.order(10_001)).toEqual(['sse', 'longpoll']);
    expect(p.order(10_000 + TRANSPORT_RETRY_MS - 1)).toEqual(['sse', 'longpoll']);
    expect(p.order(10_000 + TRANSPORT_RETRY_MS)).toEqual(['ws', 'sse', 'longpoll']);
    // It failed again: another 30 s without it.
    p.failed('ws', 50_000);
    expect(p.order(50_001)).toEqual(['sse', 'longpoll']);
  });

  it('a transport that works again is preferred again at once', () => {
    const p = new TransportPreference(['ws', 'sse']);
    p.failed('ws', 0);
    p.worked('ws');
    expect(p.order(1)).toEqual(['ws', 'sse']);
  });

  it('when everything failed lately, starts from the one that worked last', () => {
    const p = new TransportPreference(['ws', 'sse', 'longpoll']);
    p.worked('longpoll');
    p.failed('ws', 0);
    p.failed('sse', 0);
    p.failed('longpoll', 0);
    expect(p.order(1)).toEqual(['longpoll', 'ws', 'sse']);
    expect(new TransportPreference(['ws']).order(0)).toEqual(['ws']);
  });
});
