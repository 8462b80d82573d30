import { DataType, Precision, type Table, type Vector } from 'apache-arrow';
import { columnKind } from '../../table/column-kind.ts';
import { numericValues } from '../../table/numeric-values.ts';
import { categoriesByFrequency, categoryCodes } from '../binning/category-codes.ts';
import { column } from '../binning/fit-binning.ts';
import { designColumn, type DesignColumn, type DesignMatrix } from './design-matrix.ts';
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
 * The default linear recipe, fitted on the training rows only, as scikit-learn's
 * SimpleImputer(median) then StandardScaler: numeric / bool / timestamp columns have missing and
 * non-finite values replaced by the training median, then are standardised with the mean and
 * population std of the imputed values; text columns become category codes treated the same way
 * (or one-hot over their top-K training values, most frequent first, ties by text, plus "other").
 * Constant columns are dropped.
 */
export function fitLinearRecipe(table: Table, columns: readonly string[], rows: ArrayLike<number>, options: LinearRecipeOptions): LinearRecipe {
  return fitLinear(table, columns, rows, options, null);
}

/**
 * `fitLinearRecipe` and the training rows' design matrix in one pass over the columns (the same
 * values as `applyLinearRecipe(table, recipe, rows)`, without reading every column twice).
 */
export function fitLinearDesign(table: Table, columns: readonly string[], rows: ArrayLike<number>, options: LinearRecipeOptions): { recipe: LinearRecipe; design: DesignMatrix } {
  const stored: DesignColumn[] = [];
  const recipe = fitLinear(table, columns, rows, options, stored);
  return { recipe, design: { rows: rows.length, width: recipe.width, columns: stored, ...hotIndices(table, recipe, rows) } };
}

function fitLinear(table: Table, columns: readonly string[], rows: ArrayLike<number>, options: LinearRecipeOptions, stored: DesignColumn[] | null): LinearRecipe {
  const dense: (LinearNumeric | LinearCodes)[] = [];
  const hot: LinearOneHot[] = [];
  const dropped: string[] = [];
  const n = rows.length;
  const raw = new Float64Array(n);
  const scratch = new Float64Array(n);
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
      readNumbers(vector, rows, raw);
    }
    const stats = imputeInPlace(raw, scratch);
    if (!stats) {
      dropped.push(name);
      continue;
    }
    const { fill, mean, std, nonZero } = stats;
    dense.push(text ? { kind: 'codes', name, categories, fill, mean, std } : { kind: 'numeric', name, fill, mean, std });
    stored?.push(designColumn(raw, mean, std, nonZero));
  }
  const width = dense.length + hot.reduce((w, input) => w + input.categories.length + 1, 0);
  return { inputs: [...dense, ...hot], width, dropped };
}

/**
 * Replaces the non-finite values by the median of the finite ones, and returns that median with
 * the mean and population std of the result; null when it is constant (or all missing).
 */
function imputeInPlace(raw: Float64Array, scratch: Float64Array): { fill: number; mean: number; std: number; nonZero: number } | null {
  const n = raw.length;
  let m = 0;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const v = raw[k]!;
    if (v - v === 0) {
      scratch[m++] = v;
      sum += v;
    }
  }
  if (m === 0) return null;
  const fill = median(scratch.subarray(0, m));
  if (m < n) {
    for (let k = 0; k < n; k++) if (!(raw[k]! - raw[k]! === 0)) raw[k] = fill;
    sum += fill * (n - m);
  }
  const mean = sum / n;
  let ss = 0;
  let nonZero = 0;
  for (let k = 0; k < n; k++) {
    const v = raw[k]!;
    const d = v - mean;
    ss += d * d;
    if (v !== 0) nonZero++;
  }
  const std = Math.sqrt(ss / n);
  if (!(std > 1e-12 * Math.max(1, Math.abs(mean))) || !Number.isFinite(std)) return null;
  return { fill, mean, std, nonZero };
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
  const columns: DesignColumn[] = [];
  const v = new Float64Array(n);
  for (const input of recipe.inputs) {
    if (input.kind === 'one-hot') continue;
    const vector = column(table, input.name);
    if (input.kind === 'numeric') {
      if (columnKind(vector.type) === 'string') throw new Error(`column "${input.name}" was numeric in training but is text here`);
      readNumbers(vector, rows, v);
      for (let k = 0; k < n; k++) {
        const x = v[k]!;
        if (!(x - x === 0)) v[k] = input.fill;
      }
    } else {
      // Codes are read from whatever the column holds here (a text column loaded as numbers matches by its text).
      const { codes, labels } = categoryCodes(vector);
      const slot = codeSlots(labels, input.categories);
      for (let k = 0; k < n; k++) {
        const c = codes[at(k)]!;
        const x = c < 0 ? NaN : slot[c]!;
        v[k] = Number.isNaN(x) ? input.fill : x;
      }
    }
    columns.push(designColumn(v, input.mean, input.std));
  }
  return { rows: n, width: recipe.width, columns, ...hotIndices(table, recipe, rows) };
}

/** The one-hot blocks' active columns, rows × groups (absolute design columns, after the dense ones). */
function hotIndices(table: Table, recipe: LinearRecipe, rows?: ArrayLike<number>): { groups: number; hot: Int32Array } {
  const n = rows ? rows.length : table.numRows;
  const blocks = recipe.inputs.filter((input): input is LinearOneHot => input.kind === 'one-hot');
  const G = blocks.length;
  const hot = new Int32Array(n * G);
  let block = recipe.inputs.length - G;
  blocks.forEach((input, group) => {
    const { codes, labels } = categoryCodes(column(table, input.name));
    const index = new Map(input.categories.map((c, j) => [c, j]));
    const other = input.categories.length;
    const slot = Int32Array.from(labels, (s) => index.get(s) ?? other);
    for (let k = 0; k < n; k++) {
      const c = codes[rows ? rows[k]! : k]!;
      hot[k * G + group] = block + (c < 0 ? other : slot[c]!);
    }
    block += other + 1;
  });
  return { groups: G, hot };
}

/**
 * out[k] = the number in row rows[k] (row k when no rows are given), NaN when null. Plain integer
 * and float columns in one chunk without nulls are read in place; the rest through `numericValues`.
 */
function readNumbers(vector: Vector, rows: ArrayLike<number> | undefined, out: Float64Array): void {
  const n = out.length;
  const data = vector.data.length === 1 ? vector.data[0] : undefined;
  const values = data?.values as unknown;
  const plain =
    data !== undefined &&
    data.nullCount === 0 &&
    (DataType.isInt(data.type) || (DataType.isFloat(data.type) && data.type.precision !== Precision.HALF)) &&
    (values instanceof Int8Array || values instanceof Int16Array || values instanceof Int32Array || values instanceof Uint8Array || values instanceof Uint16Array || values instanceof Uint32Array || values instanceof Float32Array || values instanceof Float64Array);
  if (plain) {
    const source = (values as Float64Array).subarray(data.offset, data.offset + data.length);
    if (rows) for (let k = 0; k < n; k++) out[k] = source[rows[k]!]!;
    else for (let k = 0; k < n; k++) out[k] = source[k]!;
    return;
  }
  const { values: numbers, valid } = numericValues(vector);
  for (let k = 0; k < n; k++) {
    const i = rows ? rows[k]! : k;
    out[k] = valid[i] ? numbers[i]! : NaN;
  }
}
