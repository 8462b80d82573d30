import type { Table, Vector } from 'apache-arrow';
import { columnKind } from '../../table/column-kind.ts';
import { numericValues } from '../../table/numeric-values.ts';
import { categoriesByFrequency, categoryCodes } from '../binning/category-codes.ts';
import { column } from '../binning/fit-binning.ts';

/** A numeric column: missing / non-finite → mean, then (v − mean) / std. Constant columns are dropped. */
export interface LinearNumeric {
  kind: 'numeric';
  name: string;
  mean: number;
  std: number;
}

/** A text column: one indicator per kept category, then one "other" (rarer, unseen or missing values). */
export interface LinearOneHot {
  kind: 'one-hot';
  name: string;
  categories: string[];
}

export interface LinearRecipe {
  inputs: (LinearNumeric | LinearOneHot)[];
  /** Columns of the design matrix. */
  width: number;
  /** Numeric columns left out because they are constant (or all missing) on the training rows. */
  dropped: string[];
}

/**
 * A design matrix of `width` columns: the numeric inputs first, dense and row-major in `x`
 * (rows × dense), then the one-hot blocks, stored sparsely as the one active column of each block
 * per row in `hot` (rows × groups, absolute column indices).
 */
export interface DesignMatrix {
  rows: number;
  width: number;
  dense: number;
  x: Float64Array;
  groups: number;
  hot: Int32Array;
}

/**
 * The default linear recipe, fitted on the training rows only: numeric / bool / timestamp columns
 * imputed with the training mean and standardised (population std, as scikit-learn's
 * SimpleImputer(mean) then StandardScaler); text columns one-hot over their top-K training values
 * (most frequent first, ties by text) plus "other".
 */
export function fitLinearRecipe(table: Table, columns: readonly string[], rows: ArrayLike<number>, topK: number): LinearRecipe {
  const inputs: LinearRecipe['inputs'] = [];
  const dropped: string[] = [];
  let width = 0;
  for (const name of columns) {
    const vector = column(table, name);
    if (columnKind(vector.type) !== 'string') {
      const { values, valid } = numericValues(vector);
      let sum = 0;
      let m = 0;
      for (let k = 0; k < rows.length; k++) {
        const i = rows[k]!;
        const v = values[i]!;
        if (valid[i] && Number.isFinite(v)) {
          sum += v;
          m++;
        }
      }
      const mean = m > 0 ? sum / m : 0;
      let ss = 0;
      for (let k = 0; k < rows.length; k++) {
        const i = rows[k]!;
        const v = values[i]!;
        if (valid[i] && Number.isFinite(v)) ss += (v - mean) * (v - mean);
      }
      const std = Math.sqrt(ss / rows.length);
      if (!(std > 1e-12 * Math.max(1, Math.abs(mean))) || !Number.isFinite(std)) {
        dropped.push(name);
        continue;
      }
      inputs.push({ kind: 'numeric', name, mean, std });
      width += 1;
      continue;
    }
    const categories = categoriesByFrequency(vector, rows).slice(0, topK);
    inputs.push({ kind: 'one-hot', name, categories });
    width += categories.length + 1;
  }
  return { inputs, width, dropped };
}

/** The design matrix of the given rows (all when absent) of a table, with a fitted recipe. */
export function applyLinearRecipe(table: Table, recipe: LinearRecipe, rows?: ArrayLike<number>): DesignMatrix {
  const n = rows ? rows.length : table.numRows;
  const at = (k: number): number => (rows ? rows[k]! : k);
  const D = recipe.inputs.filter((input) => input.kind === 'numeric').length;
  const G = recipe.inputs.length - D;
  const x = new Float64Array(n * D);
  const hot = new Int32Array(n * G);
  let col = 0;
  let block = D;
  let group = 0;
  for (const input of recipe.inputs) {
    const vector = column(table, input.name);
    if (input.kind === 'numeric') {
      const { values, valid } = numericOf(vector, input.name);
      const { mean, std } = input;
      for (let k = 0; k < n; k++) {
        const i = at(k);
        const v = values[i]!;
        x[k * D + col] = valid[i] && Number.isFinite(v) ? (v - mean) / std : 0;
      }
      col += 1;
      continue;
    }
    const { codes, labels } = categoryCodes(vector);
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
