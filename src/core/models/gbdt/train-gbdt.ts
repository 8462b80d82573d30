import type { FeatureMatrix, FittedBinning } from '../binning/types.ts';
import { createRandom, sampleIndices, type Random } from '../random.ts';
import { cpuGrower, type GrowerFactory } from './grower.ts';
import { baseMargin, gradients, outputsFor, probabilitiesAndLoss } from './objective.ts';
import { scratchMath } from './objective-math.ts';
import { addTree } from './predict.ts';
import { quantise, type Quantised } from './quantise.ts';
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
  const n = matrix.rows;
  const random = createRandom(params.seed);
  const base = baseMargin(y, weights, K);
  const margins = new Float64Array(n * outputs);
  for (let i = 0; i < n; i++) margins.set(base, i * outputs);
  const validMargins = validation ? new Float64Array(validation.matrix.rows * outputs) : undefined;
  if (validation && validMargins) for (let i = 0; i < validation.matrix.rows; i++) validMargins.set(base, i * outputs);

  const trees: Tree[] = [];
  const history = { train: [] as number[], validation: [] as number[] };
  let bestRound = -1;
  let bestLoss = Infinity;

  const grower = await (options.grower ?? cpuGrower)(matrix, params);
  // One set of per-row arrays, or one per class when the grower takes a round's trees at once.
  const together = (grower.concurrency ?? 1) > 1 ? outputs : 1;
  const work = Array.from({ length: together }, () => ({
    g: new Float64Array(n),
    h: new Float64Array(n),
    active: new Uint8Array(n),
    nodeOfRow: new Int32Array(n),
    q: undefined as Quantised | undefined,
  }));
  try {
    // Probabilities after each round serve both its loss and the next round's gradients.
    const proba = new Float64Array(n * K);
    const math = scratchMath(n * K);
    probabilitiesAndLoss(margins, n, K, y, weights, proba, math);
    const validRows = validation?.matrix.rows ?? 0;
    const validProba = new Float64Array(validRows * K);
    const validMath = validation ? scratchMath(validRows * K) : undefined;
    const drawn = params.subsample < 1 ? () => random.next() < params.subsample : undefined;
    for (let round = 0; round < params.rounds; round++) {
      signal?.throwIfAborted();
      // A round's trees all start from its first gradients (as XGBoost's), and growing draws no
      // random numbers, so asking for them together gives the same trees as one by one.
      for (let k = 0; k < outputs; k += together) {
        const grown: (Tree | Promise<Tree>)[] = [];
        for (let j = 0; j < together; j++) {
          const w = work[j]!;
          const max = gradients(proba, y, weights, K, k + j, w.g, w.h);
          // A row whose quantised g and h are both 0 adds nothing to any histogram: skipping it
          // changes no sum, and late rounds have many such confidently classified rows.
          w.q = quantise(w.g, w.h, { max, out: w.q, active: w.active, drawn });
          const features = chooseFeatures(matrix.features, params.colsampleByTree, random);
          grown.push(grower.grow(w.q, w.active, features, w.nodeOfRow));
        }
        const ready = await Promise.all(grown);
        ready.forEach((tree, j) => {
          addLeafValues(margins, outputs, k + j, tree.value, work[j]!.nodeOfRow);
          if (validation && validMargins) addTree(tree, validation.matrix, validMargins, outputs, k + j);
          trees.push(tree);
        });
      }
      const trainLoss = probabilitiesAndLoss(margins, n, K, y, weights, proba, math);
      history.train.push(trainLoss);
      let validationLoss: number | undefined;
      if (validation && validMargins && validMath) {
        validationLoss = probabilitiesAndLoss(validMargins, validRows, K, validation.y, validation.weights, validProba, validMath);
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

/** Adds each row's leaf value to its margin of output k (a loop of its own, which V8 optimises alone). */
function addLeafValues(margins: Float64Array, outputs: number, k: number, value: Float64Array, nodeOfRow: Int32Array): void {
  for (let i = 0; i < nodeOfRow.length; i++) margins[i * outputs + k]! += value[nodeOfRow[i]!]!;
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
