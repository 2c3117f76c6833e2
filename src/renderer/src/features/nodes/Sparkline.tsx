import { memo } from 'react';

/**
 * A tiny line of recent values (oldest left). Scaled to its own maximum, with a floor so
 * a quiet node's noise does not look like a storm; drawn from the ring the store keeps.
 */
export const Sparkline = memo(function Sparkline({ values, width = 64, height = 20, floor = 1 }: { values: readonly number[]; width?: number; height?: number; floor?: number }) {
  if (values.length < 2) return <svg className="spark" width={width} height={height} aria-hidden="true" />;
  let max = floor;
  for (const v of values) if (v > max) max = v;
  const step = width / (values.length - 1);
  let d = '';
  for (let i = 0; i < values.length; i++) {
    const x = i * step;
    const y = height - 1 - (values[i] / max) * (height - 2);
    d += `${i ? 'L' : 'M'}${x.toFixed(1)} ${y.toFixed(1)}`;
  }
  const hot = values[values.length - 1] > floor * 5;
  return (
    <svg className={hot ? 'spark spark-hot' : 'spark'} width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true">
      <path d={d} fill="none" stroke="currentColor" strokeWidth={1.5} strokeLinejoin="round" />
    </svg>
  );
});
