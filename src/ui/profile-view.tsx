import { useMemo, useState } from 'react';
import type { TableProfile } from '../client/data-client.ts';
import { ColumnDetail } from './column-detail.tsx';
import { ColumnTable } from './column-table.tsx';
import { count } from './format.ts';
import { LabelPanel } from './label-panel.tsx';
import { Plot } from './plot.tsx';

/** The profile: columns, label balance, correlations, duplicates and data-quality warnings. */
export function ProfileView({ profile, columns, onLabel }: { profile: TableProfile; columns: string[]; onLabel: (label: string | null) => void }) {
  const [selected, setSelected] = useState<string | null>(null);
  const column = profile.columns.find((c) => c.name === selected) ?? null;
  const heat = useMemo(() => {
    const { columns: names, matrix } = profile.correlations;
    const z = names.map((_, a) => names.map((__, b) => matrix[a * names.length + b] ?? null));
    return {
      data: [{ type: 'heatmap', x: names, y: names, z, zmin: -1, zmax: 1, colorscale: 'RdBu', reversescale: true }],
      layout: { height: Math.max(320, 16 * names.length + 120), xaxis: { automargin: true }, yaxis: { automargin: true, autorange: 'reversed' } },
    };
  }, [profile.correlations]);
  return (
    <>
      <section className="panel">
        <h2>Columns</h2>
        <p className="muted">
          Profiled in {profile.seconds.toFixed(2)} s · {count(profile.duplicateRows)} exact duplicate rows
        </p>
        <ColumnTable columns={profile.columns} selected={selected} onSelect={setSelected} />
        {column && <ColumnDetail column={column} />}
      </section>
      <LabelPanel profile={profile} columns={columns} onLabel={onLabel} />
      {profile.warnings.length > 0 && (
        <section className="panel" data-testid="warnings">
          <h2>Data quality</h2>
          <ul className="warnings">
            {profile.warnings.slice(0, 200).map((w, i) => (
              <li key={i} className={w.kind}>
                {w.message}
              </li>
            ))}
          </ul>
        </section>
      )}
      {profile.correlations.columns.length > 1 && (
        <section className="panel">
          <h2>Correlations{profile.correlations.truncated && ` (first ${profile.correlations.columns.length} numeric columns)`}</h2>
          <Plot data={heat.data} layout={heat.layout} testId="correlations" />
        </section>
      )}
    </>
  );
}
