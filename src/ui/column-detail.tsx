import { useMemo } from 'react';
import type { ColumnProfile } from '../client/data-client.ts';
import { count, num, time } from './format.ts';
import { Plot } from './plot.tsx';

/** One column in full: its statistics and a histogram or top-values chart. */
export function ColumnDetail({ column }: { column: ColumnProfile }) {
  const fmt = column.kind === 'timestamp' ? time : num;
  const figure = useMemo(() => {
    const h = column.histogram;
    if (h && h.counts.length && column.kind !== 'bool') {
      const mids = h.counts.map((_, i) => (h.edges[i]! + h.edges[i + 1]!) / 2);
      const x = column.kind === 'timestamp' ? mids.map((m) => new Date(m).toISOString()) : mids;
      return { data: [{ type: 'bar', x, y: h.counts, marker: { color: '#3b6ea8' } }], layout: { title: { text: `${column.name}: histogram` }, bargap: 0.02 } };
    }
    const top = column.top ?? [];
    return {
      data: [{ type: 'bar', x: top.map((t) => t.count), y: top.map((t) => t.value), orientation: 'h', marker: { color: '#3b6ea8' } }],
      layout: { title: { text: `${column.name}: top values` }, yaxis: { automargin: true, autorange: 'reversed' } },
    };
  }, [column]);
  const s = column.stats;
  return (
    <div className="detail" data-testid="column-detail">
      <h3>
        {column.name} <span className="kind">{column.kind}</span> <span className="muted">{column.arrowType}</span>
      </h3>
      <dl>
        <dt>missing</dt>
        <dd>{count(column.missing)}</dd>
        <dt>distinct</dt>
        <dd>{count(column.distinct)}</dd>
        {s && column.kind !== 'bool' && (
          <>
            <dt>min / max</dt>
            <dd>
              {fmt(s.min)} / {fmt(s.max)}
            </dd>
            <dt>mean ± std</dt>
            <dd>{column.kind === 'timestamp' ? fmt(s.mean) : `${num(s.mean)} ± ${num(s.std)}`}</dd>
            <dt>quantiles</dt>
            <dd>{s.quantiles.map((q) => `p${Math.round(q.p * 100)} ${fmt(q.value)}`).join(' · ')}</dd>
            <dt>zeros · NaN · ±∞</dt>
            <dd>
              {count(s.zeros)} · {count(s.nan)} · {count(s.posInf)} / {count(s.negInf)}
            </dd>
          </>
        )}
      </dl>
      <Plot data={figure.data} layout={figure.layout} testId="column-plot" />
    </div>
  );
}
