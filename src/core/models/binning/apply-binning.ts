import type { Table } from 'apache-arrow';
import { columnKind } from '../../table/column-kind.ts';
import { numericValues } from '../../table/numeric-values.ts';
import { valueBinner, type ValueBinner } from './bin-values.ts';
import { categoryCodes } from './category-codes.ts';
import { checkedMaxBins, column, fitCategory, fitNumeric, type BinningOptions } from './fit-binning.ts';
import { valueFitter } from './fit-values-wasm.ts';
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
  const matrix = emptyMatrix(fitted, n);
  const binner = valueBinner();
  fitted.features.forEach((feature, f) => {
    const vector = column(table, feature.name);
    const out = matrix.bins.subarray(f * n, (f + 1) * n);
    if (feature.kind === 'numeric') {
      if (columnKind(vector.type) === 'string') throw new Error(`column "${feature.name}" was numeric in training but is text here`);
      binNumeric(feature, numericValues(vector), rows, binner, out);
    } else binCategory(feature, categoryCodes(vector), rows, out);
  });
  return matrix;
}

/**
 * Fits the binning on the training rows and bins those rows, as `fitBinning` then `applyBinning`
 * (the same binning and matrix), reading each column once.
 */
export function fitAndApplyBinning(table: Table, options: BinningOptions & { rows: ArrayLike<number> }): { binning: FittedBinning; matrix: FeatureMatrix } {
  const { rows } = options;
  const maxReal = checkedMaxBins(options.maxBins) - 1;
  const features: FeatureBinning[] = [];
  const binner = valueBinner();
  const fitter = valueFitter();
  const bins: Uint8Array[] = options.columns.map((name) => {
    const vector = column(table, name);
    const out = new Uint8Array(rows.length);
    if (columnKind(vector.type) !== 'string') {
      const values = numericValues(vector);
      const feature = fitNumeric(values, name, rows, maxReal, fitter);
      // The WebAssembly fitter bins from the copy of the values it fitted on.
      if (fitter.binLast) fitter.binLast(feature.cuts, realBins(feature), out);
      else binNumeric(feature, values, rows, binner, out);
      features.push(feature);
    } else {
      const coded = categoryCodes(vector);
      const feature = fitCategory(coded, name, rows, maxReal);
      binCategory(feature, coded, rows, out);
      features.push(feature);
    }
    return out;
  });
  const binning = { maxBins: maxReal + 1, features };
  const matrix = emptyMatrix(binning, rows.length);
  bins.forEach((b, f) => matrix.bins.set(b, f * rows.length));
  return { binning, matrix };
}

function emptyMatrix(fitted: FittedBinning, n: number): FeatureMatrix {
  const F = fitted.features.length;
  return {
    rows: n,
    features: F,
    names: fitted.features.map((f) => f.name),
    bins: new Uint8Array(n * F),
    binCounts: Int32Array.from(fitted.features, (feature) => realBins(feature) + 1),
    cutPoints: fitted.features.map((f) => (f.kind === 'numeric' ? f.cuts : new Float64Array(0))),
  };
}

function binNumeric(feature: Extract<FeatureBinning, { kind: 'numeric' }>, { values, valid }: { values: Float64Array; valid: Uint8Array }, rows: ArrayLike<number> | undefined, binner: ValueBinner, out: Uint8Array): void {
  binner.bin(values, valid, rows, feature.cuts, realBins(feature), out);
}

function binCategory(feature: Extract<FeatureBinning, { kind: 'category' }>, { codes, labels }: { codes: Int32Array; labels: string[] }, rows: ArrayLike<number> | undefined, out: Uint8Array): void {
  const real = realBins(feature);
  const index = new Map(feature.categories.map((c, b) => [c, b]));
  const unseen = feature.otherBin >= 0 ? feature.otherBin : real;
  const binOfCode = Int32Array.from(labels, (s) => index.get(s) ?? unseen);
  for (let k = 0; k < out.length; k++) {
    const c = codes[rows ? rows[k]! : k]!;
    out[k] = c < 0 ? real : binOfCode[c]!;
  }
}
