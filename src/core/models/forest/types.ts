import type { FittedBinning } from '../binning/types.ts';

export interface ForestParams {
  trees: number;
  /** Deepest level a split may create (the root is depth 0). */
  maxDepth: number;
  /** Fewest in-bag rows (distinct rows, as scikit-learn counts them) in each child of a split. */
  minSamplesLeaf: number;
  /** Features drawn per node; 0 means ⌊√features⌋ (scikit-learn's "sqrt"), at least 1. */
  maxFeatures: number;
  /** Draw each tree's rows with replacement (n draws); off: every row once. */
  bootstrap: boolean;
  /** Per-class weights in `classes` order, or "balanced" (n / (K · count of the class)), or none. */
  classWeight?: 'balanced' | readonly number[];
  seed: number;
}

export const DEFAULT_FOREST_PARAMS: ForestParams = {
  trees: 100,
  maxDepth: 16,
  minSamplesLeaf: 1,
  maxFeatures: 0,
  bootstrap: true,
  seed: 0,
};

/**
 * One tree, nodes in creation order (root 0; children of a node are consecutive, `left` and
 * `left + 1`). A row at an inner node goes left when its bin ≤ `splitBin`, or when it is in the
 * missing bin and `defaultLeft` is set. `feature` is -1 at a leaf.
 */
export interface ForestTree {
  feature: Int32Array;
  splitBin: Int32Array;
  defaultLeft: Uint8Array;
  left: Int32Array;
  /** Nodes × classes: the node's weighted class frequencies (summing to 1). */
  value: Float64Array;
  /** Weighted Gini decrease of the split × the node's weight (inner nodes), for importances. */
  gain: Float64Array;
}

export interface ForestModel {
  kind: 'forest';
  classes: string[];
  params: ForestParams;
  binning: FittedBinning;
  trees: ForestTree[];
  /** "cpu", or the GPU adapter that grew the trees (with a note when the CPU finished them). */
  device: string;
}

export interface ForestProgress {
  tree: number;
  trees: number;
  /** Log loss of the forest so far on the validation rows, when given. */
  validationLoss?: number;
}
