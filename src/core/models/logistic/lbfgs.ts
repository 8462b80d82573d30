/** Objective value at x, with its gradient written into `grad`. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;
export type AsyncObjective = (x: Float64Array, grad: Float64Array) => Promise<number>;

/** A point the optimiser needs: the caller writes the gradient at `x` into `grad` and sends back the value. */
export interface Evaluation {
  x: Float64Array;
  grad: Float64Array;
}

export interface LbfgsOptions {
  maxIterations: number;
  /** Converged when max |gradient| ≤ tolerance. */
  tolerance: number;
  /**
   * Converged when an iteration lowers the value by at most this share of max(|f_old|, |f_new|, 1):
   * SciPy's L-BFGS-B `ftol` (factr · machine epsilon), which is what stops scikit-learn's lbfgs.
   */
  relativeDecrease: number;
  /** Correction pairs kept. */
  memory: number;
  /** Correction pairs to start from (another run's `pairs`); none by default. */
  pairs?: LbfgsPairs;
  /** Where the vectors live and how dot and axpy run (`jsVectors` by default); `count` vectors of n at most. */
  vectors?: (n: number, count: number) => VectorSpace;
  onIteration?: (iteration: number, value: number, gradientNorm: number) => void;
  signal?: AbortSignal;
}

/** The correction pairs s = Δx, y = Δ∇ an L-BFGS run ended with, oldest first. */
export interface LbfgsPairs {
  S: Float64Array[];
  Y: Float64Array[];
}

/**
 * The optimiser's vectors and its two vector operations, so they can run elsewhere (WebAssembly
 * memory): `alloc` gives a fresh zeroed vector of n (at most `count` of them are asked for), `dot`
 * sums in four partial sums (rows i mod 4) added as ((s0 + s1) + (s2 + s3)) + tail, `axpy` adds
 * element by element; any implementation must give the same bits.
 */
export interface VectorSpace {
  alloc(): Float64Array;
  dot(a: Float64Array, b: Float64Array): number;
  axpy(d: Float64Array, a: number, v: Float64Array): void;
}

export interface LbfgsResult {
  pairs: LbfgsPairs;
  x: Float64Array;
  value: number;
  iterations: number;
  /** Objective evaluations (line-search trials included). */
  evaluations: number;
  converged: boolean;
}

const maxAbs = (v: Float64Array): number => {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!));
  return m;
};

const dot = (a: Float64Array, b: Float64Array): number => {
  const n = a.length;
  const end = n & ~3;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i < end; i += 4) {
    s0 += a[i]! * b[i]!;
    s1 += a[i + 1]! * b[i + 1]!;
    s2 += a[i + 2]! * b[i + 2]!;
    s3 += a[i + 3]! * b[i + 3]!;
  }
  let t = 0;
  for (; i < n; i++) t += a[i]! * b[i]!;
  return s0 + s1 + (s2 + s3) + t;
};

/** d += a · v, four lanes at a time (element by element, so any unrolling gives the same bits). */
const axpy = (d: Float64Array, a: number, v: Float64Array): void => {
  const n = d.length;
  const end = n & ~3;
  let i = 0;
  for (; i < end; i += 4) {
    d[i]! += a * v[i]!;
    d[i + 1]! += a * v[i + 1]!;
    d[i + 2]! += a * v[i + 2]!;
    d[i + 3]! += a * v[i + 3]!;
  }
  for (; i < n; i++) d[i]! += a * v[i]!;
};

/** Plain Float64Arrays and loops. */
export const jsVectors = (n: number): VectorSpace => ({ alloc: () => new Float64Array(n), dot, axpy });

/**
 * Near the optimum the value stops changing in Float64 (its last digits are rounding) while the
 * gradient still points somewhere: Hager and Zhang's approximate Wolfe test accepts a step that
 * leaves the value within rounding and shrinks the slope along d (φ'(α) between 0.9·φ'(0) and
 * −0.8·φ'(0)), so tight gradient tolerances stay reachable.
 */
function flatButCloser(fNew: number, value: number, slopeNew: number, slope: number): boolean {
  if (fNew > value + 1e-12 * Math.abs(value)) return false;
  return slopeNew >= 0.9 * slope && slopeNew <= -0.8 * slope;
}

/** `lbfgs` with an objective computed here. */
export function minimiseLbfgs(f: Objective, x0: Float64Array, options: LbfgsOptions): LbfgsResult {
  const steps = lbfgs(x0, options);
  let step = steps.next();
  while (!step.done) step = steps.next(f(step.value.x, step.value.grad));
  return step.value;
}

/** `lbfgs` with an objective computed elsewhere (a GPU): the same iterations for the same values. */
export async function minimiseLbfgsAsync(f: AsyncObjective, x0: Float64Array, options: LbfgsOptions): Promise<LbfgsResult> {
  const steps = lbfgs(x0, options);
  let step = steps.next();
  while (!step.done) step = steps.next(await f(step.value.x, step.value.grad));
  return step.value;
}

/**
 * Limited-memory BFGS (two-loop recursion) with a backtracking Armijo line search (quadratic
 * interpolation, step 1 first), as a generator that asks for each evaluation, so one
 * implementation serves synchronous and asynchronous objectives. Plain Float64 arithmetic in a
 * fixed order: deterministic. Pairs with s·y ≤ 0 are skipped, which keeps the direction a descent
 * direction.
 */
export function* lbfgs(x0: Float64Array, options: LbfgsOptions): Generator<Evaluation, LbfgsResult, number> {
  const n = x0.length;
  const { maxIterations, tolerance, memory, relativeDecrease } = options;
  const initial = Math.min(memory, options.pairs?.S.length ?? 0);
  const space = (options.vectors ?? jsVectors)(n, 2 * (memory + 1) + 5);
  const { dot, axpy } = space;
  // Vectors go back to `spare` when dropped, so the space is never asked for more than it holds.
  const spare: Float64Array[] = [];
  const take = (from?: Float64Array): Float64Array => {
    const v = spare.pop() ?? space.alloc();
    if (from) v.set(from);
    else v.fill(0);
    return v;
  };
  let x = take(x0);
  let g = take();
  let value = yield { x, grad: g };
  let evaluations = 1;
  let converged = false;
  const S: Float64Array[] = (options.pairs?.S ?? []).slice(-initial).map((v) => take(v));
  const Y: Float64Array[] = (options.pairs?.Y ?? []).slice(-initial).map((v) => take(v));
  const rho: number[] = S.map((v, j) => 1 / dot(v, Y[j]!));
  const alpha = new Float64Array(memory);
  const d = take();
  let xNew = take();
  let gNew = take();
  let s: Float64Array = take();
  let y: Float64Array = take();
  let iterations = 0;
  let gradientNorm = maxAbs(g);
  if (gradientNorm <= tolerance) converged = true;
  while (!converged && iterations < maxIterations) {
    options.signal?.throwIfAborted();
    // d = −H g by the two-loop recursion; H₀ = (s·y / y·y) I.
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    for (let j = S.length - 1; j >= 0; j--) {
      const a = rho[j]! * dot(S[j]!, d);
      alpha[j] = a;
      axpy(d, -a, Y[j]!);
    }
    const last = S.length - 1;
    const gamma = last >= 0 ? 1 / (rho[last]! * dot(Y[last]!, Y[last]!)) : 1 / Math.max(1, Math.sqrt(dot(g, g)));
    for (let i = 0; i < n; i++) d[i]! *= gamma;
    for (let j = 0; j < S.length; j++) {
      const b = rho[j]! * dot(Y[j]!, d);
      axpy(d, alpha[j]! - b, S[j]!);
    }
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      spare.push(...S, ...Y);
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      slope = -dot(g, g);
    }
    let step = 1;
    let accepted = false;
    let fNew = value;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * d[i]!;
      fNew = yield { x: xNew, grad: gNew };
      evaluations++;
      if (Number.isFinite(fNew) && (fNew <= value + 1e-4 * step * slope || flatButCloser(fNew, value, dot(gNew, d), slope))) {
        accepted = true;
        break;
      }
      const q = Number.isFinite(fNew) ? (-slope * step * step) / (2 * (fNew - value - slope * step)) : 0.1 * step;
      step = Math.min(0.5 * step, Math.max(0.1 * step, q));
    }
    if (!accepted) break;
    iterations++;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i]! - x[i]!;
      y[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
      // The pair that falls out of memory lends its arrays to the next one.
      if (S.length > memory) {
        s = S.shift()!;
        y = Y.shift()!;
        rho.shift();
      } else {
        s = take();
        y = take();
      }
    }
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    const decrease = value - fNew;
    value = fNew;
    gradientNorm = maxAbs(g);
    options.onIteration?.(iterations, value, gradientNorm);
    if (gradientNorm <= tolerance || decrease <= relativeDecrease * Math.max(Math.abs(value + decrease), Math.abs(value), 1)) converged = true;
  }
  return { x: Float64Array.from(x), value, iterations, evaluations, converged, pairs: { S, Y } };
}
