import { useMemo, useState } from 'react';
import type { TableProfile } from '../client/data-client.ts';
import { count, plural } from './format.ts';
import { Plot } from './plot.tsx';

/** Bars beyond this many classes are summed into one "other" bar. */
const MAX_BARS = 40;

/** The label column (guessed, changeable: choosing one re-profiles) and its class balance. */
export function LabelPanel({ profile, columns, onLabel }: { profile: TableProfile; columns: string[]; onLabel: (label: string | null) => Promise<void> }) {
  const label = profile.label;
  // The choice shows at once; it reverts by itself if the re-profile fails or is cancelled.
  const [pending, setPending] = useState<string | null>(null);
  const choose = (value: string) => {
    setPending(value);
    void onLabel(value || null).finally(() => setPending(null));
  };
  const others = useMemo(() => columns.filter((c) => !profile.labelCandidates.includes(c)), [profile.labelCandidates, columns]);
  const figure = useMemo(() => {
    if (!label) return null;
    const shown = label.classes.slice(0, MAX_BARS);
    const rest = label.classes.slice(MAX_BARS).reduce((sum, c) => sum + c.count, 0);
    const x = [...shown.map((c) => (c.value === '' ? '(empty)' : c.value)), ...(rest ? ['(other)'] : [])];
    const y = [...shown.map((c) => c.count), ...(rest ? [rest] : [])];
    return {
      data: [{ type: 'bar', x, y, marker: { color: '#a8443b' }, hovertemplate: '%{x}: %{y} rows<extra></extra>' }],
      layout: { xaxis: { automargin: true, type: 'category' }, yaxis: { title: { text: 'rows' } } },
    };
  }, [label]);
  return (
    <section className="panel" data-testid="label-panel">
      <h2>Label</h2>
      <label className="field">
        <span>Label column</span>
        <select data-testid="label-select" value={pending ?? label?.column ?? ''} onChange={(e) => choose(e.target.value)}>
          <option value="">(none)</option>
          {profile.labelCandidates.length > 0 && (
            <optgroup label="Looks like a label">
              {profile.labelCandidates.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </optgroup>
          )}
          <optgroup label="All columns">
            {others.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      {label ? (
        <>
          <p data-testid="class-balance">
            {plural(label.classes.length, 'class', 'classes')}
            {label.classes.length <= 12 && `: ${label.classes.map((c) => `${c.value} ${count(c.count)}`).join(' · ')}`}
            {label.missing > 0 && ` · ${count(label.missing)} missing`}
            {label.classes.length > 1 && <span className="muted"> · largest / smallest class {count(Math.round(label.imbalanceRatio))} : 1</span>}
          </p>
          {figure && <Plot data={figure.data} layout={figure.layout} testId="label-plot" />}
        </>
      ) : (
        <p className="muted">No label column chosen. Pick the column that holds the class (benign, attack, …) to see its balance.</p>
      )}
    </section>
  );
}
