import type { Table } from 'apache-arrow';
import { applyBinning } from '../binning/apply-binning.ts';
import type { FeatureMatrix } from '../binning/types.ts';
import { forestSums } from './forest-sums-wasm.ts';
import type { ForestModel, ForestTree } from './types.ts';

/** The leaf a row of a binned matrix reaches in a tree. */
export function forestLeafOf(tree: ForestTree, matrix: FeatureMatrix, i: number): number {
  const n = matrix.rows;
  const { bins, binCounts } = matrix;
  const { feature, splitBin, defaultLeft, left } = tree;
  let node = 0;
  for (;;) {
    const f = feature[node]!;
    if (f < 0) return node;
    const b = bins[f * n + i]!;
    const goLeft = b === binCounts[f]! - 1 ? defaultLeft[node] === 1 : b <= splitBin[node]!;
    node = left[node]! + (goLeft ? 0 : 1);
  }
}

/** Class probabilities, rows × classes in `model.classes` order: the mean of the trees' leaf class frequencies. */
export function predictForest(model: ForestModel, matrix: FeatureMatrix): Float32Array {
  const K = model.classes.length;
  const sum = forestSums(model.trees, matrix, K) ?? jsForestSums(model, matrix, K);
  const out = new Float32Array(sum.length);
  const T = model.trees.length;
  for (let x = 0; x < sum.length; x++) out[x] = sum[x]! / T;
  return out;
}

/** The sums of predictForest in JS (the reference of forest-sums-wasm.ts, and its fallback). */
export function jsForestSums(model: ForestModel, matrix: FeatureMatrix, K: number): Float64Array {
  const sum = new Float64Array(matrix.rows * K);
  for (const tree of model.trees) {
    for (let i = 0; i < matrix.rows; i++) {
      const at = forestLeafOf(tree, matrix, i) * K;
      for (let c = 0; c < K; c++) sum[i * K + c]! += tree.value[at + c]!;
    }
  }
  return sum;
}

/** Probabilities for rows of a table (all when absent), binned with the model's own fitted binning. */
export function predictForestTable(model: ForestModel, table: Table, rows?: ArrayLike<number>): Float32Array {
  return predictForest(model, applyBinning(table, model.binning, rows));
}
