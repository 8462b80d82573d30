import { rowKernels, type RowKernels } from './boost-rows-wasm.ts';
import { gradients, outputsFor, probabilitiesAndLoss, splitRow } from './objective.ts';
import { scratchMath } from './objective-math.ts';
import { quantise, unitFor, type Quantised } from './quantise.ts';

/** The arrays one tree of a round grows from, and its rows' leaves. */
export interface RowSet {
  g: Float64Array;
  h: Float64Array;
  active: Uint8Array;
  nodeOfRow: Int32Array;
  q: Quantised | undefined;
}

/**
 * The per-row state of boosting and the loops over it: margins, probabilities, gradients and their
 * fixed-point form, leaves. `sets` RowSets let a round's trees (one per class) grow at once.
 */
export interface BoostRows {
  /** Row-major: row i, output k at `margins[i * outputs + k]`. */
  readonly margins: Float64Array;
  readonly sets: RowSet[];
  /** Probabilities from the margins (kept for `gradients`), and the weighted mean log loss. */
  evaluate(): number;
  /** Gradient and hessian of output k into set j; returns the largest |g| and h. */
  gradients(k: number, j: number): { g: number; h: number };
  /** Set j's gradients in fixed point, and its active rows (drawn, when given, once per row in order, and not both 0). */
  quantise(j: number, max: { g: number; h: number }, drawn?: () => boolean): Quantised;
  /** Adds each row's leaf value (set j's nodeOfRow into `value`) to output k. */
  addLeaves(k: number, j: number, value: Float64Array): void;
  /** With `shared`: the rows' memory and layout, for a partner thread's `evaluateRows`. */
  readonly shared?: SharedRows;
  /**
   * `evaluate` with the rows from `splitRow(n)` on evaluated by `partner` (another thread, on the
   * shared memory): the same probabilities and loss, bit for bit.
   */
  evaluateWith?(partner: (from: number, to: number) => Promise<number>): Promise<number>;
}

/** A shared row memory as a partner thread needs it (structured-cloneable). */
export interface SharedRows {
  memory: WebAssembly.Memory;
  layout: RowsLayout;
  rows: number;
  classes: number;
}

/** Byte addresses of the row arrays in a rows memory (wasmRows). */
export interface RowsLayout {
  margins: number;
  proba: number;
  e: number;
  sums: number;
  maxima: number;
  y: number;
  w: number;
  /** Each RowSet's arrays. */
  sets: { g: number; h: number; gq: number; hq: number; nodeOfRow: number; active: number; drawn: number }[];
  /** 16 bytes: a partner thread's gradient maxima (the caller's are at 0). */
  partnerOut: number;
}

/**
 * Class c's gradients into set j of shared rows and their fixed point, all rows active but those
 * whose g and h are both 0 (no row sampling), as BoostRows' gradients then quantise: a partner
 * thread's way to a tree's input without the caller computing and sending it. Views of the shared
 * memory: the tree's leaves go into `nodeOfRow` there.
 */
export function quantiseShared(k: RowKernels, shared: SharedRows, c: number, j: number): { q: Quantised; active: Uint8Array; nodeOfRow: Int32Array } {
  const { memory, layout: at, rows: n, classes: K } = shared;
  const s = at.sets[j]!;
  const q = quantiseSet(k, memory, at, n, j, gradientsOf(k, memory, at, n, K, c, j, at.partnerOut), 0);
  return { q, active: new Uint8Array(memory.buffer, s.active, n), nodeOfRow: new Int32Array(memory.buffer, s.nodeOfRow, n) };
}

/** Class c's gradients into set j (BoostRows.gradients), their maxima left at byte `out`. */
function gradientsOf(k: RowKernels, memory: WebAssembly.Memory, at: RowsLayout, n: number, K: number, c: number, j: number, out: number): { g: number; h: number } {
  const s = at.sets[j]!;
  k.gradients(at.proba, at.y, at.w, n, K, K === 2 ? 1 : c, K === 2 ? 1 : 2, s.g, s.h, out);
  const [g, h] = new Float64Array(memory.buffer, out, 2);
  return { g: g!, h: h! };
}

/** Set j's gradients in fixed point (BoostRows.quantise), rows drawn where `drawnAt` (0: all). */
function quantiseSet(k: RowKernels, memory: WebAssembly.Memory, at: RowsLayout, n: number, j: number, max: { g: number; h: number }, drawnAt: number): Quantised {
  const s = at.sets[j]!;
  const gUnit = unitFor(max.g);
  const hUnit = unitFor(max.h);
  k.quantise(s.g, s.h, n, 1 / gUnit, 1 / hUnit, drawnAt, s.gq, s.hq, s.active);
  return { g: new Int32Array(memory.buffer, s.gq, n), h: new Int32Array(memory.buffer, s.hq, n), gUnit, hUnit };
}

/**
 * Probabilities of rows [from, to) from their margins, and their loss sum (unweighted by the
 * total): evaluate's kernels on a row range. `from` is 0 or splitRow(n), so the in-place pairs of
 * the first range end at its last row (an even count).
 */
export function evaluateRows(k: RowKernels, at: RowsLayout, K: number, from: number, to: number): number {
  const count = to - from;
  if (K === 2) {
    const [m, e] = [at.margins + 8 * from, at.e + 8 * from];
    k.negAbs(m, e, count);
    k.exp(e, count);
    k.sigmoids(m, e, at.proba + 16 * from, count);
    k.log1p(e, count);
    return k.binaryLoss(m, e, at.y + 4 * from, at.w + 8 * from, count);
  }
  const [m, e, sums, maxima] = [at.margins + 8 * K * from, at.e + 8 * K * from, at.sums + 8 * from, at.maxima + 8 * from];
  k.rowMaxShift(m, e, count, K);
  k.exp(e, count * K);
  k.softmaxRows(m, e, at.proba + 8 * K * from, sums, maxima, count, K);
  k.log1p(sums, count);
  return k.softmaxLoss(sums, maxima, m, at.y + 4 * from, at.w + 8 * from, count, K);
}

export interface BoostRowsOptions {
  y: Int32Array;
  weights: Float64Array | undefined;
  classes: number;
  /** Starting margins, one per output. */
  base: Float64Array;
  /** RowSets wanted (0 for rows that are only scored, such as validation rows). */
  sets: number;
  /** Values in a tree (2^(depth+1) − 1). */
  treeSize: number;
  /** false: the JS loops (the reference). */
  allowWasm?: boolean;
  /** In shared memory where the host has it (`shared`, `evaluateWith`), for a partner thread. */
  shared?: boolean;
}

/** Beyond this, the JS loops (a 32-bit memory, and browsers refuse more in one piece). */
const WASM_LIMIT = 1 << 30;

/** The loops in WebAssembly where the host has it and the rows fit, else in JS: the same bits either way. */
export function boostRows(options: BoostRowsOptions): BoostRows {
  const rows = options.allowWasm === false ? null : wasmRows(options);
  const out = rows ?? jsRows(options);
  const outputs = outputsFor(options.classes);
  for (let i = 0; i < options.y.length; i++) out.margins.set(options.base, i * outputs);
  return out;
}

function jsRows({ y, weights, classes: K, sets }: BoostRowsOptions): BoostRows {
  const n = y.length;
  const outputs = outputsFor(K);
  const margins = new Float64Array(n * outputs);
  const proba = new Float64Array(n * K);
  const math = scratchMath(n * K);
  const all = Array.from({ length: sets }, () => ({ g: new Float64Array(n), h: new Float64Array(n), active: new Uint8Array(n), nodeOfRow: new Int32Array(n), q: undefined as Quantised | undefined }));
  return {
    margins,
    sets: all,
    evaluate: () => probabilitiesAndLoss(margins, n, K, y, weights, proba, math),
    gradients: (k, j) => gradients(proba, y, weights, K, k, all[j]!.g, all[j]!.h),
    quantise: (j, max, drawn) => {
      const set = all[j]!;
      return (set.q = quantise(set.g, set.h, { max, out: set.q, active: set.active, drawn }));
    },
    addLeaves: (k, j, value) => addLeafValues(margins, outputs, k, value, all[j]!.nodeOfRow),
  };
}

/** Adds each row's leaf value to its margin of output k (a loop of its own, which V8 optimises alone). */
function addLeafValues(margins: Float64Array, outputs: number, k: number, value: Float64Array, nodeOfRow: Int32Array): void {
  for (let i = 0; i < nodeOfRow.length; i++) margins[i * outputs + k]! += value[nodeOfRow[i]!]!;
}

/**
 * Every array in one WebAssembly memory, 16-byte aligned (address 0: the kernels' two results, so
 * no array starts at 0, which `quantise` reads as "no drawn rows").
 */
function wasmRows({ y, weights, classes: K, sets, treeSize, shared: wantShared }: BoostRowsOptions): BoostRows | null {
  const n = y.length;
  const outputs = outputsFor(K);
  let end = 16;
  const place = (bytes: number): number => {
    const start = end;
    end += Math.ceil(bytes / 16) * 16;
    return start;
  };
  const even = n * K + ((n * K) % 2);
  const at = {
    margins: place(8 * n * outputs),
    proba: place(8 * n * K),
    e: place(8 * even),
    sums: place(K > 2 ? 8 * (n + (n % 2)) : 0),
    maxima: place(K > 2 ? 8 * n : 0),
    y: place(4 * n),
    w: place(8 * n),
    value: place(8 * treeSize),
    sets: Array.from({ length: sets }, () => ({ g: place(8 * n), h: place(8 * n), gq: place(4 * n), hq: place(4 * n), nodeOfRow: place(4 * n), active: place(n), drawn: place(n) })),
    partnerOut: place(16),
  };
  if (end > WASM_LIMIT) return null;
  let memory: WebAssembly.Memory | undefined;
  let kernels: RowKernels | null;
  const pages = Math.ceil(end / 65536);
  try {
    // No shared memory here (a page that is not cross-origin isolated): this thread's own.
    if (wantShared) memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    memory = undefined;
  }
  try {
    memory ??= new WebAssembly.Memory({ initial: pages });
    kernels = rowKernels(memory);
  } catch {
    return null; // no memory for it: the JS loops
  }
  if (!kernels) return null;
  const k = kernels;
  const buffer = memory.buffer;
  const f64 = (p: number, length: number) => new Float64Array(buffer, p, length);
  const i32 = (p: number, length: number) => new Int32Array(buffer, p, length);
  i32(at.y, n).set(y);
  const w = f64(at.w, n);
  if (weights) w.set(weights);
  else w.fill(1);
  // The loss divides by Σ w, summed in row order as the JS loop does.
  let total = 0;
  for (let i = 0; i < n; i++) total += w[i]!;
  const margins = f64(at.margins, n * outputs);
  const value = f64(at.value, treeSize);
  const all = at.sets.map((s) => ({
    g: f64(s.g, n),
    h: f64(s.h, n),
    active: new Uint8Array(buffer, s.active, n),
    nodeOfRow: i32(s.nodeOfRow, n),
    drawn: new Uint8Array(buffer, s.drawn, n),
    q: undefined as Quantised | undefined,
  }));
  const mean = (sum: number): number => (total > 0 ? sum / total : 0);
  const half = splitRow(n);
  const isShared = typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer;
  return {
    margins,
    sets: all,
    evaluate: () => mean(evaluateRows(k, at, K, 0, half) + evaluateRows(k, at, K, half, n)),
    shared: isShared ? { memory, layout: at, rows: n, classes: K } : undefined,
    evaluateWith: isShared
      ? async (partner) => {
          const theirs = partner(half, n);
          const mine = evaluateRows(k, at, K, 0, half);
          return mean(mine + (await theirs));
        }
      : undefined,
    gradients: (c, j) => gradientsOf(k, memory, at, n, K, c, j, 0),
    quantise: (j, max, drawn) => {
      const set = all[j]!;
      if (drawn) fillDrawn(set.drawn, drawn);
      return (set.q = quantiseSet(k, memory, at, n, j, max, drawn ? at.sets[j]!.drawn : 0));
    },
    addLeaves: (c, j, leaves) => {
      value.set(leaves);
      k.addLeaves(at.margins, outputs, c, at.value, at.sets[j]!.nodeOfRow, n);
    },
  };
}

function fillDrawn(out: Uint8Array, drawn: () => boolean): void {
  for (let i = 0; i < out.length; i++) out[i] = drawn() ? 1 : 0;
}
