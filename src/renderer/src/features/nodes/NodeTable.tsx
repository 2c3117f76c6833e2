import { useCallback, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { BlindSpot, NodeSummary } from '../../../../shared/api';
import { openNode, useSelectedNode } from '../detail';
import { cssEscape } from '../../lib/cssEscape';
import { cleanReason } from '../fleet';
import { useLive } from '../live';
import { COLUMNS, filterNodes, sortNodes } from './nodeColumns';
import type { NodeFilter, SortState } from './nodeColumns';
import { NodeRow } from './NodeRow';
import { NodeTableHeader } from './NodeTableHeader';
import { NodeTableToolbar } from './NodeTableToolbar';
import { useFocusReport } from './useFocusReport';

/** Row height in px (fixed: the virtualizer positions rows without measuring them). */
export const ROW_HEIGHT = 48;
const EMPTY_NODES: readonly NodeSummary[] = [];
const EMPTY_BLIND: readonly BlindSpot[] = [];

/**
 * Every node, sortable by any column and filterable. Virtualized, keeping real table
 * semantics: one scroll container, a spacer row before and after the visible rows.
 */
export function NodeTable() {
  const nodes = useLive((s) => s.view?.nodes ?? EMPTY_NODES);
  const sparks = useLive((s) => s.view?.sparks);
  const blindList = useLive((s) => s.view?.fleet.blind ?? EMPTY_BLIND);
  const selected = useSelectedNode();
  const [sort, setSort] = useState<SortState>({ key: 'health', dir: 'asc' });
  const [filter, setFilter] = useState<NodeFilter>({ text: '', health: 'all' });

  const rows = useMemo(() => sortNodes(filterNodes(nodes, filter), sort), [nodes, filter, sort]);
  const blind = useMemo(() => {
    const m = new Map<string, string>();
    for (const b of blindList) if (!m.has(b.node)) m.set(b.node, cleanReason(b.reason));
    return m;
  }, [blindList]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    // A few rows beyond the edges for scrolling: every rendered row takes the live
    // figures ten times a second, so rows nobody sees cost as much as the ones on screen.
    overscan: 4,
    getItemKey: (i) => rows[i].id,
  });
  const items = virtualizer.getVirtualItems();
  const padTop = items.length ? items[0].start : 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;
  useFocusReport(items.map((v) => rows[v.index]?.id).filter((id): id is string => id !== undefined), selected);

  const onOpen = useCallback((id: string) => openNode(id), []);
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const onKeyNav = useCallback(
    (e: KeyboardEvent<HTMLElement>, index: number) => {
      const target = e.key === 'ArrowDown' ? index + 1 : e.key === 'ArrowUp' ? index - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? rowsRef.current.length - 1 : null;
      if (target === null || target < 0 || target >= rowsRef.current.length) return;
      e.preventDefault();
      const id = rowsRef.current[target].id;
      virtualizer.scrollToIndex(target, { align: 'auto' });
      // The row may only exist after the scroll re-renders the window.
      requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-node-open="${cssEscape(id)}"]`)?.focus());
    },
    [virtualizer],
  );

  return (
    <section className="panel nodes-panel" aria-labelledby="nodes-title">
      <NodeTableToolbar filter={filter} onFilter={setFilter} shown={rows.length} total={nodes.length} />
      <div className="table-scroll" ref={scrollRef}>
        <table className="nodes" aria-labelledby="nodes-title" aria-rowcount={rows.length + 1}>
          <colgroup>
            {COLUMNS.map((c) => (
              <col key={c.key} style={{ width: c.width }} />
            ))}
          </colgroup>
          <NodeTableHeader sort={sort} onSort={setSort} />
          <tbody>
            {padTop > 0 ? (
              <tr className="spacer" aria-hidden="true" style={{ height: padTop }}>
                <td colSpan={COLUMNS.length} />
              </tr>
            ) : null}
            {items.map((v) => {
              const n = rows[v.index];
              return <NodeRow key={n.id} node={n} spark={sparks?.get(n.id)} blindReason={blind.get(n.id) ?? null} selected={selected === n.id} index={v.index} onOpen={onOpen} onKeyNav={onKeyNav} />;
            })}
            {padBottom > 0 ? (
              <tr className="spacer" aria-hidden="true" style={{ height: padBottom }}>
                <td colSpan={COLUMNS.length} />
              </tr>
            ) : null}
          </tbody>
        </table>
        {rows.length === 0 && nodes.length > 0 ? (
          <p className="table-empty">
            No node matches this filter.{' '}
            <button type="button" className="btn-link" onClick={() => setFilter({ text: '', health: 'all' })}>
              Clear the filter
            </button>
          </p>
        ) : null}
      </div>
    </section>
  );
}
