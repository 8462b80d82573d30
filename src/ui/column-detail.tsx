import { useMemo, useState } from 'react';
import type { ColumnProfile } from '../client/data-client.ts';
import { columnFigure } from './column-figure.ts';
import { count, num, percent, time } from './format.ts';
import { Plot } from './plot.tsx';

/** One column in full: its statistics, quantiles and a histogram or top-values chart. */
export function ColumnDetail({ column, rows }: { column: ColumnProfile; rows: number }) {
  const fmt = column.kind === 'timestamp' ? time : num;
  const [log, setLog] = useState(false);
  const figure = useMemo(() => columnFigure(column, log), [column, log]);
  const s = column.kind !== 'bool' ? column.stats : undefined;
  return (
    <div className="detail" data-testid="column-detail">
      <h3>
        {column.name} <span className={`kind kind-${column.kind}`}>{column.kind}</span> <span className="muted">{column.arrowType}</span>
      </h3>
      {(column.constant || column.nearConstant) && (
        <p className="flag-line">{column.constant ? 'Constant: a single value, it carries no information.' : 'Near-constant: one value covers almost every row.'}</p>
      )}
      <dl>
        <dt>missing</dt>
        <dd>
          {count(column.missing)} {percent(column.missing, rows)}
        </dd>
        <dt>distinct</dt>
        <dd>{count(column.distinct)}</dd>
        {s && (
          <>
            <dt>min · max</dt>
            <dd>
              {fmt(s.min)} · {fmt(s.max)}
            </dd>
            <dt>{column.kind === 'timestamp' ? 'mean' : 'mean ± std'}</dt>
            <dd>{column.kind === 'timestamp' ? fmt(s.mean) : `${num(s.mean)} ± ${num(s.std)}`}</dd>
            {column.kind !== 'timestamp' && (
              <>
                <dt>zeros · NaN · +∞ · −∞</dt>
                <dd>
                  {count(s.zeros)} · {count(s.nan)} · {count(s.posInf)} · {count(s.negInf)}
                </dd>
              </>
            )}
          </>
        )}
      </dl>
      {s && s.quantiles.length > 0 && (
        <div className="quantiles" data-testid="quantiles">
          {s.quantiles.map((q) => (
            <span key={q.p}>
              <span className="k">p{+(q.p * 100).toFixed(1)}</span> {fmt(q.value)}
            </span>
          ))}
        </div>
      )}
      {figure ? (
        <>
          <label className="toggle muted">
            <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} /> log scale for counts
          </label>
          <Plot data={figure.data} layout={figure.layout} testId="column-plot" />
        </>
      ) : (
        <p className="muted">No values to plot.</p>
      )}
    </div>
  );
}
