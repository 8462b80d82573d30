import { useState } from 'react';
import type { TableProfile } from '../client/data-client.ts';
import { ColumnDetail } from './column-detail.tsx';
import { ColumnTable } from './column-table.tsx';
import { CorrelationPanel } from './correlation-panel.tsx';
import { LabelPanel } from './label-panel.tsx';
import { SummaryCards } from './summary-cards.tsx';
import { WarningsPanel } from './warnings-panel.tsx';

/** The profile: summary, columns with a detail pane, label balance, correlations and data-quality warnings. */
export function ProfileView({ profile, columns, onLabel }: { profile: TableProfile; columns: string[]; onLabel: (label: string | null) => Promise<void> }) {
  const [selected, setSelected] = useState<string | null>(() => profile.columns[0]?.name ?? null);
  const column = profile.columns.find((c) => c.name === selected) ?? null;
  return (
    <>
      <SummaryCards profile={profile} />
      <section className="panel">
        <h2>Columns</h2>
        <div className="columns-layout">
          <ColumnTable columns={profile.columns} rows={profile.rows} selected={selected} label={profile.label?.column ?? null} onSelect={setSelected} />
          <aside className="detail-pane">{column ? <ColumnDetail column={column} rows={profile.rows} /> : <p className="muted">Click a column to see its distribution.</p>}</aside>
        </div>
      </section>
      <div className="two-up">
        <LabelPanel profile={profile} columns={columns} onLabel={onLabel} />
        <WarningsPanel warnings={profile.warnings} />
      </div>
      <CorrelationPanel correlations={profile.correlations} />
    </>
  );
}
