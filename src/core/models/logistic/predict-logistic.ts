import type { Table } from 'apache-arrow';
import { BLOCK, type DesignMatrix } from './design-matrix.ts';
import { blockScores, designKernels, effectiveIntercepts, freeRows } from './linear-scores.ts';
import { applyLinearRecipe } from './recipe.ts';
import type { LogisticModel } from './types.ts';

/** Class probabilities, rows × classes in `model.classes` order, for a design matrix of the model's recipe. */
export function predictLogistic(model: LogisticModel, design: DesignMatrix): Float32Array {
  const K = model.classes.length;
  const { rows: n, width } = design;
  if (width !== model.recipe.width) throw new Error(`design matrix has ${width} columns, the model ${model.recipe.width}`);
  const free = freeRows(K);
  const first = K - free;
  const out = new Float32Array(n * K);
  // One pass over the rows: copying the columns into WebAssembly memory would cost as much as it saves.
  const kernels = designKernels(design, free, false);
  const Z = kernels.Z;
  const intercepts = new Float64Array(free);
  const e = new Float64Array(K);
  effectiveIntercepts(design, model.weights, free, intercepts);
  for (let start = 0; start < n; start += BLOCK) {
    const m = Math.min(BLOCK, n - start);
    blockScores(design, model.weights, intercepts, free, start, m, kernels);
    for (let i = 0; i < m; i++) {
      // Class 0's score is 0 when it is not free (binary); softmax over the K scores.
      let max = first === 1 ? 0 : -Infinity;
      for (let r = 0; r < free; r++) max = Math.max(max, Z[r * BLOCK + i]!);
      let sum = 0;
      for (let k = 0; k < K; k++) {
        const v = Math.exp((k < first ? 0 : Z[(k - first) * BLOCK + i]!) - max);
        e[k] = v;
        sum += v;
      }
      for (let k = 0; k < K; k++) out[(start + i) * K + k] = e[k]! / sum;
    }
  }
  return out;
}

/** Probabilities for rows of a table (all when absent), through the model's own fitted recipe. */
export function predictLogisticTable(model: LogisticModel, table: Table, rows?: ArrayLike<number>): Float32Array {
  return predictLogistic(model, applyLinearRecipe(table, model.recipe, rows));
}
