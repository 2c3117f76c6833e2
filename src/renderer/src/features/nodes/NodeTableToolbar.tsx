import { memo } from 'react';
import type { NodeHealth } from '../../../../shared/api';
import { HEALTH_LOOK } from '../../ui';
import type { HealthFilter, NodeFilter } from './nodeColumns';

const HEALTHS = Object.keys(HEALTH_LOOK) as NodeHealth[];

/** Title, text filter, health filter and how many rows show. */
export const NodeTableToolbar = memo(function NodeTableToolbar({ filter, onFilter, shown, total }: { filter: NodeFilter; onFilter(f: NodeFilter): void; shown: number; total: number }) {
  return (
    <div className="panel-head">
      <h2 id="nodes-title" className="panel-title">
        Nodes
      </h2>
      <span className="muted" aria-live="polite" data-testid="nodes-count">
        {shown === total ? `${total}` : `${shown} of ${total}`}
      </span>
      <div className="panel-tools">
        <label className="field">
          <span className="sr-only">Filter nodes by text</span>
          <input
            type="search"
            placeholder="Filter: id, region, reason…"
            value={filter.text}
            onChange={(e) => onFilter({ ...filter, text: e.target.value })}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && filter.text) {
                e.stopPropagation();
                onFilter({ ...filter, text: '' });
              }
            }}
          />
        </label>
        <label className="field">
          <span className="sr-only">Filter nodes by health</span>
          <select value={filter.health} onChange={(e) => onFilter({ ...filter, health: e.target.value as HealthFilter })}>
            <option value="all">All health states</option>
            <option value="problems">Problems only (down, stale, unknown, restarting)</option>
            {HEALTHS.map((h) => (
              <option key={h} value={h}>
                {HEALTH_LOOK[h].label} only
              </option>
            ))}
          </select>
        </label>
      </div>
    </div>
  );
});
