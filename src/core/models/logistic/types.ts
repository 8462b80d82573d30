import type { LinearRecipe, TextEncoding } from './recipe.ts';

export interface LogisticParams {
  /** Inverse L2 strength, as scikit-learn: minimises Σ wᵢ·logloss + ½‖W‖² / C (intercepts unpenalised). */
  c: number;
  /** L-BFGS iterations at most. */
  maxIterations: number;
  /** Stop when max |gradient| of the objective divided by Σ wᵢ is at most this. */
  tolerance: number;
  /** L-BFGS memory (pairs kept). */
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
  maxIterations: 200,
  tolerance: 1e-6,
  memory: 10,
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
  /** L-BFGS iterations run, and whether the gradient tolerance was reached. */
  iterations: number;
  converged: boolean;
}

export interface LogisticProgress {
  iteration: number;
  maxIterations: number;
  /** The objective divided by the total sample weight. */
  loss: number;
  gradientNorm: number;
}
