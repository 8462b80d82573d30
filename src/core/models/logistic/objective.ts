import type { FitKernels } from './fit-kernels.ts';
import { BLOCK, designPart, type DesignMatrix } from './design-matrix.ts';
import type { LogisticProblem } from './engine.ts';
import type { LogisticPartner } from './partner.ts';
import { blockGradient, blockScores, designKernels, effectiveIntercepts, finishGradient, freeRows } from './linear-scores.ts';

export { freeRows } from './linear-scores.ts';

/**
 * Log loss of the block's rows from their scores in the kernels' Z, which become the weighted
 * residuals sᵢ·(p − onehot(yᵢ)), the factor Xᵀ(·) of the gradient. Binary: one free row (class 1's
 * score, class 0's is 0); else a softmax over K rows. The exponentials go through the kernels' exp
 * and log1p (a block at a time), the per-row loops through the kernels too; the softmax's one log
 * per row goes through Math.log. `start`: the block's first row in the kernels' labels.
 */
export function blockLoss(kernels: FitKernels, sampleWeight: Float64Array, K: number, start: number, m: number): number {
  const { buffer: Z, e: E, f: F } = kernels;
  if (K === 2) {
    // log(1 + e^s) = max(s, 0) + log1p(e^−|s|), and σ(s) from the same e^−|s|.
    kernels.negAbs(m);
    kernels.exp(E, m);
    Z.copyWithin(F, E, E + m);
    kernels.log1p(F, m);
    return kernels.binaryTail(start, m);
  }
  // E: the row maxima, then the sums of the exponentials, then weight / sum; F: z_y − max.
  // (B is a local copy: an imported binding is re-read on every use in unbundled ES modules.)
  const B = BLOCK;
  kernels.rowMax(K, m);
  kernels.pickShift(start, m);
  for (let k = 0; k < K; k++) kernels.exp(k * B, m, E);
  kernels.rowSum(K, m);
  let loss = 0;
  for (let i = 0; i < m; i++) {
    const weight = sampleWeight[start + i]!;
    // −log p_y = log Σ e^(z − max) − (z_y − max).
    loss += weight * (Math.log(Z[E + i]!) - Z[F + i]!);
    Z[E + i] = weight / Z[E + i]!;
  }
  kernels.scaleRows(K, m);
  kernels.subtractWeights(start, m);
  return loss;
}

/**
 * The data term Σ sᵢ · −log p_{yᵢ} over one part's rows (a design of its own, see designPart),
 * with its gradient written into `grad`: no penalty.
 */
export function partObjective(design: DesignMatrix, y: Int32Array, sampleWeight: Float64Array, K: number, allowWasm = true): (w: Float64Array, grad: Float64Array) => number {
  const n = design.rows;
  const free = freeRows(K);
  const kernels = designKernels(design, free, allowWasm, { y, sampleWeight });
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
      loss += blockLoss(kernels, sampleWeight, K, start, m);
      blockGradient(design, kernels, free, start, m, grad, sums);
    }
    finishGradient(design, free, grad, sums);
    return loss;
  };
}

/** Where the rows are split in two parts: the data term is always summed as the first part's plus the second's. */
export const splitRow = (rows: number): number => Math.ceil(rows / 2);

/** The second part of a problem's rows (from splitRow on), as a partner thread gets it. */
export function secondPart(problem: LogisticProblem): LogisticProblem {
  const { design, y, sampleWeight, classes } = problem;
  const h = splitRow(design.rows);
  return { design: designPart(design, h, design.rows), y: y.subarray(h), sampleWeight: sampleWeight.subarray(h), classes };
}

/**
 * scikit-learn's lbfgs objective: Σ sᵢ · −log p_{yᵢ} + ½ ‖W‖² / C, intercepts unpenalised, with its
 * gradient into `grad`. Not divided by Σ sᵢ, so `tolerance` (on the gradient) and the relative
 * decrease test mean what scikit-learn's `tol` and SciPy's `factr` mean. The data term is the sum
 * of two parts' (rows split at splitRow), each over its own blocks, so that a partner thread can
 * take the second part (logisticObjectiveWith) and give the same bits.
 */
export function logisticObjective(
  design: DesignMatrix,
  y: Int32Array,
  sampleWeight: Float64Array,
  K: number,
  c: number,
  allowWasm = true,
): (w: Float64Array, grad: Float64Array) => number {
  const first = firstPart(design, y, sampleWeight, K, allowWasm);
  const second = secondPart({ design, y, sampleWeight, classes: K });
  const other = partObjective(second.design, second.y, second.sampleWeight, K, allowWasm);
  const otherGrad = new Float64Array(freeRows(K) * (design.width + 1));
  return (w, grad) => {
    const loss = first(w, grad) + other(w, otherGrad);
    return withPenalty(loss, w, grad, otherGrad, design.width, K, c);
  };
}

/**
 * As `logisticObjective`, with the second part's term from `partner` while this thread computes
 * the first's. A partner that fails hands its part back: it is computed here from then on (the
 * same bits).
 */
export function logisticObjectiveWith(
  design: DesignMatrix,
  y: Int32Array,
  sampleWeight: Float64Array,
  K: number,
  c: number,
  partner: LogisticPartner,
): { evaluate: (w: Float64Array, grad: Float64Array) => number; partnered: () => boolean } {
  const first = firstPart(design, y, sampleWeight, K, true);
  let here: ((w: Float64Array, grad: Float64Array) => number) | undefined;
  let answered = false;
  const otherGrad = new Float64Array(freeRows(K) * (design.width + 1));
  const evaluate = (w: Float64Array, grad: Float64Array): number => {
    let asked = false;
    if (!here) {
      try {
        partner.send(w);
        asked = true;
      } catch {
        // Computed here below.
      }
    }
    let loss = first(w, grad);
    let other: number | undefined;
    if (asked) {
      try {
        other = partner.receive(otherGrad);
        answered = true;
      } catch {
        other = undefined;
      }
    }
    if (other === undefined) {
      if (!here) {
        partner.dispose();
        const second = secondPart({ design, y, sampleWeight, classes: K });
        here = partObjective(second.design, second.y, second.sampleWeight, K, true);
      }
      other = here(w, otherGrad);
    }
    loss += other;
    return withPenalty(loss, w, grad, otherGrad, design.width, K, c);
  };
  /** Whether the partner answered at least once. */
  return { evaluate, partnered: () => answered };
}

function firstPart(design: DesignMatrix, y: Int32Array, sampleWeight: Float64Array, K: number, allowWasm: boolean): (w: Float64Array, grad: Float64Array) => number {
  const h = splitRow(design.rows);
  return partObjective(designPart(design, 0, h), y.subarray(0, h), sampleWeight.subarray(0, h), K, allowWasm);
}

/** grad += otherGrad, then the penalty: its gradient into `grad`, the objective's value returned. */
function withPenalty(loss: number, w: Float64Array, grad: Float64Array, otherGrad: Float64Array, width: number, K: number, c: number): number {
  for (let q = 0; q < grad.length; q++) grad[q]! += otherGrad[q]!;
  const free = freeRows(K);
  const stride = width + 1;
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
}
