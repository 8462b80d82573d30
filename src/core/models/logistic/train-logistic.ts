import { fitVectors } from './fit-kernels.ts';
import { minimiseLbfgs, type LbfgsOptions, type LbfgsResult } from './lbfgs.ts';
import { freeRows, logisticObjective, logisticObjectiveWith, secondPart } from './objective.ts';
import type { LogisticPartnerFactory } from './partner.ts';
import type { DesignMatrix } from './design-matrix.ts';
import type { LinearRecipe } from './recipe.ts';
import { DEFAULT_LOGISTIC_PARAMS, type LogisticModel, type LogisticParams, type LogisticProgress } from './types.ts';

export interface TrainLogisticOptions {
  /** The training rows through `recipe` (the recipe fitted on these rows only). */
  design: DesignMatrix;
  /** Class index per row, 0 … classes.length − 1. */
  y: Int32Array;
  classes: string[];
  recipe: LinearRecipe;
  params?: Partial<LogisticParams>;
  onProgress?: (progress: LogisticProgress) => void;
  signal?: AbortSignal;
}

/** The most the L-BFGS pairs may take (two Float64 vectors of all weights each). */
const MEMORY_BYTES = 64 * 2 ** 20;

/** A checked problem with its pieces: what the CPU fit and the device fit share. */
export interface LogisticFit {
  params: LogisticParams;
  K: number;
  sampleWeight: Float64Array;
  /** W = 0, free rows × (width + 1). */
  w0: Float64Array;
  /** The f64 objective on the CPU (made on first use: its kernels copy the design). */
  readonly objective: (w: Float64Array, grad: Float64Array) => number;
  /** L-BFGS options; iterations are reported from `offset` on. */
  lbfgsOptions(offset?: number): LbfgsOptions;
  model(result: LbfgsResult, iterations: number, evaluations: number): LogisticModel;
}

export function prepareLogisticFit(options: TrainLogisticOptions): LogisticFit {
  const params: LogisticParams = { ...DEFAULT_LOGISTIC_PARAMS, ...options.params };
  const { design, y, classes } = options;
  const K = classes.length;
  if (K < 2) throw new Error('a classifier needs at least two classes');
  if (!(params.c > 0) || !Number.isFinite(params.c)) throw new RangeError(`c must be a finite number > 0, not ${params.c}`);
  if (y.length !== design.rows) throw new Error(`${y.length} labels for ${design.rows} rows`);
  for (const v of y) if (!(v >= 0 && v < K)) throw new RangeError(`class index ${v} out of range 0 … ${K - 1}`);
  const classWeight = classWeights(params.classWeight, y, K);
  const sampleWeight = Float64Array.from(y, (c) => classWeight[c]!);
  let total = 0;
  for (const s of sampleWeight) total += s;
  const w0 = new Float64Array(freeRows(K) * (design.width + 1));
  let objective: LogisticFit['objective'] | undefined;
  return {
    params,
    K,
    sampleWeight,
    w0,
    get objective() {
      return (objective ??= logisticObjective(design, y, sampleWeight, K, params.c));
    },
    lbfgsOptions: (offset = 0) => ({
      maxIterations: params.maxIterations,
      tolerance: params.tolerance,
      relativeDecrease: params.relativeDecrease,
      memory: Math.max(3, Math.min(params.memory, Math.floor(MEMORY_BYTES / (16 * w0.length)))),
      signal: options.signal,
      vectors: fitVectors,
      onIteration: (iteration, loss, gradientNorm) =>
        options.onProgress?.({ iteration: offset + iteration, maxIterations: params.maxIterations, loss: loss / total, gradientNorm }),
    }),
    model: (result, iterations, evaluations) => ({
      kind: 'logistic',
      classes,
      params,
      recipe: options.recipe,
      weights: result.x,
      iterations,
      evaluations,
      converged: result.converged,
    }),
  };
}

/** Full-batch L-BFGS on the multinomial L2 objective from W = 0: deterministic, Float64 throughout. */
export function trainLogistic(options: TrainLogisticOptions): LogisticModel {
  return fitHere(prepareLogisticFit(options));
}

function fitHere(fit: LogisticFit): LogisticModel {
  const result = minimiseLbfgs(fit.objective, fit.w0, fit.lbfgsOptions());
  return fit.model(result, result.iterations, result.evaluations);
}

/**
 * `trainLogistic` with the second part of the rows' data term (see logisticObjective) on a partner
 * thread, where `partners` gives one: the same model bit for bit, on two cores. `threads`: 2 when
 * the partner took part, else 1.
 */
export async function trainLogisticWith(options: TrainLogisticOptions, partners: LogisticPartnerFactory): Promise<{ model: LogisticModel; threads: number }> {
  const fit = prepareLogisticFit(options);
  const { design, y } = options;
  const partner = await partners(secondPart({ design, y, sampleWeight: fit.sampleWeight, classes: fit.K })).catch(() => undefined);
  if (!partner) return { model: fitHere(fit), threads: 1 };
  try {
    const objective = logisticObjectiveWith(design, y, fit.sampleWeight, fit.K, fit.params.c, partner);
    const result = minimiseLbfgs(objective.evaluate, fit.w0, fit.lbfgsOptions());
    return { model: fit.model(result, result.iterations, result.evaluations), threads: objective.partnered() ? 2 : 1 };
  } finally {
    partner.dispose();
  }
}

/** scikit-learn's class weights: given per class, or "balanced" n / (K · count), else 1. */
function classWeights(spec: LogisticParams['classWeight'], y: Int32Array, K: number): Float64Array {
  if (spec === undefined) return new Float64Array(K).fill(1);
  if (spec === 'balanced') {
    const counts = new Float64Array(K);
    for (const c of y) counts[c]!++;
    return Float64Array.from(counts, (c) => (c > 0 ? y.length / (K * c) : 0));
  }
  if (spec.length !== K || spec.some((v) => !(v >= 0 && Number.isFinite(v)))) throw new RangeError(`classWeight needs ${K} finite weights ≥ 0`);
  return Float64Array.from(spec);
}
