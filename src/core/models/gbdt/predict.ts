import type { Table } from 'apache-arrow';
import { applyBinning } from '../binning/apply-binning.ts';
import type { FeatureMatrix } from '../binning/types.ts';
import { outputsFor, probabilities } from './objective.ts';
import { treeMargins } from './tree-margins-wasm.ts';
import type { GbdtModel, Tree } from './types.ts';

/** The leaf a row of a binned matrix reaches in a tree. */
export function leafOf(tree: Tree, matrix: FeatureMatrix, i: number): number {
  const n = matrix.rows;
  const { bins, binCounts } = matrix;
  const { feature, splitBin, defaultLeft } = tree;
  let node = 0;
  for (;;) {
    const f = feature[node]!;
    if (f < 0) return node;
    const b = bins[f * n + i]!;
    const left = b === binCounts[f]! - 1 ? defaultLeft[node] === 1 : b <= splitBin[node]!;
    node = 2 * node + (left ? 1 : 2);
  }
}

/** Adds a tree's leaf values into output k of row-major margins. */
export function addTree(tree: Tree, matrix: FeatureMatrix, margins: Float64Array, outputs: number, k: number): void {
  for (let i = 0; i < matrix.rows; i++) margins[i * outputs + k]! += tree.value[leafOf(tree, matrix, i)]!;
}

/** Raw margins (rows × outputs), trees summed in training order. */
export function predictMargins(model: GbdtModel, matrix: FeatureMatrix): Float64Array {
  const outputs = outputsFor(model.classes.length);
  const margins = new Float64Array(matrix.rows * outputs);
  for (let i = 0; i < matrix.rows; i++) margins.set(model.baseMargin, i * outputs);
  const fast = model.trees.length > 0 ? treeMargins(matrix, outputs, model.trees[0]!.feature.length) : undefined;
  if (fast) {
    // The same adds in the same order (tree by tree) in WebAssembly; addTree is the reference.
    fast.margins.set(margins);
    model.trees.forEach((tree, t) => fast.add(tree, t % outputs));
    margins.set(fast.margins);
  } else model.trees.forEach((tree, t) => addTree(tree, matrix, margins, outputs, t % outputs));
  return margins;
}

/** Class probabilities, rows × classes, in `model.classes` order. */
export function predictProba(model: GbdtModel, matrix: FeatureMatrix): Float32Array {
  const K = model.classes.length;
  return Float32Array.from(probabilities(predictMargins(model, matrix), matrix.rows, K));
}

/** Probabilities for rows of a table (all when absent), binned with the model's own fitted binning. */
export function predictTable(model: GbdtModel, table: Table, rows?: ArrayLike<number>): Float32Array {
  return predictProba(model, applyBinning(table, model.binning, rows));
}
