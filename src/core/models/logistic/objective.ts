import type { FitKernels } from './fit-kernels.ts';
import { BLOCK, type DesignMatrix } from './design-matrix.ts';
import { blockGradient, blockScores, designKernels, effectiveIntercepts, finishGradient, freeRows } from './linear-scores.ts';

export { freeRows } from './linear-scores.ts';

/**
 * Log loss of the block's rows from their scores in the kernels' Z, which become the weighted
 * residuals sᵢ·(p − onehot(yᵢ)), the factor Xᵀ(·) of the gradient. Binary: one free row (class 1's
 * score, class 0's is 0); else a softmax over K rows. The exponentials go through the kernels' exp
 * and log1p (a block at a time); the softmax's one log per row goes through Math.log.
 */
export function blockLoss(kernels: FitKernels, y: Int32Array, sampleWeight: Float64Array, K: number, start: number, m: number): number {
  const { buffer: Z, e: E, f: F } = kernels;
  let loss = 0;
  if (K === 2) {
    // log(1 + e^s) = max(s, 0) + log1p(e^−|s|), and σ(s) from the same e^−|s|.
    for (let i = 0; i < m; i++) Z[E + i] = -Math.abs(Z[i]!);
    kernels.exp(E, m);
    Z.copyWithin(F, E, E + m);
    kernels.log1p(F, m);
    for (let i = 0; i < m; i++) {
      const s = Z[i]!;
      const e = Z[E + i]!;
      const weight = sampleWeight[start + i]!;
      const positive = y[start + i] === 1;
      loss += weight * ((s > 0 ? s : 0) + Z[F + i]! - (positive ? s : 0));
      const p = s >= 0 ? 1 / (1 + e) : e / (1 + e);
      Z[i] = weight * (p - (positive ? 1 : 0));
    }
    return loss;
  }
  // E: the row maxima, then the sums of the exponentials, then weight / sum; F: z_y − max.
  // (B is a local copy: an imported binding is re-read on every use in unbundled ES modules.)
  const B = BLOCK;
  kernels.rowMax(K, m);
  for (let i = 0; i < m; i++) Z[F + i] = Z[y[start + i]! * B + i]! - Z[E + i]!;
  for (let k = 0; k < K; k++) kernels.exp(k * B, m, E);
  kernels.rowSum(K, m);
  for (let i = 0; i < m; i++) {
    const weight = sampleWeight[start + i]!;
    // −log p_y = log Σ e^(z − max) − (z_y − max).
    loss += weight * (Math.log(Z[E + i]!) - Z[F + i]!);
    Z[E + i] = weight / Z[E + i]!;
  }
  kernels.scaleRows(K, m);
  for (let i = 0; i < m; i++) Z[y[start + i]! * B + i]! -= sampleWeight[start + i]!;
  return loss;
}

/**
 * scikit-learn's lbfgs objective: Σ sᵢ · −log p_{yᵢ} + ½ ‖W‖² / C, intercepts unpenalised, with its
 * gradient into `grad`. Not divided by Σ sᵢ, so `tolerance` (on the gradient) and the relative
 * decrease test mean what scikit-learn's `tol` and SciPy's `factr` mean.
 */
export function logisticObjective(
  design: DesignMatrix,
  y: Int32Array,
  sampleWeight: Float64Array,
  K: number,
  c: number,
  allowWasm = true,
): (w: Float64Array, grad: Float64Array) => number {
  const { rows: n, width } = design;
  const free = freeRows(K);
  const stride = width + 1;
  const kernels = designKernels(design, free, allowWasm);
  const intercepts = new Float64Array(free);
  const sums = new Float64Array(free);
  return (w, grad) => {
    grad.fill(0);
    sums.fill(0);
    effectiveIntercepts(design, w, free, intercepts);
    let loss = 0;
    for (let start = 0; start < n; start += BLOCK) {
      const m = Math.min(BLOCK, n - start);
      blockScores(design, w, intercepts, free, start, m, kernels);
      loss += blockLoss(kernels, y, sampleWeight, K, start, m);
      blockGradient(design, kernels, free, start, m, grad, sums);
    }
    finishGradient(design, free, grad, sums);
    let penalty = 0;
    for (let r = 0; r < free; r++) {
      const off = r * stride;
      for (let j = 0; j < width; j++) {
        const v = w[off + j]!;
        penalty += v * v;
        grad[off + j]! += v / c;
      }
    }
    return loss + (0.5 * penalty) / c;
  };
}
