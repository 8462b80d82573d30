import type { Table, Vector } from 'apache-arrow';
import { columnKind } from '../../table/column-kind.ts';
import { numericValues } from '../../table/numeric-values.ts';
import { byFrequency, categoryCodes } from './category-codes.ts';
import { valueFitter, type ValueFitter } from './fit-values-wasm.ts';
import type { FeatureBinning, FittedBinning } from './types.ts';

export interface BinningOptions {
  /** The feature columns, in this order. */
  columns: readonly string[];
  /** Bins per feature including the missing bin; 2 … 256, default 256. */
  maxBins?: number;
  /** The training rows (indices into the table); all rows when absent. */
  rows?: ArrayLike<number>;
}

/**
 * Fits the binning of each feature on the training rows only: numeric columns (ints, floats,
 * bools, timestamps) by quantile cuts, text columns by category (most frequent first).
 * Real bins are capped at maxBins - 1 so the missing bin still fits in a byte.
 */
export function fitBinning(table: Table, options: BinningOptions): FittedBinning {
  const maxBins = checkedMaxBins(options.maxBins);
  const rows = options.rows ?? identity(table.numRows);
  const fitter = valueFitter();
  const features = options.columns.map((name) => fitFeature(column(table, name), name, rows, maxBins - 1, fitter));
  return { maxBins, features };
}

/** maxBins as given (256 when absent), checked. */
export function checkedMaxBins(maxBins = 256): number {
  if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > 256) throw new RangeError(`maxBins must be an integer from 2 to 256, not ${maxBins}`);
  return maxBins;
}

export function column(table: Table, name: string): Vector {
  const vector = table.getChild(name);
  if (!vector) throw new Error(`no column named "${name}" in the table`);
  return vector;
}

function fitFeature(vector: Vector, name: string, rows: ArrayLike<number>, maxReal: number, fitter: ValueFitter): FeatureBinning {
  if (columnKind(vector.type) !== 'string') return fitNumeric(numericValues(vector), name, rows, maxReal, fitter);
  return fitCategory(categoryCodes(vector), name, rows, maxReal);
}

/** A numeric feature's cuts from its column's `numericValues`. */
export function fitNumeric(
  { values, valid }: { values: Float64Array; valid: Uint8Array },
  name: string,
  rows: ArrayLike<number>,
  maxReal: number,
  fitter: ValueFitter,
): Extract<FeatureBinning, { kind: 'numeric' }> {
  return { kind: 'numeric', name, cuts: fitter.cuts(values, valid, rows, maxReal) };
}

/** A text feature's categories from its column's `categoryCodes`: the most frequent, the rest in an "other" bin. */
export function fitCategory(coded: { codes: Int32Array; labels: string[] }, name: string, rows: ArrayLike<number>, maxReal: number): Extract<FeatureBinning, { kind: 'category' }> {
  const seen = byFrequency(coded, rows);
  if (seen.length <= maxReal) return { kind: 'category', name, categories: seen, otherBin: -1 };
  const kept = seen.slice(0, maxReal - 1);
  return { kind: 'category', name, categories: kept, otherBin: maxReal - 1 };
}

export function identity(n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}
