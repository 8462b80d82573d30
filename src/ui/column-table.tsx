import { useMemo, useState } from 'react';
import type { ColumnProfile } from '../client/data-client.ts';
import { ColumnRow } from './column-row.tsx';
import { count } from './format.ts';

/** Rows per page: a 20,000-column file renders 100 rows at a time. */
const PAGE = 100;

interface Props {
  columns: ColumnProfile[];
  rows: number;
  selected: string | null;
  label: string | null;
  onSelect: (name: string) => void;
}

/** Every column's summary, filterable and a page at a time; click one for its detail. */
export function ColumnTable({ columns, rows, selected, label, onSelect }: Props) {
  const [page, setPage] = useState(0);
  const [filter, setFilter] = useState('');
  const matching = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return f ? columns.filter((c) => c.name.toLowerCase().includes(f) || c.kind === f) : columns;
  }, [columns, filter]);
  const pages = Math.max(1, Math.ceil(matching.length / PAGE));
  const at = Math.min(page, pages - 1);
  const shown = matching.slice(at * PAGE, (at + 1) * PAGE);
  return (
    <div className="column-table">
      <div className="table-tools">
        <input
          type="search"
          placeholder={`Filter ${count(columns.length)} columns by name or kind`}
          value={filter}
          onChange={(e) => {
            setFilter(e.target.value);
            setPage(0);
          }}
          aria-label="filter columns"
        />
        {pages > 1 && (
          <span className="pager" data-testid="pager">
            <button disabled={at === 0} onClick={() => setPage(at - 1)} aria-label="previous page">
              ‹
            </button>
            <span>
              {count(at * PAGE + 1)}–{count(Math.min(matching.length, (at + 1) * PAGE))} of {count(matching.length)}
            </span>
            <button disabled={at >= pages - 1} onClick={() => setPage(at + 1)} aria-label="next page">
              ›
            </button>
          </span>
        )}
      </div>
      <div className="scroll">
        <table className="grid columns" data-testid="column-table">
          <thead>
            <tr>
              <th>column</th>
              <th>kind · flags</th>
              <th>distribution</th>
              <th className="n">missing</th>
              <th className="n">distinct</th>
              <th className="n">min</th>
              <th className="n">mean</th>
              <th className="n">max</th>
              <th className="n">std</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((c) => (
              <ColumnRow key={c.name} column={c} rows={rows} isLabel={c.name === label} selected={c.name === selected} onSelect={onSelect} />
            ))}
          </tbody>
        </table>
        {shown.length === 0 && <p className="muted">No column matches “{filter}”.</p>}
      </div>
    </div>
  );
}
