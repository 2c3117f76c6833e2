import { memo } from 'react';
import { Area, CartesianGrid, ComposedChart, Line, ReferenceArea, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { formatClock, formatClockShort } from '../../lib/format';
import type { ChartSpec, ColorKey } from './chartSpecs';
import type { ChartRow, SpikeBand } from './seriesRows';

export interface ChartPlotProps {
  spec: ChartSpec;
  rows: readonly ChartRow[];
  fromMs: number;
  toMs: number;
  bands: readonly SpikeBand[];
  focusTs: number | null;
  colors: Record<ColorKey, string>;
  width: number;
  height: number;
}

/**
 * The drawing itself (recharts), memoized: it re-renders only when its data or size
 * changes, never because a live frame re-rendered something around it.
 */
export const ChartPlot = memo(function ChartPlot({ spec, rows, fromMs, toMs, bands, focusTs, colors, width, height }: ChartPlotProps) {
  const span = toMs - fromMs;
  // Minutes alone repeat on a short span: add seconds there.
  const tick = span <= 6 * 60_000 ? formatClock : formatClockShort;
  const mid = fromMs + span / 2;
  // A one-second spike in an hour is thinner than a pixel: give every band a visible width.
  const minBand = span / 120;
  return (
    <ComposedChart width={width} height={height} data={rows as ChartRow[]} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
      <CartesianGrid stroke={colors.grid} vertical={false} />
      <XAxis dataKey="t" type="number" scale="time" domain={[fromMs, toMs]} allowDataOverflow tickFormatter={tick} stroke={colors.axis} tick={{ fontSize: 11, fill: colors.axis }} minTickGap={48} />
      <YAxis width={52} tickFormatter={(v: number) => spec.format(v)} stroke={colors.axis} tick={{ fontSize: 11, fill: colors.axis }} domain={[0, 'auto']} allowDecimals={spec.metric !== 'connections'} />
      <Tooltip
        isAnimationActive={false}
        labelFormatter={(t) => formatClock(Number(t))}
        formatter={(v, name) => [spec.format(Number(v)), spec.lines.find((l) => l.label === name)?.name ?? String(name)]}
        contentStyle={{ background: colors.tooltipBg, border: `1px solid ${colors.grid}`, color: colors.tooltipText, fontSize: 12 }}
        labelStyle={{ color: colors.tooltipText }}
      />
      {bands.map((b) => (
        <ReferenceArea
          key={b.id}
          x1={b.x2 - b.x1 >= minBand ? b.x1 : Math.max(fromMs, (b.x1 + b.x2) / 2 - minBand / 2)}
          x2={b.x2 - b.x1 >= minBand ? b.x2 : Math.min(toMs, (b.x1 + b.x2) / 2 + minBand / 2)} fill={colors.spike} fillOpacity={1} stroke={colors.spikeText} strokeOpacity={0.5} strokeDasharray={b.open ? '3 3' : undefined} ifOverflow="hidden" label={{ value: b.label, position: b.x1 > mid ? 'insideTopRight' : 'insideTopLeft', fill: colors.spikeText, fontSize: 11 }}
        />
      ))}
      {spec.threshold ? <ReferenceLine y={spec.threshold.value} stroke={colors.threshold} strokeDasharray="2 4" label={{ value: spec.threshold.label, position: 'insideTopRight', fill: colors.threshold, fontSize: 11 }} /> : null}
      {focusTs !== null && focusTs >= fromMs && focusTs <= toMs ? <ReferenceLine x={focusTs} stroke={colors.focus} strokeDasharray="4 3" label={{ value: 'selected event', position: 'insideBottomRight', fill: colors.focus, fontSize: 11 }} /> : null}
      {spec.lines.map((l) =>
        spec.kind === 'lines' ? (
          <Line key={l.label} dataKey={l.label} name={l.label} type="linear" stroke={colors[l.colorKey]} strokeWidth={2} strokeDasharray={l.dashed ? '5 4' : undefined} dot={false} connectNulls isAnimationActive={false} />
        ) : (
          <Area key={l.label} dataKey={l.label} name={l.label} type="linear" stackId={spec.kind === 'stack' ? 'stack' : undefined} stroke={colors[l.colorKey]} strokeWidth={1.5} fill={colors[l.colorKey]} fillOpacity={0.3} dot={false} connectNulls isAnimationActive={false} />
        ),
      )}
    </ComposedChart>
  );
});
