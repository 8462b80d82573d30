import { EXP_WASM, LOG1P_WASM } from '../wasm-math.ts';
import { compileOnce, F64, I32, op, wasmModule, type WasmFunction } from '../wasm-module.ts';
import { EPS, LOSS_MAX, LOSS_MIN } from './objective.ts';

/*
 * The per-row loops of a boosting round (objective.ts, quantise.ts, trainGbdt's leaf values) in
 * WebAssembly, without a branch on data. The JS loops branch on a row's class and a margin's sign,
 * and V8 compiles Math.max, a scalar f64.max or f64 `select` to branches too (for NaN and −0),
 * which the CPU cannot predict: ~5 ns each here, most of a JS loop's 10–15 ns a row. So:
 * - maxima and minima are SIMD pmax / pmin (one instruction: a < b ? b : a), used only where their
 *   answer equals Math.max / Math.min's (said at each use: they differ on NaN and on −0 vs +0);
 * - a choice between two values is a lane mask (v128.bitselect), a class test a 0 / 1 conversion;
 * - truncation to i32 goes through i32x4.trunc_sat (V8's scalar one branches as well).
 * Each kernel does the IEEE operations of its JS twin in the same order, so both give the same bits.
 * Arguments are byte addresses into the module's memory (see boost-rows.ts for its layout); `n`
 * counts rows.
 */

/** Locals after the parameters: i (the row) first, then the kernel's own. */
const at = (base: number, index: number[][], shift: number): number[][] => [op.get(base), ...index, op.i32(shift), op.i32Shl, op.i32Add];
const row = (i: number): number[][] => [op.get(i)];
/** row·K + k */
const cell = (i: number, K: number, k: number): number[][] => [op.get(i), op.get(K), op.i32Mul, op.get(k), op.i32Add];

/** a < b ? b : a (pmax) and b < a ? b : a (pmin): Math.max / Math.min but for a NaN b (gives a) and −0 vs +0 (gives a). */
const pmax = (a: number[][], b: number[][]): number[][] => [...a, op.f64x2Splat, ...b, op.f64x2Splat, op.f64x2Pmax, op.f64x2ExtractLane(0)];
const pmin = (a: number[][], b: number[][]): number[][] => [...a, op.f64x2Splat, ...b, op.f64x2Splat, op.f64x2Pmin, op.f64x2ExtractLane(0)];
/** An i32 test (0 / 1) as the f64 0 or 1. */
const asF64 = (test: number[][]): number[][] => [...test, op.f64ConvertI32S];
/** ⌊x⌉ of an integral f64 as i32 (saturating), branch-free. */
const toI32 = (x: number[][]): number[][] => [...x, op.f64x2Splat, op.i32x4TruncSatF64x2SZero, op.i32x4ExtractLane(0)];

function forRows(i: number, n: number, body: number[][]): number[][] {
  return [op.i32(0), op.set(i), op.block, op.loop, op.get(i), op.get(n), op.i32GeU, op.brIf(1), ...body, op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(0), op.end, op.end];
}

// negAbs(m, e, n): e[i] = −|m[i]|.
const NEG_ABS: WasmFunction = {
  name: 'negAbs',
  params: [I32, I32, I32],
  results: [],
  locals: [I32],
  body: forRows(3, 2, [...at(1, row(3), 3), ...at(0, row(3), 3), op.f64Load(), op.f64Abs, op.f64Neg, op.f64Store()]),
};

// sigmoids(m, e, proba, n): a = e[i] (exp(−|m|)); p = 1 / (1 + a) when m ≥ 0, else a / (1 + a)
// (the numerator chosen by a lane mask); proba[2i] = 1 − p, proba[2i + 1] = p.
const SIGMOIDS: WasmFunction = (() => {
  const [m, e, proba, n, i, a, p] = [0, 1, 2, 3, 4, 5, 6];
  return {
    name: 'sigmoids',
    params: [I32, I32, I32, I32],
    results: [],
    locals: [I32, F64, F64],
    body: forRows(i, n, [
      ...at(e, row(i), 3), op.f64Load(), op.set(a),
      op.f64Const(1), op.f64x2Splat, op.get(a), op.f64x2Splat,
      ...at(m, row(i), 3), op.f64Load(), op.f64x2Splat, op.f64Const(0), op.f64x2Splat, op.f64x2Ge,
      op.v128Bitselect, op.f64x2ExtractLane(0),
      op.f64Const(1), op.get(a), op.f64Add, op.f64Div, op.set(p),
      ...at(proba, row(i), 4), op.f64Const(1), op.get(p), op.f64Sub, op.f64Store(0),
      ...at(proba, row(i), 4), op.get(p), op.f64Store(8),
    ]),
  };
})();

// binaryLoss(m, l, y, w, n) → Σ w·clamp(max(∓m, 0) + l): −m for class 1, m for class 0, as m·(1 − 2·[y = 1]);
// l = log1p(exp(−|m|)) > 0. pmax(±m, 0) is Math.max's but that it may keep a −0, which adding l
// (> 0) erases; the clamp bounds are > 0, so pmax / pmin with the value first keep its NaN.
const BINARY_LOSS: WasmFunction = (() => {
  const [m, l, y, w, n, i, x, sum] = [0, 1, 2, 3, 4, 5, 6, 7];
  return {
    name: 'binaryLoss',
    params: [I32, I32, I32, I32, I32],
    results: [F64],
    locals: [I32, F64, F64],
    body: [
      ...forRows(i, n, [
        ...pmax([...at(m, row(i), 3), op.f64Load(), ...asF64([op.i32(1), op.i32(2), ...at(y, row(i), 2), op.i32Load(), op.i32(1), op.i32Eq, op.i32Mul, op.i32Sub]), op.f64Mul], [op.f64Const(0)]),
        ...at(l, row(i), 3), op.f64Load(), op.f64Add, op.set(x),
        op.get(sum), ...at(w, row(i), 3), op.f64Load(), ...pmin(pmax([op.get(x)], [op.f64Const(LOSS_MIN)]), [op.f64Const(LOSS_MAX)]), op.f64Mul, op.f64Add, op.set(sum),
      ]),
      op.get(sum),
    ],
  };
})();

// rowMaxShift(m, e, n, K): per row, max = the largest of its K margins; e = m − max. pmax(max, m)
// differs from Math.max only in a row holding a NaN (then e is NaN there, so every probability of
// the row is NaN either way) or when the largest margins are −0 and +0 (e = ±0, exp(±0) = 1, and
// the loss adds max to log S: the same sums).
const ROW_MAX_SHIFT: WasmFunction = (() => {
  const [m, e, n, K, i, k, top] = [0, 1, 2, 3, 4, 5, 6];
  return {
    name: 'rowMaxShift',
    params: [I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, F64],
    body: forRows(i, n, [
      op.f64Const(-Infinity), op.set(top),
      ...forRows(k, K, [...pmax([op.get(top)], [...at(m, cell(i, K, k), 3), op.f64Load()]), op.set(top)]),
      ...forRows(k, K, [...at(e, cell(i, K, k), 3), ...at(m, cell(i, K, k), 3), op.f64Load(), op.get(top), op.f64Sub, op.f64Store()]),
    ]),
  };
})();

// softmaxRows(m, e, proba, sums, maxima, n, K): per row, S = Σ e_k in order (e_k = exp(m_k − max)),
// proba_k = e_k / S; S and the row's largest margin (pmax, as rowMaxShift) kept for the loss.
const SOFTMAX_ROWS: WasmFunction = (() => {
  const [m, e, proba, sums, maxima, n, K, i, k, s, top] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  return {
    name: 'softmaxRows',
    params: [I32, I32, I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, F64, F64],
    body: forRows(i, n, [
      op.f64Const(0), op.set(s), op.f64Const(-Infinity), op.set(top),
      ...forRows(k, K, [
        op.get(s), ...at(e, cell(i, K, k), 3), op.f64Load(), op.f64Add, op.set(s),
        ...pmax([op.get(top)], [...at(m, cell(i, K, k), 3), op.f64Load()]), op.set(top),
      ]),
      ...forRows(k, K, [...at(proba, cell(i, K, k), 3), ...at(e, cell(i, K, k), 3), op.f64Load(), op.get(s), op.f64Div, op.f64Store()]),
      ...at(sums, row(i), 3), op.get(s), op.f64Store(),
      ...at(maxima, row(i), 3), op.get(top), op.f64Store(),
    ]),
  };
})();

// gradients(proba, y, w, n, K, cls, factor, g, h, out): g = (p − [y = cls])·w,
// h = max(factor·p·(1 − p), EPS)·w with p = proba[i·K + cls]; out[0], out[1] = max |g|, max h.
// factor·p·(1 − p) ≥ +0 or NaN, so pmax(it, EPS) is Math.max's. The running maxima (pmax) would
// drop a NaN: they add Σ (x − x), which is NaN when some x is NaN or infinite (a unit from either
// is the same, quantise.ts) and 0 otherwise.
const GRADIENTS: WasmFunction = (() => {
  const [proba, y, w, n, K, cls, factor, g, h, out, i, p, gi, hi, wi, gMax, hMax, gBad, hBad] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
  const result = (top: number, bad: number, offset: number): number[][] => [op.get(out), op.get(top), op.get(bad), op.f64Const(0), op.f64Mul, op.f64Add, op.f64Store(offset)];
  return {
    name: 'gradients',
    params: [I32, I32, I32, I32, I32, I32, F64, I32, I32, I32],
    results: [],
    locals: [I32, F64, F64, F64, F64, F64, F64, F64, F64],
    body: [
      ...forRows(i, n, [
        ...at(proba, cell(i, K, cls), 3), op.f64Load(), op.set(p),
        ...at(w, row(i), 3), op.f64Load(), op.set(wi),
        op.get(p), ...asF64([...at(y, row(i), 2), op.i32Load(), op.get(cls), op.i32Eq]), op.f64Sub, op.get(wi), op.f64Mul, op.set(gi),
        ...pmax([op.get(factor), op.get(p), op.f64Mul, op.f64Const(1), op.get(p), op.f64Sub, op.f64Mul], [op.f64Const(EPS)]), op.get(wi), op.f64Mul, op.set(hi),
        ...at(g, row(i), 3), op.get(gi), op.f64Store(),
        ...at(h, row(i), 3), op.get(hi), op.f64Store(),
        ...pmax([op.get(gMax)], [op.get(gi), op.f64Abs]), op.set(gMax),
        ...pmax([op.get(hMax)], [op.get(hi)]), op.set(hMax),
        op.get(gBad), op.get(gi), op.get(gi), op.f64Sub, op.f64Add, op.set(gBad),
        op.get(hBad), op.get(hi), op.get(hi), op.f64Sub, op.f64Add, op.set(hBad),
      ]),
      ...result(gMax, gBad, 0),
      ...result(hMax, hBad, 8),
    ],
  };
})();

// quantise(g, h, n, gScale, hScale, drawn, gq, hq, active): a = ⌊g·gScale + ½⌋, b likewise, as i32
// (a scale is 1 / unit, a power of two, so the product is the quotient g / unit, exactly);
// active = drawn (a byte per row; every row when the address is 0) and (a ≠ 0 or b ≠ 0).
const QUANTISE: WasmFunction = (() => {
  const [g, h, n, gScale, hScale, drawn, gq, hq, active, i, a, b] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  return {
    name: 'quantise',
    params: [I32, I32, I32, F64, F64, I32, I32, I32, I32],
    results: [],
    locals: [I32, F64, F64],
    body: forRows(i, n, [
      ...at(g, row(i), 3), op.f64Load(), op.get(gScale), op.f64Mul, op.f64Const(0.5), op.f64Add, op.f64Floor, op.set(a),
      ...at(h, row(i), 3), op.f64Load(), op.get(hScale), op.f64Mul, op.f64Const(0.5), op.f64Add, op.f64Floor, op.set(b),
      ...at(gq, row(i), 2), ...toI32([op.get(a)]), op.i32Store(),
      ...at(hq, row(i), 2), ...toI32([op.get(b)]), op.i32Store(),
      op.get(active), op.get(i), op.i32Add,
      op.i32(1), op.get(drawn), op.get(i), op.i32Add, op.i32Load8U(), op.get(drawn), op.i32Eqz, op.select,
      op.get(a), op.f64Const(0), op.f64Ne, op.get(b), op.f64Const(0), op.f64Ne, op.i32Or, op.i32And,
      op.i32Store8(),
    ]),
  };
})();

// addLeaves(m, outputs, k, value, nodeOfRow, n): m[i·outputs + k] += value[nodeOfRow[i]].
const ADD_LEAVES: WasmFunction = (() => {
  const [m, outputs, k, value, nodeOfRow, n, i, p] = [0, 1, 2, 3, 4, 5, 6, 7];
  return {
    name: 'addLeaves',
    params: [I32, I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32],
    body: forRows(i, n, [
      ...at(m, cell(i, outputs, k), 3), op.tee(p),
      op.get(p), op.f64Load(), ...at(value, [...at(nodeOfRow, row(i), 2), op.i32Load()], 3), op.f64Load(), op.f64Add, op.f64Store(),
    ]),
  };
})();

export interface RowKernels {
  exp(p: number, m: number): void;
  log1p(p: number, m: number): void;
  negAbs(m: number, e: number, n: number): void;
  sigmoids(m: number, e: number, proba: number, n: number): void;
  binaryLoss(m: number, l: number, y: number, w: number, n: number): number;
  rowMaxShift(m: number, e: number, n: number, K: number): void;
  softmaxRows(m: number, e: number, proba: number, sums: number, maxima: number, n: number, K: number): void;
  gradients(proba: number, y: number, w: number, n: number, K: number, cls: number, factor: number, g: number, h: number, out: number): void;
  quantise(g: number, h: number, n: number, gScale: number, hScale: number, drawn: number, gq: number, hq: number, active: number): void;
  addLeaves(m: number, outputs: number, k: number, value: number, nodeOfRow: number, n: number): void;
}

const rowModule = compileOnce(() => wasmModule([EXP_WASM, LOG1P_WASM, NEG_ABS, SIGMOIDS, BINARY_LOSS, ROW_MAX_SHIFT, SOFTMAX_ROWS, GRADIENTS, QUANTISE, ADD_LEAVES]));

/** The kernels over `memory`, or null where the host has no WebAssembly SIMD. */
export function rowKernels(memory: WebAssembly.Memory): RowKernels | null {
  const module = rowModule();
  return module ? (new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as RowKernels) : null;
}
