/** Objective value at x, with its gradient written into `grad`. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  maxIterations: number;
  /** Converged when max |gradient| ≤ tolerance. */
  tolerance: number;
  /** Correction pairs kept. */
  memory: number;
  onIteration?: (iteration: number, value: number, gradientNorm: number) => void;
  signal?: AbortSignal;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  converged: boolean;
}

const maxAbs = (v: Float64Array): number => {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!));
  return m;
};

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

/**
 * Limited-memory BFGS (two-loop recursion) with a backtracking Armijo line search (quadratic
 * interpolation, step 1 first). Plain Float64 arithmetic in a fixed order: deterministic. Pairs with
 * s·y ≤ 0 are skipped, which keeps the direction a descent direction.
 */
export function minimiseLbfgs(f: Objective, x0: Float64Array, options: LbfgsOptions): LbfgsResult {
  const n = x0.length;
  const { maxIterations, tolerance, memory } = options;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let value = f(x, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(memory);
  const d = new Float64Array(n);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  let iterations = 0;
  let gradientNorm = maxAbs(g);
  while (gradientNorm > tolerance && iterations < maxIterations) {
    options.signal?.throwIfAborted();
    // d = −H g by the two-loop recursion; H₀ = (s·y / y·y) I.
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    for (let j = S.length - 1; j >= 0; j--) {
      const a = rho[j]! * dot(S[j]!, d);
      alpha[j] = a;
      const y = Y[j]!;
      for (let i = 0; i < n; i++) d[i]! -= a * y[i]!;
    }
    const last = S.length - 1;
    const gamma = last >= 0 ? 1 / (rho[last]! * dot(Y[last]!, Y[last]!)) : 1 / Math.max(1, Math.sqrt(dot(g, g)));
    for (let i = 0; i < n; i++) d[i]! *= gamma;
    for (let j = 0; j < S.length; j++) {
      const b = rho[j]! * dot(Y[j]!, d);
      const s = S[j]!;
      const a = alpha[j]!;
      for (let i = 0; i < n; i++) d[i]! += (a - b) * s[i]!;
    }
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      slope = -dot(g, g);
    }
    let step = 1;
    let accepted = false;
    let fNew = value;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * d[i]!;
      fNew = f(xNew, gNew);
      if (Number.isFinite(fNew) && fNew <= value + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      const q = Number.isFinite(fNew) ? (-slope * step * step) / (2 * (fNew - value - slope * step)) : 0.1 * step;
      step = Math.min(0.5 * step, Math.max(0.1 * step, q));
    }
    if (!accepted) break;
    iterations++;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i]! - x[i]!;
      y[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (S.length === memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    const decrease = value - fNew;
    value = fNew;
    gradientNorm = maxAbs(g);
    options.onIteration?.(iterations, value, gradientNorm);
    // Stalled: no representable progress left.
    if (decrease <= 1e-15 * Math.max(1, Math.abs(value)) && gradientNorm > tolerance) break;
  }
  return { x, value, iterations, converged: gradientNorm <= tolerance };
}
