import { EventStreamReader } from '../../../../../src/main/core/sources/eventStream';
import type { EventStreamReaderOptions, StreamEvent, StreamStatus } from '../../../../../src/main/core/sources/eventStream';

/** A started reader plus everything it reported, in order. */
export interface Harness {
  reader: EventStreamReader;
  events: StreamEvent[];
  statuses: StreamStatus[];
}

const running: EventStreamReader[] = [];

/**
 * Starts a reader that records its events and status emissions. Defaults keep tests
 * fast and deterministic (small backoff, jitter fixed at 0.5); tests override what they test.
 */
export function startReader(opts: Partial<EventStreamReaderOptions> & { url: string }): Harness {
  const events: StreamEvent[] = [];
  const statuses: StreamStatus[] = [];
  const reader = new EventStreamReader({
    token: null,
    backoff: { baseMs: 50, maxMs: 200 },
    random: () => 0.5,
    ...opts,
    onEvent: (e) => {
      events.push(e);
      opts.onEvent?.(e);
    },
    onStatus: (s) => {
      statuses.push(s);
      opts.onStatus?.(s);
    },
  });
  running.push(reader);
  reader.start();
  return { reader, events, statuses };
}

/** Stops every reader started by {@link startReader} (for afterEach). */
export async function stopReaders(): Promise<void> {
  await Promise.all(running.splice(0).map((r) => r.stop()));
}

/** The states a harness went through, in order. */
export const states = (h: Harness): string[] => h.statuses.map((s) => s.state);
