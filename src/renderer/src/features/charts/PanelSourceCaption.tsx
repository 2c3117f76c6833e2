import { useId, useState } from 'react';
import type { PanelSource } from '../../../../shared/api';
import { formatAgo } from '../../lib/format';
import { useLive } from '../live';

const SOURCE_NAME: Record<PanelSource['source'], string> = { prometheus: 'Prometheus', direct: 'direct', recording: 'recording' };

/** `3 s ago` (seconds up to a minute and a half, then `formatAgo`'s words), or `no data yet`. */
export function freshnessText(ms: number | null): string {
  if (ms === null) return 'no data yet';
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 90 ? `${s} s ago` : formatAgo(0, ms);
}

/**
 * Under a chart's title: where its figures come from and how fresh they are
 * ("Prometheus · 3 s ago"), and, when the source has queries, a toggle that reveals the
 * PromQL behind the chart. Nothing while the frame says nothing about the panel.
 */
export function PanelSourceCaption({ panel }: { panel: PanelSource['panel'] }) {
  const src = useLive((s) => s.view?.frame.panels?.find((p) => p.panel === panel) ?? null);
  const [open, setOpen] = useState(false);
  const queryId = useId();
  if (!src) return null;
  const hasQueries = src.queries.length > 0;
  return (
    <div className="chart-source">
      <span className="chart-source-line" data-source={src.source}>
        {SOURCE_NAME[src.source]} · {freshnessText(src.freshnessMs)}
      </span>
      {hasQueries ? (
        <button type="button" className="btn-link chart-source-toggle" aria-expanded={open} aria-controls={queryId} onClick={() => setOpen((o) => !o)}>
          {open ? 'Hide query' : 'Show query'}
        </button>
      ) : null}
      {hasQueries ? (
        <pre id={queryId} className="chart-query" hidden={!open} aria-label="PromQL behind this chart">
          <code>{src.queries.join('\n\n')}</code>
        </pre>
      ) : null}
    </div>
  );
}
