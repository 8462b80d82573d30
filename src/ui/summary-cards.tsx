import type { TableProfile } from '../client/data-client.ts';
import { count, percent, plural } from './format.ts';

function Card({ label, value, note, testId }: { label: string; value: string; note?: string; testId?: string }) {
  return (
    <div className="card" data-testid={testId}>
      <div className="card-label">{label}</div>
      <div className="card-value">{value}</div>
      {note && <div className="card-note">{note}</div>}
    </div>
  );
}

/** The table at a glance, above the details. */
export function SummaryCards({ profile }: { profile: TableProfile }) {
  const kinds = new Map<string, number>();
  for (const c of profile.columns) kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
  const flagged = profile.columns.filter((c) => c.constant || c.nearConstant).length;
  const missing = profile.columns.reduce((sum, c) => sum + c.missing, 0);
  const cells = profile.rows * profile.columns.length;
  return (
    <section className="cards" data-testid="summary">
      <Card label="rows" value={count(profile.rows)} note={`profiled in ${profile.seconds.toFixed(2)} s`} />
      <Card label="columns" value={count(profile.columns.length)} note={[...kinds].map(([k, n]) => `${n} ${k}`).join(' · ')} />
      <Card label="duplicate rows" value={count(profile.duplicateRows)} note={percent(profile.duplicateRows, profile.rows) || 'exact duplicates'} testId="duplicates" />
      <Card label="missing cells" value={count(missing)} note={percent(missing, cells) || 'none'} />
      <Card label="flagged columns" value={count(flagged)} note="constant or near-constant" />
      <Card label="label" value={profile.label?.column ?? '—'} note={profile.label ? plural(profile.label.classes.length, 'class', 'classes') : 'none chosen'} />
    </section>
  );
}
