import type { Table } from 'apache-arrow';
import { rowProbabilities } from './objective.ts';
import { applyLinearRecipe, type DesignMatrix } from './recipe.ts';
import type { LogisticModel } from './types.ts';

/** Class probabilities, rows × classes in `model.classes` order, for a design matrix of the model's recipe. */
export function predictLogistic(model: LogisticModel, design: DesignMatrix): Float32Array {
  const K = model.classes.length;
  const { rows, width } = design;
  if (width !== model.recipe.width) throw new Error(`design matrix has ${width} columns, the model ${model.recipe.width}`);
  const out = new Float32Array(rows * K);
  const z = new Float64Array(K);
  const p = new Float64Array(K);
  for (let i = 0; i < rows; i++) {
    rowProbabilities(model.weights, design, i, K, z, p);
    for (let k = 0; k < K; k++) out[i * K + k] = p[k]!;
  }
  return out;
}

/** Probabilities for rows of a table (all when absent), through the model's own fitted recipe. */
export function predictLogisticTable(model: LogisticModel, table: Table, rows?: ArrayLike<number>): Float32Array {
  return predictLogistic(model, applyLinearRecipe(table, model.recipe, rows));
}
