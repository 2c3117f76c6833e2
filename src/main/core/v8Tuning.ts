import { setFlagsFromString } from 'node:v8';

let tuned = false;

/**
 * Turns off V8's allocation-site pretenuring for this process; called by every console
 * that ingests a live fleet, before it starts.
 *
 * Why: the console's per-target state is replaced once per scrape or vitals event (a
 * target's figures, its last scrape's samples, a node's vitals), so most of what it
 * allocates lives about one second, a little longer than the young generation's
 * collection interval at this allocation rate. V8 sees those object literals survive one
 * scavenge and decides to allocate them directly in the old generation ("pretenuring").
 * They die there a second later, and the old generation fills with garbage: measured in
 * `bench:core` (200 nodes at 1 s), a full mark-compact every ~4 s, and GC at about a
 * third of the console's CPU. Without pretenuring they die young after one scavenge copy:
 * two mark-compacts in a 60-s run, and the console's CPU about 12% lower (see
 * ARCHITECTURE.md, "Console core", for the figures).
 *
 * The flag is read by the heap each time it processes pretenuring feedback, so setting it
 * at run time takes effect (checked in bench:core with `--trace-gc`). Idempotent.
 */
export function tuneV8ForIngest(): void {
  if (tuned) return;
  tuned = true;
  setFlagsFromString('--no-allocation-site-pretenuring');
}
