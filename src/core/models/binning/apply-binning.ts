import type { Table } from 'apache-arrow';
import { columnKind } from '../../table/column-kind.ts';
import { numericValues } from '../../table/numeric-values.ts';
import { categoryCodes } from './category-codes.ts';
import { column } from './fit-binning.ts';
import { binOf } from './quantile-cuts.ts';
import type { FeatureBinning, FeatureMatrix, FittedBinning } from './types.ts';

/** Real bins of a fitted feature (at least one, so an all-missing column still has bin 0). */
export function realBins(feature: FeatureBinning): number {
  if (feature.kind === 'numeric') return feature.cuts.length + 1;
  return Math.max(1, feature.categories.length + (feature.otherBin >= 0 ? 1 : 0));
}

/**
 * Bins the given rows (all when absent) of a table with a fitted binning: training, validation or
 * test data. Null and non-finite values go to the missing bin; a category unseen in training goes
 * to the "other" bin, or to the missing bin when there is none.
 */
export function applyBinning(table: Table, fitted: FittedBinning, rows?: ArrayLike<number>): FeatureMatrix {
  const n = rows ? rows.length : table.numRows;
  const at = (k: number): number => (rows ? rows[k]! : k);
  const F = fitted.features.length;
  const bins = new Uint8Array(n * F);
  const binCounts = new Int32Array(F);
  fitted.features.forEach((feature, f) => {
    const real = realBins(feature);
    binCounts[f] = real + 1;
    const out = bins.subarray(f * n, (f + 1) * n);
    const vector = column(table, feature.name);
    if (feature.kind === 'numeric') {
      if (columnKind(vector.type) === 'string') throw new Error(`column "${feature.name}" was numeric in training but is text here`);
      const { values, valid } = numericValues(vector);
      for (let k = 0; k < n; k++) {
        const i = at(k);
        const v = values[i]!;
        out[k] = valid[i] && Number.isFinite(v) ? binOf(feature.cuts, v) : real;
      }
      return;
    }
    const { codes, labels } = categoryCodes(vector);
    const index = new Map(feature.categories.map((c, b) => [c, b]));
    const unseen = feature.otherBin >= 0 ? feature.otherBin : real;
    const binOfCode = Int32Array.from(labels, (s) => index.get(s) ?? unseen);
    for (let k = 0; k < n; k++) {
      const c = codes[at(k)]!;
      out[k] = c < 0 ? real : binOfCode[c]!;
    }
  });
  return {
    rows: n,
    features: F,
    names: fitted.features.map((f) => f.name),
    bins,
    binCounts,
    cutPoints: fitted.features.map((f) => (f.kind === 'numeric' ? f.cuts : new Float64Array(0))),
  };
}
