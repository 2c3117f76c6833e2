import { useCallback, useEffect, useRef, useState } from 'react';
import type { PlaybackCommand, PlaybackStatus } from '../../../../shared/replay';

/** How long a seek's target stays on screen after its answer, waiting for the frame that shows it. */
const SETTLE_MS = 600;

/**
 * Seeks that keep up with a drag or a held key: one request at a time, the newest target
 * waiting (older ones are dropped), and the target shown at once (`pending`) until the
 * clock has had time to get there.
 */
export function useSeeker(run: (cmd: PlaybackCommand) => Promise<PlaybackStatus | null>): { seek(ts: number): void; pending: number | null } {
  const [pending, setPending] = useState<number | null>(null);
  const inFlight = useRef(false);
  const queued = useRef<number | null>(null);
  const settle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const alive = useRef(true);

  useEffect(() => {
    // Set here too: StrictMode runs effects twice (mount, unmount, mount).
    alive.current = true;
    return () => {
      alive.current = false;
      clearTimeout(settle.current);
    };
  }, []);

  const send = useCallback(
    async (ts: number) => {
      inFlight.current = true;
      await run({ op: 'seek', ts, exact: true });
      inFlight.current = false;
      if (!alive.current) return;
      const next = queued.current;
      if (next !== null) {
        queued.current = null;
        void send(next);
        return;
      }
      clearTimeout(settle.current);
      settle.current = setTimeout(() => {
        if (alive.current && !inFlight.current) setPending(null);
      }, SETTLE_MS);
    },
    [run],
  );

  const seek = useCallback(
    (ts: number) => {
      clearTimeout(settle.current);
      setPending(ts);
      if (inFlight.current) queued.current = ts;
      else void send(ts);
    },
    [send],
  );

  return { seek, pending };
}
