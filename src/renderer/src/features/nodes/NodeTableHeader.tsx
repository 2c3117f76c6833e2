import { memo } from 'react';
import { Icon } from '../../ui';
import { COLUMNS } from './nodeColumns';
import type { Column, SortState } from './nodeColumns';

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

/** Column headers: each one a button that sorts by it (again: the other way). */
export const NodeTableHeader = memo(function NodeTableHeader({ sort, onSort }: { sort: SortState; onSort(s: SortState): void }) {
  const click = (c: Column) => onSort(sort.key === c.key ? { key: c.key, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { key: c.key, dir: c.firstDir });
  return (
    <thead>
      <tr>
        {COLUMNS.map((c) => {
          const active = sort.key === c.key;
          return (
            <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined} aria-sort={active ? ARIA_SORT[sort.dir] : 'none'}>
              <button type="button" className={active ? 'sort is-active' : 'sort'} onClick={() => click(c)} title={`${c.title} — sort`}>
                <span>{c.label}</span>
                <Icon name={active ? (sort.dir === 'asc' ? 'arrowUp' : 'arrowDown') : 'sort'} size={12} />
              </button>
            </th>
          );
        })}
      </tr>
    </thead>
  );
});
