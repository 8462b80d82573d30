import { useMemo } from 'react';
import type { TableProfile } from '../client/data-client.ts';
import { count } from './format.ts';
import { Plot } from './plot.tsx';

/** The label column (guessed, changeable) and its class balance. */
export function LabelPanel({ profile, columns, onLabel }: { profile: TableProfile; columns: string[]; onLabel: (label: string | null) => void }) {
  const label = profile.label;
  const options = useMemo(() => [...profile.labelCandidates, ...columns.filter((c) => !profile.labelCandidates.includes(c))], [profile.labelCandidates, columns]);
  const figure = useMemo(
    () =>
      label && {
        data: [{ type: 'bar', x: label.classes.slice(0, 50).map((c) => c.value), y: label.classes.slice(0, 50).map((c) => c.count), marker: { color: '#a8443b' } }],
        layout: { title: { text: `${label.column}: class balance` }, xaxis: { automargin: true, type: 'category' } },
      },
    [label],
  );
  return (
    <section className="panel" data-testid="label-panel">
      <h2>Label</h2>
      <label>
        Label column{' '}
        <select data-testid="label-select" value={label?.column ?? ''} onChange={(e) => onLabel(e.target.value || null)}>
          <option value="">(none)</option>
          {options.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      {label && (
        <>
          <p data-testid="class-balance">
            {label.classes.length} classes
            {label.classes.length <= 12 && `: ${label.classes.map((c) => `${c.value} ${count(c.count)}`).join(' · ')}`}
            {label.missing > 0 && ` · ${count(label.missing)} missing`}
          </p>
          {figure && <Plot data={figure.data} layout={figure.layout} testId="label-plot" />}
        </>
      )}
    </section>
  );
}
