import type { FeatureMatrix, FittedBinning } from '../binning/types.ts';
import { createRandom, sampleIndices, type Random } from '../random.ts';
import { cpuGrower, type GrowerFactory } from './grower.ts';
import { boostRows } from './boost-rows.ts';
import { baseMargin, outputsFor } from './objective.ts';
import { addTree } from './predict.ts';
import { DEFAULT_GBDT_PARAMS, type GbdtModel, type GbdtParams, type Tree } from './types.ts';

export interface LabelledMatrix {
  matrix: FeatureMatrix;
  /** Class index per row, into `classes`. */
  y: Int32Array;
  weights?: Float64Array;
}

export interface GbdtProgress {
  round: number;
  rounds: number;
  trainLoss: number;
  validationLoss: number | undefined;
}

export interface TrainGbdtOptions {
  train: LabelledMatrix;
  classes: string[];
  /** The binning the matrices were made with; kept in the model to bin new data. */
  binning: FittedBinning;
  params?: Partial<GbdtParams>;
  validation?: LabelledMatrix;
  onProgress?: (progress: GbdtProgress) => void;
  signal?: AbortSignal;
  /** Grows each tree: the CPU reference unless a GPU engine is given. */
  grower?: GrowerFactory;
}

/**
 * Gradient-boosted trees on a binned matrix (XGBoost `hist`, depth-wise): binary logistic for two
 * classes, softmax otherwise. Deterministic: the same data, params and seed give the same trees.
 */
export async function trainGbdt(options: TrainGbdtOptions): Promise<GbdtModel> {
  const { train, classes, validation, signal } = options;
  const params = { ...DEFAULT_GBDT_PARAMS, ...options.params };
  check(train, classes.length, 'training');
  if (validation) check(validation, classes.length, 'validation');
  const K = classes.length;
  const outputs = outputsFor(K);
  const { matrix, y, weights } = train;
  const random = createRandom(params.seed);
  const base = baseMargin(y, weights, K);
  const treeSize = 2 ** (params.maxDepth + 1) - 1;
  const grower = await (options.grower ?? cpuGrower)(matrix, params);
  // One set of per-row arrays, or one per class when the grower takes a round's trees at once.
  const together = (grower.concurrency ?? 1) > 1 ? outputs : 1;
  const rows = boostRows({ y, weights, classes: K, base, sets: together, treeSize, shared: grower.shareRows !== undefined });
  // A grower on several threads may take part of each round's probabilities and loss (the same bits).
  const partner = rows.shared && grower.shareRows?.(rows.shared);
  const evaluate = (): number | Promise<number> => (partner && rows.evaluateWith ? rows.evaluateWith(partner) : rows.evaluate());
  const valid = validation && boostRows({ y: validation.y, weights: validation.weights, classes: K, base, sets: 0, treeSize });

  const canSplit = splittableFeatures(matrix);
  const trees: Tree[] = [];
  const history = { train: [] as number[], validation: [] as number[] };
  let bestRound = -1;
  let bestLoss = Infinity;
  try {
    // Probabilities after each round serve both its loss and the next round's gradients.
    await evaluate();
    const drawn = params.subsample < 1 ? () => random.next() < params.subsample : undefined;
    for (let round = 0; round < params.rounds; round++) {
      signal?.throwIfAborted();
      // A round's trees all start from its first gradients (as XGBoost's), and growing draws no
      // random numbers, so asking for them together gives the same trees as one by one.
      for (let k = 0; k < outputs; k += together) {
        const grown: (Tree | Promise<Tree>)[] = [];
        grower.beginRound?.(together);
        for (let j = 0; j < together; j++) {
          // A row whose quantised g and h are both 0 adds nothing to any histogram: skipping it
          // changes no sum, and late rounds have many such confidently classified rows. Without
          // row sampling a helper thread may take the tree from the shared rows, its gradients
          // included (quantise draws only when sampling, so no draw moves).
          const q = drawn || !partner ? rows.quantise(j, rows.gradients(k + j, j), drawn) : undefined;
          const features = splittable(chooseFeatures(matrix.features, params.colsampleByTree, random), canSplit);
          const set = rows.sets[j]!;
          const away = q ? undefined : grower.growFromRows?.(k + j, j, features);
          grown.push(away ?? grower.grow(q ?? rows.quantise(j, rows.gradients(k + j, j)), set.active, features, set.nodeOfRow));
        }
        // Each tree's leaves go into its class's margins as soon as it is there (a tree grown on
        // this thread before the helpers' come back); one tree per class, so in any order.
        const ready = await Promise.all(
          grown.map((g, j) =>
            Promise.resolve(g).then((tree) => {
              rows.addLeaves(k + j, j, tree.value);
              if (validation && valid) addTree(tree, validation.matrix, valid.margins, outputs, k + j);
              return tree;
            }),
          ),
        );
        trees.push(...ready);
      }
      const trainLoss = await evaluate();
      history.train.push(trainLoss);
      let validationLoss: number | undefined;
      if (valid) {
        validationLoss = valid.evaluate();
        history.validation.push(validationLoss);
        if (validationLoss < bestLoss) {
          bestLoss = validationLoss;
          bestRound = round;
        }
      }
      options.onProgress?.({ round: round + 1, rounds: params.rounds, trainLoss, validationLoss });
      if (validation && params.earlyStoppingRounds > 0 && round - bestRound >= params.earlyStoppingRounds) break;
    }
  } finally {
    grower.dispose();
  }
  const rounds = validation && params.earlyStoppingRounds > 0 ? Math.max(1, bestRound + 1) : trees.length / outputs;
  return {
    kind: 'gbdt',
    objective: K === 2 ? 'binary:logistic' : 'multi:softmax',
    classes: [...classes],
    params,
    binning: options.binning,
    baseMargin: base,
    trees: trees.slice(0, rounds * outputs),
    rounds,
    history,
    device: grower.device,
  };
}

/**
 * Whether each feature can split any node: not when it has one real bin and no missing value in the
 * training rows (a constant column), since every candidate then leaves one side empty. Leaving such
 * features out of a tree's list (after the draw, so the draws do not change) gives the same trees
 * and saves their histograms and searches: 12 of CIC-IDS's 77 columns are constant, 2 of NSL-KDD's and KDD99's 41.
 */
function splittableFeatures(matrix: FeatureMatrix): Uint8Array {
  const n = matrix.rows;
  return Uint8Array.from({ length: matrix.features }, (_, f) => (matrix.binCounts[f]! > 2 || matrix.bins.subarray(f * n, (f + 1) * n).includes(1) ? 1 : 0));
}

/** The features of a list that can split; the first of the list when none can (growTree reads a node's sums from it). */
function splittable(features: Int32Array, canSplit: Uint8Array): Int32Array {
  // A loop, not Int32Array.filter: that took ~50 µs a call in a short training's cold code.
  const live = new Int32Array(features.length);
  let count = 0;
  for (let i = 0; i < features.length; i++) if (canSplit[features[i]!] === 1) live[count++] = features[i]!;
  return count > 0 ? live.subarray(0, count) : features.subarray(0, 1);
}

function chooseFeatures(F: number, fraction: number, random: Random): Int32Array {
  if (fraction >= 1) return Int32Array.from({ length: F }, (_, f) => f);
  return sampleIndices(F, Math.max(1, Math.round(fraction * F)), random);
}

function check(data: LabelledMatrix, K: number, what: string): void {
  const { matrix, y, weights } = data;
  if (K < 2) throw new Error(`the ${what} labels hold ${K === 1 ? 'a single class' : 'no class'}; a classifier needs at least two`);
  if (matrix.rows === 0) throw new Error(`the ${what} data has no rows`);
  if (matrix.features === 0) throw new Error('there are no usable feature columns');
  if (y.length !== matrix.rows) throw new Error(`${y.length} ${what} labels for ${matrix.rows} rows`);
  if (weights && weights.length !== matrix.rows) throw new Error(`${weights.length} ${what} weights for ${matrix.rows} rows`);
  let bad = 0;
  for (let i = 0; i < y.length; i++) if (!(y[i]! >= 0 && y[i]! < K)) bad++;
  if (bad > 0) throw new Error(`the label is missing or unknown in ${bad} ${what} rows`);
  if (weights && weights.some((w) => !(w >= 0 && Number.isFinite(w)))) throw new Error(`${what} weights must be finite and ≥ 0`);
}
