import type { FeatureMatrix, FittedBinning } from '../binning/types.ts';
import { createRandom } from '../random.ts';
import { cpuForestGrower, type ForestGrowerFactory } from './forest-grower.ts';
import { forestLeafOf } from './predict-forest.ts';
import { DEFAULT_FOREST_PARAMS, type ForestModel, type ForestParams, type ForestProgress, type ForestTree } from './types.ts';

export interface TrainForestOptions {
  train: { matrix: FeatureMatrix; y: Int32Array };
  /** Rows whose log loss is reported after each tree. */
  validation?: { matrix: FeatureMatrix; y: Int32Array };
  classes: string[];
  binning: FittedBinning;
  params?: Partial<ForestParams>;
  onProgress?: (progress: ForestProgress) => void;
  signal?: AbortSignal;
  /** Grows each tree: the CPU reference unless a GPU engine is given. */
  grower?: ForestGrowerFactory;
}

/**
 * A random forest of Gini trees on a binned matrix, as scikit-learn's RandomForestClassifier:
 * per tree, n rows drawn with replacement (a row drawn c times weighs c × its class weight),
 * ⌊√F⌋ features drawn per node. One seeded generator draws each tree's rows and the seed of its
 * nodes' feature draws, in a fixed order, so a seed reproduces the forest on any grower.
 */
export async function trainForest(options: TrainForestOptions): Promise<ForestModel> {
  const { train, classes, signal } = options;
  const params: ForestParams = { ...DEFAULT_FOREST_PARAMS, ...options.params };
  check(params);
  const { matrix, y } = train;
  const n = matrix.rows;
  const K = classes.length;
  if (y.length !== n) throw new Error(`training labels: ${y.length} for ${n} rows`);
  for (let i = 0; i < n; i++) if (!(y[i]! >= 0 && y[i]! < K)) throw new Error(`training label ${y[i]} at row ${i} is not a class index`);
  const classWeight = classWeights(params.classWeight, y, K);
  const maxFeatures = params.maxFeatures > 0 ? Math.min(params.maxFeatures, matrix.features) : Math.max(1, Math.floor(Math.sqrt(matrix.features)));
  const grow = { maxDepth: params.maxDepth, minSamplesLeaf: params.minSamplesLeaf, maxFeatures };
  const random = createRandom(params.seed);
  const trees: ForestTree[] = [];
  const validation = options.validation;
  const validSum = validation ? new Float64Array(validation.matrix.rows * K) : undefined;
  const grower = await (options.grower ?? cpuForestGrower)({ matrix, y, classes: K, classWeight }, grow);
  const zeroWeight = classWeight.some((w) => w === 0);
  const window = Math.max(1, Math.floor(grower.concurrency ?? 1));
  const growing: Promise<ForestTree>[] = [];
  const take = async (): Promise<void> => {
    const tree = await growing.shift()!;
    trees.push(tree);
    const validationLoss = validation && validSum ? addToValidation(tree, validation, validSum, K, trees.length) : undefined;
    options.onProgress?.({ tree: trees.length, trees: params.trees, validationLoss });
  };
  try {
    // Draws come from the one generator in tree order; a grower with threads grows several trees
    // at once, and their trees are taken (validation loss, progress) in the same order.
    for (let t = 0; t < params.trees; t++) {
      signal?.throwIfAborted();
      // A fresh array per tree: a grower may still hold the last one (a GPU upload in flight).
      const draws = new Int32Array(n);
      if (params.bootstrap) random.drawCounts(draws);
      else draws.fill(1);
      // Rows of a class weighted 0 leave the tree (they would count as rows with no weight).
      if (zeroWeight) for (let i = 0; i < n; i++) if (classWeight[y[i]!] === 0) draws[i] = 0;
      const treeSeed = Math.floor(random.next() * 4294967296);
      const tree = Promise.resolve(grower.grow(draws, treeSeed));
      // Handled now, read in turn: a later tree that fails while an earlier one is awaited is not
      // an unhandled rejection, and trees still growing when a run stops are dropped unread.
      tree.catch(() => undefined);
      growing.push(tree);
      if (growing.length >= window) await take();
    }
    for (; growing.length > 0; await take()) signal?.throwIfAborted();
  } finally {
    grower.dispose();
  }
  return { kind: 'forest', classes: [...classes], params, binning: options.binning, trees, device: grower.device };
}

/** Adds a tree's leaf frequencies to the validation rows' sums; the log loss of the mean of T trees. */
function addToValidation(tree: ForestTree, data: { matrix: FeatureMatrix; y: Int32Array }, sum: Float64Array, K: number, T: number): number {
  let loss = 0;
  for (let i = 0; i < data.matrix.rows; i++) {
    const at = forestLeafOf(tree, data.matrix, i) * K;
    for (let c = 0; c < K; c++) sum[i * K + c]! += tree.value[at + c]!;
    loss -= Math.log(Math.min(1 - 1e-15, Math.max(1e-15, sum[i * K + data.y[i]!]! / T)));
  }
  return loss / Math.max(1, data.matrix.rows);
}

/** scikit-learn's class weights: given per class, or "balanced" n / (K · count), else 1. */
function classWeights(spec: ForestParams['classWeight'], y: Int32Array, K: number): Float64Array {
  if (spec === undefined) return new Float64Array(K).fill(1);
  if (spec === 'balanced') {
    const counts = new Float64Array(K);
    for (const c of y) counts[c]!++;
    return Float64Array.from(counts, (c) => (c > 0 ? y.length / (K * c) : 0));
  }
  if (spec.length !== K || spec.some((v) => !(v >= 0 && Number.isFinite(v)))) throw new RangeError(`classWeight needs ${K} finite weights ≥ 0`);
  return Float64Array.from(spec);
}

function check(p: ForestParams): void {
  const int = (name: keyof ForestParams, v: number, min: number): void => {
    if (!Number.isInteger(v) || v < min) throw new RangeError(`${name} must be an integer ≥ ${min}, not ${v}`);
  };
  int('trees', p.trees, 1);
  int('maxDepth', p.maxDepth, 0);
  int('minSamplesLeaf', p.minSamplesLeaf, 1);
  int('maxFeatures', p.maxFeatures, 0);
  int('seed', p.seed, 0);
}
