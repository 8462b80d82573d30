import type { Table, Vector } from 'apache-arrow';
import { columnKind } from '../../table/column-kind.ts';
import { numericValues } from '../../table/numeric-values.ts';
import { categoriesByFrequency, categoryCodes } from '../binning/category-codes.ts';
import { column } from '../binning/fit-binning.ts';
import { median } from './median.ts';

/** A numeric column: missing / non-finite → `fill` (the training median), then (v − mean) / std. */
export interface LinearNumeric {
  kind: 'numeric';
  name: string;
  fill: number;
  mean: number;
  std: number;
}

/**
 * A text column as one number: the index of its value among the training values sorted by text
 * (pandas' category codes), then as a numeric column (null or unseen → the median code).
 */
export interface LinearCodes {
  kind: 'codes';
  name: string;
  categories: string[];
  fill: number;
  mean: number;
  std: number;
}

/** A text column: one indicator per kept category, then one "other" (rarer, unseen or missing values). */
export interface LinearOneHot {
  kind: 'one-hot';
  name: string;
  categories: string[];
}

export type LinearInput = LinearNumeric | LinearCodes | LinearOneHot;

export interface LinearRecipe {
  inputs: LinearInput[];
  /** Columns of the design matrix. */
  width: number;
  /** Columns left out because they are constant (or all missing) on the training rows. */
  dropped: string[];
}

/** How text columns enter: category codes in text order (as the scikit-learn peer), or one-hot over the top K. */
export type TextEncoding = 'codes' | 'one-hot';

export interface LinearRecipeOptions {
  textEncoding: TextEncoding;
  /** One-hot only: the most frequent training values kept; the rest share "other". */
  topK: number;
}

/**
 * A design matrix of `width` columns: the dense inputs (numbers and codes) first, row-major in `x`
 * (rows × dense, Float32 as the recipe's output; sums over it are taken in Float64), then the
 * one-hot blocks, stored sparsely as the one active column of each block per row in `hot`
 * (rows × groups, absolute column indices).
 */
export interface DesignMatrix {
  rows: number;
  width: number;
  dense: number;
  x: Float32Array;
  groups: number;
  hot: Int32Array;
}

/**
 * The default linear recipe, fitted on the training rows only, as scikit-learn's
 * SimpleImputer(median) then StandardScaler: numeric / bool / timestamp columns have missing and
 * non-finite values replaced by the training median, then are standardised with the mean and
 * population std of the imputed values; text columns become category codes treated the same way
 * (or one-hot over their top-K training values, most frequent first, ties by text, plus "other").
 * Constant columns are dropped.
 */
export function fitLinearRecipe(table: Table, columns: readonly string[], rows: ArrayLike<number>, options: LinearRecipeOptions): LinearRecipe {
  const dense: (LinearNumeric | LinearCodes)[] = [];
  const hot: LinearOneHot[] = [];
  const dropped: string[] = [];
  const n = rows.length;
  const raw = new Float64Array(n);
  for (const name of columns) {
    const vector = column(table, name);
    const text = columnKind(vector.type) === 'string';
    if (text && options.textEncoding === 'one-hot') {
      hot.push({ kind: 'one-hot', name, categories: categoriesByFrequency(vector, rows).slice(0, options.topK) });
      continue;
    }
    let categories: string[] = [];
    if (text) {
      const { codes, labels } = categoryCodes(vector);
      const seen = new Uint8Array(labels.length);
      for (let k = 0; k < n; k++) {
        const c = codes[rows[k]!]!;
        if (c >= 0) seen[c] = 1;
      }
      categories = labels.filter((_, c) => seen[c]).sort(byText);
      const slot = codeSlots(labels, categories);
      for (let k = 0; k < n; k++) {
        const c = codes[rows[k]!]!;
        raw[k] = c < 0 ? NaN : slot[c]!;
      }
    } else {
      const { values, valid } = numericValues(vector);
      for (let k = 0; k < n; k++) {
        const i = rows[k]!;
        raw[k] = valid[i] ? values[i]! : NaN;
      }
    }
    const stats = imputedStats(raw);
    if (!stats) {
      dropped.push(name);
      continue;
    }
    dense.push(text ? { kind: 'codes', name, categories, ...stats } : { kind: 'numeric', name, ...stats });
  }
  const width = dense.length + hot.reduce((w, input) => w + input.categories.length + 1, 0);
  return { inputs: [...dense, ...hot], width, dropped };
}

/** Median of the finite values, then mean and population std of all values with the rest set to it; null when constant. */
function imputedStats(raw: Float64Array): { fill: number; mean: number; std: number } | null {
  const n = raw.length;
  const finite = new Float64Array(n);
  let m = 0;
  for (let k = 0; k < n; k++) if (Number.isFinite(raw[k]!)) finite[m++] = raw[k]!;
  if (m === 0) return null;
  const fill = median(finite.subarray(0, m));
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const v = raw[k]!;
    sum += Number.isFinite(v) ? v : fill;
  }
  const mean = sum / n;
  let ss = 0;
  for (let k = 0; k < n; k++) {
    const v = raw[k]!;
    const d = (Number.isFinite(v) ? v : fill) - mean;
    ss += d * d;
  }
  const std = Math.sqrt(ss / n);
  if (!(std > 1e-12 * Math.max(1, Math.abs(mean))) || !Number.isFinite(std)) return null;
  return { fill, mean, std };
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** For each label of a column's codes, its index in `categories`, or NaN when it is not there. */
function codeSlots(labels: readonly string[], categories: readonly string[]): Float64Array {
  const index = new Map(categories.map((c, j) => [c, j]));
  return Float64Array.from(labels, (s) => index.get(s) ?? NaN);
}

/** The design matrix of the given rows (all when absent) of a table, with a fitted recipe. */
export function applyLinearRecipe(table: Table, recipe: LinearRecipe, rows?: ArrayLike<number>): DesignMatrix {
  const n = rows ? rows.length : table.numRows;
  const at = (k: number): number => (rows ? rows[k]! : k);
  const D = recipe.inputs.filter((input) => input.kind !== 'one-hot').length;
  const G = recipe.inputs.length - D;
  const x = new Float32Array(n * D);
  const hot = new Int32Array(n * G);
  let col = 0;
  let block = D;
  let group = 0;
  for (const input of recipe.inputs) {
    const vector = column(table, input.name);
    if (input.kind === 'numeric') {
      const { values, valid } = numericOf(vector, input.name);
      const { fill, mean, std } = input;
      for (let k = 0; k < n; k++) {
        const i = at(k);
        const v = values[i]!;
        x[k * D + col] = ((valid[i] && Number.isFinite(v) ? v : fill) - mean) / std;
      }
      col += 1;
      continue;
    }
    // Codes are read from whatever the column holds here (a text column loaded as numbers matches by its text).
    const { codes, labels } = categoryCodes(vector);
    if (input.kind === 'codes') {
      const slot = codeSlots(labels, input.categories);
      const { fill, mean, std } = input;
      for (let k = 0; k < n; k++) {
        const c = codes[at(k)]!;
        const v = c < 0 ? NaN : slot[c]!;
        x[k * D + col] = ((Number.isNaN(v) ? fill : v) - mean) / std;
      }
      col += 1;
      continue;
    }
    const index = new Map(input.categories.map((c, j) => [c, j]));
    const other = input.categories.length;
    const slot = Int32Array.from(labels, (s) => index.get(s) ?? other);
    for (let k = 0; k < n; k++) {
      const c = codes[at(k)]!;
      hot[k * G + group] = block + (c < 0 ? other : slot[c]!);
    }
    block += other + 1;
    group += 1;
  }
  return { rows: n, width: recipe.width, dense: D, x, groups: G, hot };
}

function numericOf(vector: Vector, name: string): { values: Float64Array; valid: Uint8Array } {
  if (columnKind(vector.type) === 'string') throw new Error(`column "${name}" was numeric in training but is text here`);
  return numericValues(vector);
}
