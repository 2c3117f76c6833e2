import { describe, expect, it } from 'vitest';
import { SpikeDetector } from '../../../../src/main/core/signals/spikeDetector';

describe('SpikeDetector', () => {
  it('judges a burst against the robust baseline: start, peak, end with the total', () => {
    const d = new SpikeDetector({ baselineSamples: 60, k: 6, minRate: 5, quietSamples: 3 });
    const updates = [];
    let t = 0;
    // A noisy baseline around 2-4/s with one outlier (while warming up) that must not move the median.
    for (let i = 0; i < 60; i++) updates.push(d.push((t += 1000), i === 10 ? 40 : 2 + (i % 3)));
    expect(updates.filter(Boolean)).toEqual([]);
    expect(d.threshold().baseline).toBe(3);
    const storm = [50, 120, 80, 10, 3, 2, 2];
    const out = storm.map((r) => d.push((t += 1000), r));
    expect(out[0]).toMatchObject({ kind: 'start', rate: 50, baseline: 3 });
    expect(out[1]).toMatchObject({ kind: 'peak', rate: 120 });
    expect(out[2]).toBeNull();
    expect(out[5]).toMatchObject({ kind: 'end', peak: 120, total: 250, ts: out[0]!.ts + 3000 });
    expect(d.inSpike).toBe(false);
  });

  it('does not call noise on a quiet fleet a spike (minimum rate)', () => {
    const d = new SpikeDetector({ baselineSamples: 40, k: 6, minRate: 5, quietSamples: 3 });
    let t = 0;
    for (let i = 0; i < 40; i++) d.push((t += 1000), 0);
    expect(d.push((t += 1000), 4)).toBeNull();
    expect(d.push((t += 1000), 6)).toMatchObject({ kind: 'start' });
  });

  it('scales with a busy fleet: 100/s is normal where the baseline is 100/s', () => {
    const d = new SpikeDetector({ baselineSamples: 60, k: 6, minRate: 5, quietSamples: 3 });
    let t = 0;
    for (let i = 0; i < 60; i++) d.push((t += 1000), 95 + (i % 10));
    expect(d.push((t += 1000), 110)).toBeNull();
    expect(d.push((t += 1000), 400)).toMatchObject({ kind: 'start' });
  });

  it('needs a baseline before it judges, and ignores garbage', () => {
    const d = new SpikeDetector({ baselineSamples: 300, k: 6, minRate: 5, quietSamples: 3 });
    expect(d.push(1, 1000)).toBeNull();
    expect(d.push(2, NaN)).toBeNull();
    expect(d.push(3, -5)).toBeNull();
  });
});
