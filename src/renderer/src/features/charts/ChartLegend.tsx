import type { ChartSpec, ColorKey } from './chartSpecs';
import type { ChartRow } from './seriesRows';

/** Names, line styles and the latest values: the chart's numbers in words, for everyone. */
export function ChartLegend({ spec, rows, colors }: { spec: ChartSpec; rows: readonly ChartRow[]; colors: Record<ColorKey, string> }) {
  const last = rows.length ? rows[rows.length - 1] : null;
  return (
    <ul className="legend">
      {spec.lines.map((l) => {
        const v = last?.[l.label];
        return (
          <li key={l.label}>
            <svg width="18" height="8" aria-hidden="true">
              <line x1="1" y1="4" x2="17" y2="4" stroke={colors[l.colorKey]} strokeWidth="3" strokeDasharray={l.dashed ? '4 3' : undefined} />
            </svg>
            <span>{l.name}</span> <b>{v === undefined ? '—' : spec.format(v)}</b>
          </li>
        );
      })}
    </ul>
  );
}
