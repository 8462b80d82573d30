import { lowerBound } from '../lower-bound.ts';

/**
 * Rows per block of the objective and of prediction: a block's scores (classes × BLOCK Float64)
 * stay in cache while every column of the block is added to them.
 */
export const BLOCK = 2048;

/** A standardised column, one Float32 value per row. */
export interface DenseColumn {
  kind: 'dense';
  values: Float32Array;
}

/**
 * A mostly-zero column stored by its non-zero entries, *not* centred: the standardised value of
 * row i is t_i − shift, where t_i = v_i / std (0 for the rows not listed) and shift = mean / std.
 * Centring would make every row non-zero; the shift is taken out of the sums algebraically
 * (Σ w·(t − shift) = Σ w·t − w·shift). Under a quarter of the rows are non-zero, so |shift| ≤ √(1/3)
 * (Cauchy–Schwarz): no cancellation. `blockStarts[b]` is the first entry of rows ≥ b·BLOCK.
 */
export interface SparseColumn {
  kind: 'sparse';
  rows: Int32Array;
  values: Float32Array;
  shift: number;
  blockStarts: Int32Array;
}

export type DesignColumn = DenseColumn | SparseColumn;

/**
 * A design matrix of `width` columns: the numeric inputs (numbers and text codes), column by
 * column, then the one-hot blocks, stored as the one active column of each block per row in `hot`
 * (rows × groups, absolute column indices). Values are Float32 (the recipe's output); every sum
 * over them is taken in Float64.
 */
export interface DesignMatrix {
  rows: number;
  width: number;
  columns: DesignColumn[];
  groups: number;
  hot: Int32Array;
}

/** Sparse storage when at most this share of the rows is non-zero (an indirect entry costs about two dense ones). */
const SPARSE_SHARE = 0.25;

/**
 * The stored column of imputed values `v` (one per row) standardised with `mean` and `std`:
 * sparse when mostly zero, else dense (`nonZeroCount`: the non-zero values, when already counted).
 */
export function designColumn(v: Float64Array, mean: number, std: number, nonZeroCount?: number): DesignColumn {
  const n = v.length;
  let nonZero = nonZeroCount ?? 0;
  if (nonZeroCount === undefined) for (let i = 0; i < n; i++) if (v[i] !== 0) nonZero++;
  if (nonZero > SPARSE_SHARE * n) {
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) values[i] = (v[i]! - mean) / std;
    return { kind: 'dense', values };
  }
  const rows = new Int32Array(nonZero);
  const values = new Float32Array(nonZero);
  const blockStarts = new Int32Array(Math.ceil(n / BLOCK) + 1);
  let p = 0;
  for (let i = 0; i < n; i++) {
    if (i % BLOCK === 0) blockStarts[i / BLOCK] = p;
    if (v[i] === 0) continue;
    rows[p] = i;
    values[p++] = v[i]! / std;
  }
  blockStarts[blockStarts.length - 1] = p;
  return { kind: 'sparse', rows, values, shift: mean / std, blockStarts };
}

/**
 * Rows [from, to) of a design as a design of their own: dense columns and the one-hot indices are
 * views, a sparse column's entries are re-based to the part's rows. Its objective over its own
 * blocks is the same arithmetic as over those rows of the whole (see logisticObjective).
 */
export function designPart(design: DesignMatrix, from: number, to: number): DesignMatrix {
  if (from === 0 && to === design.rows) return design;
  const n = to - from;
  const columns = design.columns.map((column): DesignColumn => {
    if (column.kind === 'dense') return { kind: 'dense', values: column.values.subarray(from, to) };
    const a = lowerBound(column.rows, from);
    const b = lowerBound(column.rows, to);
    const rows = column.rows.slice(a, b);
    for (let p = 0; p < rows.length; p++) rows[p]! -= from;
    const blockStarts = new Int32Array(Math.ceil(n / BLOCK) + 1);
    for (let k = 0; k < blockStarts.length - 1; k++) blockStarts[k] = lowerBound(rows, k * BLOCK);
    blockStarts[blockStarts.length - 1] = rows.length;
    return { kind: 'sparse', rows, values: column.values.subarray(a, b), shift: column.shift, blockStarts };
  });
  const { groups } = design;
  return { rows: n, width: design.width, columns, groups, hot: design.hot.subarray(from * groups, to * groups) };
}

/** Column j's standardised values as Float32, one per row (tests and the GPU upload). */
export function columnValues(column: DesignColumn, rows: number): Float32Array {
  if (column.kind === 'dense') return column.values;
  const out = new Float32Array(rows).fill(-column.shift);
  for (let p = 0; p < column.rows.length; p++) out[column.rows[p]!] = column.values[p]! - column.shift;
  return out;
}

/** The whole design as a dense row-major Float32 matrix, rows × width, one-hot blocks as 0 / 1. */
export function denseRowMajor(design: DesignMatrix): Float32Array<ArrayBuffer> {
  const { rows: n, width, columns, groups, hot } = design;
  const out = new Float32Array(n * width);
  columns.forEach((column, j) => {
    const values = columnValues(column, n);
    for (let i = 0; i < n; i++) out[i * width + j] = values[i]!;
  });
  for (let i = 0; i < n; i++) for (let g = 0; g < groups; g++) out[i * width + hot[i * groups + g]!] = 1;
  return out;
}
