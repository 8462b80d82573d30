import { useMemo } from 'react';
import type { TableProfile } from '../client/data-client.ts';
import { Plot } from './plot.tsx';

type Correlations = TableProfile['correlations'];

/** The strongest pairs, so a reader need not hunt for them in a big heat map. */
function strongest({ columns, matrix }: Correlations, n: number): { a: string; b: string; r: number }[] {
  const pairs: { a: string; b: string; r: number }[] = [];
  for (let i = 0; i < columns.length; i++) {
    for (let j = i + 1; j < columns.length; j++) {
      const r = matrix[i * columns.length + j];
      if (r !== undefined && Number.isFinite(r)) pairs.push({ a: columns[i]!, b: columns[j]!, r });
    }
  }
  return pairs.sort((p, q) => Math.abs(q.r) - Math.abs(p.r)).slice(0, n);
}

/** Pearson correlations of the numeric columns as a heat map. */
export function CorrelationPanel({ correlations }: { correlations: Correlations }) {
  const names = correlations.columns;
  const figure = useMemo(() => {
    const z = names.map((_, a) => names.map((__, b) => {
      const r = correlations.matrix[a * names.length + b];
      return r === undefined || Number.isNaN(r) ? null : r;
    }));
    return {
      data: [{ type: 'heatmap', x: names, y: names, z, zmin: -1, zmax: 1, colorscale: 'RdBu', reversescale: true, hoverongaps: false, hovertemplate: '%{y} × %{x}: %{z:.3f}<extra></extra>' }],
      layout: { height: Math.min(900, Math.max(360, 14 * names.length + 160)), xaxis: { automargin: true, tickangle: -45 }, yaxis: { automargin: true, autorange: 'reversed' } },
    };
  }, [correlations, names]);
  const top = useMemo(() => strongest(correlations, 6), [correlations]);
  if (names.length < 2) return null;
  return (
    <section className="panel" data-testid="correlations-panel">
      <h2>
        Correlations <span className="muted">Pearson, {names.length} numeric columns{correlations.truncated ? ' (the first ones only)' : ''}; blank where a column is constant</span>
      </h2>
      <div className="corr-layout">
        <Plot data={figure.data} layout={figure.layout} testId="correlations" />
        <div>
          <h3 className="small">Strongest pairs</h3>
          <ol className="pairs">
            {top.map((p) => (
              <li key={`${p.a}|${p.b}`}>
                <span className={p.r < 0 ? 'neg' : 'pos'}>{p.r.toFixed(2)}</span> {p.a} × {p.b}
              </li>
            ))}
          </ol>
        </div>
      </div>
    </section>
  );
}
