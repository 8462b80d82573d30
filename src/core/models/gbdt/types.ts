import type { FittedBinning } from '../binning/types.ts';

export interface GbdtParams {
  rounds: number;
  maxDepth: number;
  learningRate: number;
  /** L2 regularisation of leaf weights. */
  lambda: number;
  /** Minimum hessian sum in each child of a split. */
  minChildWeight: number;
  /** Minimum loss reduction for a split (XGBoost's `gamma`, compared with the un-halved gain). */
  gamma: number;
  /** Fraction of rows drawn (Bernoulli, per tree) to build each tree. */
  subsample: number;
  /** Fraction of features drawn (per tree) that its splits may use. */
  colsampleByTree: number;
  seed: number;
  /** Stop when the validation loss has not improved for this many rounds (needs validation data). */
  earlyStoppingRounds: number;
}

export const DEFAULT_GBDT_PARAMS: GbdtParams = {
  rounds: 100,
  maxDepth: 6,
  learningRate: 0.1,
  lambda: 1,
  minChildWeight: 1,
  gamma: 0,
  subsample: 1,
  colsampleByTree: 1,
  seed: 0,
  earlyStoppingRounds: 0,
};

/**
 * One tree in heap layout (node k has children 2k+1, 2k+2), all arrays of length 2^(maxDepth+1) - 1.
 * A row at an inner node goes left when its bin ≤ `splitBin`, or when it is in the missing bin and
 * `defaultLeft` is set. `feature` is -1 at a leaf and -2 at a node that does not exist.
 */
export interface Tree {
  feature: Int32Array;
  splitBin: Int32Array;
  defaultLeft: Uint8Array;
  /** Leaf weight (learning rate applied); 0 at inner nodes. */
  value: Float64Array;
  /** Loss reduction of the split (inner nodes), for importances. */
  gain: Float64Array;
  /** Hessian sum of the training rows that reached the node. */
  cover: Float64Array;
}

export interface GbdtModel {
  kind: 'gbdt';
  objective: 'binary:logistic' | 'multi:softmax';
  classes: string[];
  params: GbdtParams;
  binning: FittedBinning;
  /** Starting margin per output (one for binary, one per class otherwise). */
  baseMargin: Float64Array;
  /** Trees in training order; with K outputs, tree t belongs to output t % K. */
  trees: Tree[];
  /** Rounds kept (the best round when early stopping ended the fit). */
  rounds: number;
  /** Loss per round on the training rows, and on the validation rows when given. */
  history: { train: number[]; validation: number[] };
  /** Where the trees were grown: "cpu" or the GPU adapter. */
  device: string;
}
