import { useEffect, useRef } from 'react';
import type { BlindSpot } from '../../../../shared/api';
import { HealthBadge, Icon } from '../../ui';
import { ChartsGrid, ChartToolbar, DETAIL_CHARTS_ID } from '../charts';
import { NodeActionBar, NodeActionStatus } from '../actions';
import { blindSpotText } from '../fleet';
import { cssEscape } from '../../lib/cssEscape';
import { useLive } from '../live';
import { NodeFacts } from './NodeFacts';
import { NodeHistory } from './NodeHistory';
import { selectionStore, useSelectedNode } from './selectionStore';
import { SourceHealthCard } from './SourceHealthCard';

const EMPTY: readonly BlindSpot[] = [];

/**
 * The selected node: figures, how the console reads it, its charts and its history.
 * A panel over the right of the page; Escape or the close button puts focus back on
 * the row it was opened from.
 */
export function NodeDetail() {
  const id = useSelectedNode();
  if (id === null) return null;
  return <DetailPanel id={id} />;
}

function DetailPanel({ id }: { id: string }) {
  const n = useLive((s) => s.view?.byId.get(id));
  const blind = useLive((s) => s.view?.fleet.blind ?? EMPTY).filter((b) => b.node === id);
  const panelRef = useRef<HTMLElement>(null);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    panelRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) selectionStore.getState().close();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      // Back to the row if it is still on screen, else to whatever opened the panel.
      const row = document.querySelector<HTMLElement>(`[data-node-open="${cssEscape(id)}"]`);
      (row ?? opener)?.focus();
    };
  }, [id]);

  return (
    <aside className="detail" role="dialog" aria-modal="false" aria-labelledby="detail-title" ref={panelRef} tabIndex={-1} data-testid="node-detail">
      <header className="detail-head">
        <div>
          <h2 id="detail-title" className="detail-title">
            {id} <span className="node-region">{n?.region ?? ''}</span>
          </h2>
          {n ? (
            <p className="detail-health">
              <HealthBadge health={n.health} blind={blind.length > 0} /> <span>{n.reason}</span>
            </p>
          ) : null}
          {n ? <NodeActionBar node={id} /> : null}
        </div>
        <button type="button" className="btn btn-ghost" onClick={() => selectionStore.getState().close()} aria-label={`Close details of ${id}`}>
          <Icon name="close" /> <span className="btn-label">Close</span> <kbd>Esc</kbd>
        </button>
      </header>
      {!n ? (
        <p className="detail-gone">{id} is no longer in the fleet inventory.</p>
      ) : (
        <div className="detail-body">
          {blind.length ? (
            <ul className="blind-inline" aria-label="What the console cannot see of this node">
              {blind.map((b) => (
                <li key={b.what}>
                  <Icon name="eyeOff" size={14} /> {blindSpotText(b)}
                </li>
              ))}
            </ul>
          ) : null}
          <NodeActionStatus node={id} />
          <NodeFacts n={n} />
          <div className="sources">
            <SourceHealthCard title="Metrics scrape (/metrics)" kind="scrape" h={n.scrape} />
            <SourceHealthCard title="Live events (/events)" kind="events" h={n.events} lastHeardAt={n.lastSeenAt} />
          </div>
          <section className="detail-section" aria-label={`Charts of ${id}`} id={DETAIL_CHARTS_ID}>
            <ChartToolbar />
            <ChartsGrid node={id} columns={2} />
          </section>
          <NodeHistory node={id} />
        </div>
      )}
    </aside>
  );
}
