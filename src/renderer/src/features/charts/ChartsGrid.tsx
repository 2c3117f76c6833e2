import { CHARTS } from './chartSpecs';
import { TimeSeriesChart } from './TimeSeriesChart';

/** The four charts, for the fleet or for one node. */
export function ChartsGrid({ node = null, columns = 4 }: { node?: string | null; columns?: 2 | 4 }) {
  return (
    <div className={`charts charts-${columns}`}>
      {CHARTS.map((c) => (
        <TimeSeriesChart key={c.id} spec={c} node={node} />
      ))}
    </div>
  );
}
