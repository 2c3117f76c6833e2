import type { ActionPreview } from '../../../../shared/actions';
import { formatCount } from '../../lib/format';

/** Where the moving connections go: each serving node now → after against its limit, as a bar and in numbers. */
export function Destinations({ p }: { p: ActionPreview }) {
  if (p.destinations.length === 0) {
    return <p className="muted">{p.connectionsMoving === 0 ? 'No connection moves.' : 'No serving node with a known limit to take them.'}</p>;
  }
  return (
    <table className="dest-table">
      <caption className="sr-only">Where the connections of {p.node} go</caption>
      <thead>
        <tr>
          <th scope="col">Node</th>
          <th scope="col" className="num">
            Now
          </th>
          <th scope="col" className="num">
            After
          </th>
          <th scope="col" className="num">
            Limit
          </th>
          <th scope="col">Load after</th>
        </tr>
      </thead>
      <tbody>
        {p.destinations.map((d) => {
          const pct = Math.round(d.utilizationAfter * 100);
          const nowShare = d.limit > 0 ? Math.min(1, d.connectionsNow / d.limit) : 0;
          const afterShare = Math.min(1, d.utilizationAfter);
          const tone = d.utilizationAfter >= 0.95 ? 'bad' : d.utilizationAfter >= 0.8 ? 'warn' : 'ok';
          return (
            <tr key={d.node} data-dest={d.node}>
              <th scope="row">{d.node}</th>
              <td className="num">{formatCount(d.connectionsNow)}</td>
              <td className="num">
                <b>{formatCount(d.connectionsAfter)}</b> <span className="muted">(+{formatCount(d.connectionsAfter - d.connectionsNow)})</span>
              </td>
              <td className="num">{formatCount(d.limit)}</td>
              <td>
                <span className="dest-load">
                  <span className={`dest-bar dest-${tone}`} aria-hidden="true">
                    <span className="dest-now" style={{ width: `${(nowShare * 100).toFixed(1)}%` }} />
                    <span className="dest-add" style={{ width: `${(Math.max(0, afterShare - nowShare) * 100).toFixed(1)}%` }} />
                  </span>
                  <span className={`dest-pct tone-${tone}`}>
                    {pct}%{tone === 'bad' ? ' — near its limit' : tone === 'warn' ? ' — high' : ''}
                  </span>
                </span>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
