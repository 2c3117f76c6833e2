import { describe, expect, it } from 'vitest';
import { CHARTS, SERIES_REFRESH_MS } from '../../../../src/renderer/src/features/charts';
import { refreshPhaseMs } from '../../../../src/renderer/src/features/charts/TimeSeriesChart';
import { untilRefreshSlot } from '../../../../src/renderer/src/features/charts/useSeries';

describe('chart refresh slots', () => {
  it('spread the overview charts a quarter period apart, a node’s detail charts an eighth further', () => {
    expect(CHARTS.map((c) => refreshPhaseMs(c, null))).toEqual([0, 500, 1000, 1500]);
    expect(CHARTS.map((c) => refreshPhaseMs(c, 'gw-1'))).toEqual([250, 750, 1250, 1750]);
    // Every overview and detail chart has a slot of its own.
    const all = CHARTS.flatMap((c) => [refreshPhaseMs(c, null), refreshPhaseMs(c, 'gw-1')]);
    expect(new Set(all).size).toBe(all.length);
  });

  it('wait for the chart’s own slot in wall time, and skip a slot less than a quarter period away', () => {
    expect(SERIES_REFRESH_MS).toBe(2000);
    expect(untilRefreshSlot(500, 10_000)).toBe(500);
    expect(untilRefreshSlot(500, 10_499)).toBe(2001); // 1 ms away: just fetched, next period
    expect(untilRefreshSlot(500, 10_400)).toBe(2100);
    expect(untilRefreshSlot(0, 10_001)).toBe(1999);
    expect(untilRefreshSlot(1500, 9_000)).toBe(500); // exactly a quarter period away: kept
    // Whatever the time, the wait lands on the slot and is between a quarter and 1¼ periods.
    for (let now = 0; now < 4000; now += 37) {
      for (const phase of [0, 250, 500, 1750]) {
        const wait = untilRefreshSlot(phase, now);
        expect((now + wait - phase) % SERIES_REFRESH_MS).toBe(0);
        expect(wait).toBeGreaterThanOrEqual(SERIES_REFRESH_MS / 4);
        expect(wait).toBeLessThan(SERIES_REFRESH_MS * 1.25);
      }
    }
  });
});
