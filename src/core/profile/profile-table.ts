import type { Table } from 'apache-arrow';
import { numericValues } from '../table/numeric-values.ts';
import { CancelledError, type ProgressCallback } from '../io/types.ts';
import { profileColumn, type ProfiledColumn } from './column-profile.ts';
import { correlations, MAX_CORRELATION_COLUMNS } from './correlations.ts';
import { columnWarnings, labelWarnings, pct } from './data-warnings.ts';
import { duplicateRows } from './duplicate-rows.ts';
import { finiteSorted } from './numeric-stats.ts';
import { sortedValueCounts, textValueCounts } from './value-counts.ts';
import { labelCandidates } from './guess-label.ts';
import type { DataWarning, LabelBalance, TableProfile } from './types.ts';

export interface ProfileOptions {
  /** The label column; undefined = guess it, null = no label. */
  label?: string | null;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

const YIELD_MS = 50;

/** Profiles every column, the label's class balance, correlations and duplicate rows. */
export async function profileTable(table: Table, options: ProfileOptions = {}): Promise<TableProfile> {
  const t0 = performance.now();
  const fields = table.schema.fields;
  const total = fields.length + 2;
  let lastYield = performance.now();
  const step = async (done: number): Promise<void> => {
    if (performance.now() - lastYield < YIELD_MS) return;
    options.onProgress?.({ stage: 'profiling', done, total });
    await new Promise((r) => setTimeout(r, 0));
    lastYield = performance.now();
    if (options.signal?.aborted) throw new CancelledError('profile');
  };

  const profiled: ProfiledColumn[] = [];
  for (let c = 0; c < fields.length; c++) {
    profiled.push(profileColumn(fields[c]!, table.getChildAt(c)!));
    await step(c + 1);
  }
  const columns = profiled.map((p) => p.profile);
  const rows = table.numRows;
  const warnings: DataWarning[] = columns.flatMap((c) => columnWarnings(c, rows));

  const candidates = labelCandidates(columns);
  const labelName = options.label === undefined ? (candidates[0] ?? null) : options.label;
  let label: LabelBalance | null = null;
  const labelColumn = columns.find((c) => c.name === labelName);
  if (labelColumn) {
    const classes = labelClasses(table, labelColumn.name, profiled);
    const counts = classes.map((c) => c.count);
    label = {
      column: labelColumn.name,
      classes,
      missing: labelColumn.missing,
      imbalanceRatio: counts.length ? Math.max(...counts) / Math.min(...counts) : NaN,
    };
    warnings.push(...labelWarnings(label));
  }

  const numeric = profiled
    .filter((p) => p.numeric && !p.profile.constant && p.profile.name !== label?.column)
    .map((p) => ({ name: p.profile.name, ...p.numeric! }));
  const truncated = numeric.length > MAX_CORRELATION_COLUMNS;
  if (truncated) {
    warnings.push({
      kind: 'too-many-columns',
      message: `correlations cover the first ${MAX_CORRELATION_COLUMNS} of ${numeric.length} numeric columns`,
    });
  }
  const corr = correlations(numeric.slice(0, MAX_CORRELATION_COLUMNS), truncated);
  await step(fields.length + 1);
  const duplicates = duplicateRows(table);
  if (duplicates > 0) {
    warnings.push({
      kind: 'duplicates',
      message: `${duplicates} exact duplicate row(s) (${pct(duplicates / rows)}); remove them before splitting or the test set leaks`,
    });
  }
  options.onProgress?.({ stage: 'profiling', done: total, total });
  return {
    rows,
    columns,
    label,
    labelCandidates: candidates,
    correlations: corr,
    duplicateRows: duplicates,
    warnings,
    seconds: (performance.now() - t0) / 1000,
  };
}

function labelClasses(table: Table, name: string, profiled: ProfiledColumn[]) {
  const p = profiled.find((x) => x.profile.name === name)!.profile;
  // Top values hold every class when there are ≤ 20; otherwise count them all.
  if (p.top && p.top.length < 20) return p.top;
  const index = table.schema.fields.findIndex((f) => f.name === name);
  return fullCounts(table, index, p.kind);
}


function fullCounts(table: Table, index: number, kind: string) {
  const vector = table.getChildAt(index)!;
  if (kind === 'string') return textValueCounts(vector);
  const { values, valid } = numericValues(vector);
  return sortedValueCounts(finiteSorted(values, valid).sorted);
}
