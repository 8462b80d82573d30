import { memo } from 'react';
import type { ColumnProfile } from '../client/data-client.ts';
import { count, num, percent, shortTime } from './format.ts';
import { Sparkline } from './sparkline.tsx';

interface Props {
  column: ColumnProfile;
  rows: number;
  isLabel: boolean;
  selected: boolean;
  onSelect: (name: string) => void;
}

/** One line of the column table. */
export const ColumnRow = memo(function ColumnRow({ column: c, rows, isLabel, selected, onSelect }: Props) {
  const s = c.stats && c.kind !== 'bool' ? c.stats : undefined;
  const fmt = c.kind === 'timestamp' ? shortTime : num;
  return (
    <tr
      className={selected ? 'selected' : undefined}
      onClick={() => onSelect(c.name)}
      onKeyDown={(e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        e.preventDefault();
        onSelect(c.name);
      }}
      tabIndex={0}
      aria-selected={selected}
    >
      <td className="name" title={c.name}>
        {c.name}
      </td>
      <td>
        <span className={`kind kind-${c.kind}`}>{c.kind}</span>
        {isLabel && <span className="flag label">label</span>}
        {c.constant && <span className="flag warn">constant</span>}
        {!c.constant && c.nearConstant && <span className="flag warn">near-constant</span>}
      </td>
      <td>
        <Sparkline column={c} />
      </td>
      <td className="n">
        {count(c.missing)}
        {c.missing > 0 && <span className="muted"> {percent(c.missing, rows)}</span>}
      </td>
      <td className="n">{count(c.distinct)}</td>
      <td className="n">{s ? fmt(s.min) : ''}</td>
      <td className="n">{s ? fmt(s.mean) : ''}</td>
      <td className="n">{s ? fmt(s.max) : ''}</td>
      <td className="n">{s && c.kind !== 'timestamp' ? num(s.std) : ''}</td>
    </tr>
  );
});
