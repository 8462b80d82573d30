import type { DesignMatrix } from './recipe.ts';

/**
 * Free rows of weights for K classes: 1 for two classes (class 0's logit fixed at 0, a sigmoid),
 * else K. Free row r is class `K − free + r`.
 */
export const freeRows = (classes: number): number => (classes === 2 ? 1 : classes);

/**
 * Class probabilities of row i of a design matrix into `p` (K values), from weights
 * free × (width + 1) with the intercept last; the logits are left in `z` (K) and log Σ exp(z) is
 * returned, so −log p_k = that − z_k without underflow.
 */
export function rowProbabilities(w: Float64Array, design: DesignMatrix, i: number, K: number, z: Float64Array, p: Float64Array): number {
  const { width, dense, x, groups, hot } = design;
  const free = freeRows(K);
  const first = K - free;
  const stride = width + 1;
  const base = i * dense;
  const hotBase = i * groups;
  let max = 0;
  if (first === 1) z[0] = 0;
  for (let r = 0; r < free; r++) {
    const off = r * stride;
    let s = w[off + width]!;
    for (let j = 0; j < dense; j++) s += w[off + j]! * x[base + j]!;
    for (let g = 0; g < groups; g++) s += w[off + hot[hotBase + g]!]!;
    z[first + r] = s;
    if (r === 0 && first === 0) max = s;
    else if (s > max) max = s;
  }
  let sum = 0;
  for (let k = 0; k < K; k++) {
    const e = Math.exp(z[k]! - max);
    p[k] = e;
    sum += e;
  }
  for (let k = 0; k < K; k++) p[k]! /= sum;
  return max + Math.log(sum);
}

/**
 * The multinomial L2 objective divided by the total weight Σ sᵢ, scikit-learn's (same optimum):
 * (Σ sᵢ · −log p_{yᵢ} + ½ ‖W‖² / C) / Σ sᵢ, intercepts unpenalised; its gradient into `grad`.
 */
export function logisticObjective(
  design: DesignMatrix,
  y: Int32Array,
  sampleWeight: Float64Array,
  K: number,
  c: number,
): (w: Float64Array, grad: Float64Array) => number {
  const { rows: n, width, dense, x, groups, hot } = design;
  const free = freeRows(K);
  const first = K - free;
  const stride = width + 1;
  let total = 0;
  for (let i = 0; i < n; i++) total += sampleWeight[i]!;
  const z = new Float64Array(K);
  const p = new Float64Array(K);
  return (w, grad) => {
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const s = sampleWeight[i]!;
      if (s === 0) continue;
      const base = i * dense;
      const hotBase = i * groups;
      const lse = rowProbabilities(w, design, i, K, z, p);
      const yi = y[i]!;
      loss += s * (lse - z[yi]!);
      for (let r = 0; r < free; r++) {
        const k = first + r;
        const gk = s * (p[k]! - (k === yi ? 1 : 0));
        if (gk === 0) continue;
        const off = r * stride;
        for (let j = 0; j < dense; j++) grad[off + j]! += gk * x[base + j]!;
        for (let g = 0; g < groups; g++) grad[off + hot[hotBase + g]!]! += gk;
        grad[off + width]! += gk;
      }
    }
    let penalty = 0;
    for (let r = 0; r < free; r++) {
      const off = r * stride;
      for (let j = 0; j < width; j++) {
        const v = w[off + j]!;
        penalty += v * v;
        grad[off + j]! += v / c;
      }
    }
    for (let q = 0; q < grad.length; q++) grad[q]! /= total;
    return (loss + (0.5 * penalty) / c) / total;
  };
}
