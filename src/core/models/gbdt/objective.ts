import type { ScratchMath } from './objective-math.ts';

/**
 * The two objectives: binary logistic (one output, the margin of class 1) and multi-class softmax
 * (one output per class). Margins are row-major: row i, output k at `margins[i * outputs + k]`.
 */
export const EPS = 1e-16;
const CLIP = 1e-15;

export function outputsFor(classes: number): number {
  return classes === 2 ? 1 : classes;
}

/** The starting margins: the log-odds of the weighted class-1 share, or the log of each class's share. */
export function baseMargin(y: Int32Array, weights: Float64Array | undefined, classes: number): Float64Array {
  const share = new Float64Array(classes);
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const w = weights ? weights[i]! : 1;
    share[y[i]!]! += w;
    total += w;
  }
  const p = (c: number): number => Math.min(1 - 1e-6, Math.max(1e-6, share[c]! / total));
  if (classes === 2) return Float64Array.of(Math.log(p(1) / (1 - p(1))));
  return Float64Array.from({ length: classes }, (_, c) => Math.log(p(c)));
}

/** Class probabilities from margins, as Float64 (n × classes). */
export function probabilities(margins: Float64Array, n: number, classes: number): Float64Array {
  const out = new Float64Array(n * classes);
  if (classes === 2) {
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-margins[i]!));
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const row = i * classes;
    let max = -Infinity;
    for (let k = 0; k < classes; k++) max = Math.max(max, margins[row + k]!);
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += out[row + k] = Math.exp(margins[row + k]! - max);
    for (let k = 0; k < classes; k++) out[row + k]! /= sum;
  }
  return out;
}

/**
 * Gradient and hessian of output k for every row, weighted (returned: the largest |g| and h), from the probabilities at the start of
 * the round (as XGBoost: all of a round's trees see the same gradients). Softmax uses XGBoost's
 * hessian 2·p·(1 − p).
 */
export function gradients(
  proba: Float64Array,
  y: Int32Array,
  weights: Float64Array | undefined,
  classes: number,
  k: number,
  g: Float64Array,
  h: Float64Array,
): { g: number; h: number } {
  const cls = classes === 2 ? 1 : k;
  const factor = classes === 2 ? 1 : 2;
  let gMax = 0;
  let hMax = 0;
  for (let i = 0; i < y.length; i++) {
    const p = proba[i * classes + cls]!;
    const w = weights ? weights[i]! : 1;
    const gi = (p - (y[i] === cls ? 1 : 0)) * w;
    const hi = Math.max(factor * p * (1 - p), EPS) * w;
    g[i] = gi;
    h[i] = hi;
    gMax = Math.max(gMax, Math.abs(gi));
    hMax = Math.max(hMax, hi);
  }
  return { g: gMax, h: hMax };
}

/** Weighted mean log loss. */
export function logLoss(proba: Float64Array, y: Int32Array, weights: Float64Array | undefined, classes: number): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const w = weights ? weights[i]! : 1;
    const p = Math.min(1 - CLIP, Math.max(CLIP, proba[i * classes + y[i]!]!));
    sum -= w * Math.log(p);
    total += w;
  }
  return total > 0 ? sum / total : 0;
}

/** The log loss of one row is clipped as `logLoss` clips probabilities to [1e−15, 1 − 1e−15]. */
const LN2 = Math.LN2;

/**
 * Where the loss's row sum splits in two (an even row, so each part's SIMD pairs stay its own):
 * the loss is Σ over the rows before it plus Σ over the rest, on one thread or two alike.
 */
export function splitRow(n: number): number {
  return (n >> 1) & ~1;
}
export const LOSS_MAX = -Math.log(CLIP);
export const LOSS_MIN = -Math.log1p(-CLIP);

/**
 * `probabilities` into `proba` and the weighted mean log loss, with `math`'s exp and log1p
 * (math.values: room for n × classes values). Binary, stably for any margin m: a = exp(−|m|) ≤ 1,
 * p = 1 / (1 + a) (m ≥ 0) or a / (1 + a), and a row's loss is softplus(∓m) = max(∓m, 0) + log1p(a)
 * (the kernel's log1p is for values in [0, 1]). Softmax: e_k = exp(m_k − max), p_k = e_k / S,
 * loss = log S + max − m_y, log S as log1p(f − 1) + j·ln2 for S = f · 2^j, f in [1, 2).
 */
export function probabilitiesAndLoss(
  margins: Float64Array,
  n: number,
  classes: number,
  y: Int32Array,
  weights: Float64Array | undefined,
  proba: Float64Array,
  math: ScratchMath,
): number {
  // Each loop is a function of its own: V8 optimises a loop inside a longer function on the stack,
  // then throws that code away at the first statement after it that had not run yet (hundreds of
  // times in a training, each costing more than the loop).
  const e = math.values;
  if (classes === 2) {
    negatedAbs(margins, n, e);
    math.exp(0, n);
    sigmoids(margins, n, e, proba);
    math.log1p(0, n);
    return binaryLoss(margins, n, e, y, weights);
  }
  shiftedByRowMax(margins, n, classes, e);
  math.exp(0, n * classes);
  const shifts = new Float64Array(n);
  softmaxRows(margins, n, classes, e, proba, shifts);
  math.log1p(0, n);
  return softmaxLoss(margins, n, classes, e, shifts, y, weights);
}

function negatedAbs(margins: Float64Array, n: number, e: Float64Array): void {
  for (let i = 0; i < n; i++) e[i] = -Math.abs(margins[i]!);
}

/** p from a = exp(−|m|): 1 / (1 + a) for m ≥ 0, a / (1 + a) below. */
function sigmoids(margins: Float64Array, n: number, e: Float64Array, proba: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const a = e[i]!;
    const p = margins[i]! >= 0 ? 1 / (1 + a) : a / (1 + a);
    proba[2 * i] = 1 - p;
    proba[2 * i + 1] = p;
  }
}

/** The weighted mean of softplus(∓m) = max(∓m, 0) + log1p(exp(−|m|)), log1p(…) being in `l`. */
function binaryLoss(margins: Float64Array, n: number, l: Float64Array, y: Int32Array, weights: Float64Array | undefined): number {
  // Summed in two parts, rows before splitRow(n) and the rest, as the kernels may on two threads.
  const sums = [0, 0];
  let total = 0;
  const half = splitRow(n);
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    const m = margins[i]!;
    const loss = Math.max(y[i] === 1 ? 0 - m : m, 0) + l[i]!;
    sums[i < half ? 0 : 1]! += w * Math.min(LOSS_MAX, Math.max(LOSS_MIN, loss));
    total += w;
  }
  return total > 0 ? (sums[0]! + sums[1]!) / total : 0;
}

function shiftedByRowMax(margins: Float64Array, n: number, classes: number, e: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const row = i * classes;
    let max = -Infinity;
    for (let k = 0; k < classes; k++) max = Math.max(max, margins[row + k]!);
    for (let k = 0; k < classes; k++) e[row + k] = margins[row + k]! - max;
  }
}

/**
 * Softmax from e_k = exp(m_k − max) into `proba`; then, for the loss, S = f · 2^j with f in [1, 2)
 * (S ≥ 1, a term being e^0; halved exactly), e[i] = f − 1 (row i's values end at e[i·K + K − 1] ≥
 * e[i], so e[i] is free) and shifts[i] = max + j·ln2: log S + max = log1p(f − 1) + shifts[i].
 */
function softmaxRows(margins: Float64Array, n: number, classes: number, e: Float64Array, proba: Float64Array, shifts: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const row = i * classes;
    let s = 0;
    let max = -Infinity;
    for (let k = 0; k < classes; k++) {
      s += e[row + k]!;
      max = Math.max(max, margins[row + k]!);
    }
    for (let k = 0; k < classes; k++) proba[row + k] = e[row + k]! / s;
    let j = 0;
    for (; s >= 2; j++) s *= 0.5;
    e[i] = s - 1;
    shifts[i] = max + j * LN2;
  }
}

/** The weighted mean of log S + max − m_y, as log1p(f − 1) (in `logF`) + shifts[i] − m_y. */
function softmaxLoss(margins: Float64Array, n: number, classes: number, logF: Float64Array, shifts: Float64Array, y: Int32Array, weights: Float64Array | undefined): number {
  // In two parts, as binaryLoss.
  const sums = [0, 0];
  let total = 0;
  const half = splitRow(n);
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    const loss = logF[i]! + shifts[i]! - margins[i * classes + y[i]!]!;
    sums[i < half ? 0 : 1]! += w * Math.min(LOSS_MAX, Math.max(LOSS_MIN, loss));
    total += w;
  }
  return total > 0 ? (sums[0]! + sums[1]!) / total : 0;
}
