import type { LinearRecipe, TextEncoding } from './recipe.ts';

export interface LogisticParams {
  /** Inverse L2 strength, as scikit-learn: minimises Σ wᵢ·logloss + ½‖W‖² / C (intercepts unpenalised). */
  c: number;
  /** L-BFGS iterations at most (scikit-learn's max_iter). */
  maxIterations: number;
  /**
   * Stop when max |gradient| of the objective (not divided by Σ wᵢ; scikit-learn's `tol` means the
   * same) is at most this. Tight, so that any two runs (CPU, or GPU then CPU) end within ~1e−6 of the
   * same probabilities: the objective is strictly convex, its Hessian ≥ I/C in the weights.
   */
  tolerance: number;
  /**
   * Also stop when an iteration lowers the objective by at most this share of it (SciPy's `ftol`,
   * 2.2e−9 by default, is what ends scikit-learn's fits, ~1e−3 short of the optimum in probability).
   * 0: off.
   */
  relativeDecrease: number;
  /** L-BFGS memory (pairs kept; fewer when the pairs would pass 64 MiB). */
  memory: number;
  /** Text columns as category codes in text order (default, as the scikit-learn peer) or one-hot. */
  textEncoding: TextEncoding;
  /** One-hot: most frequent training values of a text column kept; the rest share an "other" indicator. */
  topK: number;
  /** Per-class weights in `classes` order, or "balanced" (n / (K · count of the class)), or none. */
  classWeight?: 'balanced' | readonly number[];
}

export const DEFAULT_LOGISTIC_PARAMS: LogisticParams = {
  c: 1,
  maxIterations: 1000,
  tolerance: 1e-6,
  relativeDecrease: 0,
  memory: 200,
  textEncoding: 'codes',
  topK: 20,
};

/**
 * Multinomial logistic regression on the recipe's standardised inputs. Binary: one free row of
 * weights (class 1's logit, class 0's fixed at 0, i.e. a sigmoid, as scikit-learn); K > 2: K rows.
 * `weights` is rows × (width + 1), the intercept last in each row.
 */
export interface LogisticModel {
  kind: 'logistic';
  classes: string[];
  params: LogisticParams;
  recipe: LinearRecipe;
  weights: Float64Array;
  /** L-BFGS iterations run, and whether a stopping test (gradient or relative decrease) was met. */
  iterations: number;
  /** Objective evaluations (line-search trials included). */
  evaluations: number;
  converged: boolean;
}

export interface LogisticProgress {
  iteration: number;
  maxIterations: number;
  /** The objective divided by the total sample weight (the mean weighted log loss plus the penalty's share). */
  loss: number;
  gradientNorm: number;
}
