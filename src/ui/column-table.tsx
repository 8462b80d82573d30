import { useState } from 'react';
import type { ColumnProfile } from '../client/data-client.ts';
import { count, num, time } from './format.ts';
import { Sparkline } from './sparkline.tsx';

const PAGE = 100;

/** Every column's summary, a page at a time (files may have 20,000 columns); click one for its detail. */
export function ColumnTable({ columns, selected, onSelect }: { columns: ColumnProfile[]; selected: string | null; onSelect: (name: string) => void }) {
  const [page, setPage] = useState(0);
  const pages = Math.ceil(columns.length / PAGE);
  const shown = columns.slice(page * PAGE, (page + 1) * PAGE);
  return (
    <div>
      <table className="grid columns" data-testid="column-table">
        <thead>
          <tr>
            <th>column</th>
            <th>kind</th>
            <th>missing</th>
            <th>distinct</th>
            <th>min</th>
            <th>mean</th>
            <th>max</th>
            <th>std</th>
            <th>distribution</th>
            <th>flags</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((c) => {
            const s = c.stats && c.kind !== 'bool' ? c.stats : undefined;
            const fmt = c.kind === 'timestamp' ? time : num;
            return (
              <tr key={c.name} className={c.name === selected ? 'selected' : undefined} onClick={() => onSelect(c.name)}>
                <td className="name">{c.name}</td>
                <td>{c.kind}</td>
                <td>{count(c.missing)}</td>
                <td>{count(c.distinct)}</td>
                <td>{s ? fmt(s.min) : ''}</td>
                <td>{s ? fmt(s.mean) : ''}</td>
                <td>{s ? fmt(s.max) : ''}</td>
                <td>{s && c.kind !== 'timestamp' ? num(s.std) : ''}</td>
                <td>
                  <Sparkline column={c} />
                </td>
                <td>{c.constant ? 'constant' : c.nearConstant ? 'near-constant' : ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {pages > 1 && (
        <div className="pager">
          <button disabled={page === 0} onClick={() => setPage(page - 1)}>
            ‹ previous
          </button>
          <span>
            columns {page * PAGE + 1}–{Math.min(columns.length, (page + 1) * PAGE)} of {count(columns.length)}
          </span>
          <button disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>
            next ›
          </button>
        </div>
      )}
    </div>
  );
}
