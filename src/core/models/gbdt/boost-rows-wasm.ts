import { EXP_WASM, LOG1P_WASM } from '../wasm-math.ts';
import { compileOnce, F64, I32, op, uleb, V128, wasmModule, type WasmFunction } from '../wasm-module.ts';
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

/** SIMD instructions the shared table lacks. */
const simd = {
  /** v128.load64_lane: (address, vector) → the vector with lane `lane` loaded. */
  v128Load64Lane: (lane: number, offset = 0) => [0xfd, 0x57, 3, ...uleb(offset), lane],
  /** v128.store64_lane: (address, vector) → stores lane `lane`. */
  v128Store64Lane: (lane: number, offset = 0) => [0xfd, 0x5b, 3, ...uleb(offset), lane],
  i32x4Splat: [0xfd, 0x11],
  i32x4Eq: [0xfd, 0x37],
  f64x2Abs: [0xfd, ...uleb(0xec)],
  f64x2ConvertLowI32x4S: [0xfd, ...uleb(0xfe)],
};

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
// proba_k = e_k / S; for the loss (objective.ts's softmaxRows), S = f · 2^j with f in [1, 2) by
// exact halvings, sums = f − 1 and maxima = max + j·ln2, max the row's largest margin (pmax, as
// rowMaxShift).
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
      op.i32(0), op.set(k),
      op.block, op.loop, op.get(s), op.f64Const(2), op.f64Ge, op.i32Eqz, op.brIf(1),
      op.get(s), op.f64Const(0.5), op.f64Mul, op.set(s), op.get(k), op.i32(1), op.i32Add, op.set(k), op.br(0), op.end, op.end,
      ...at(sums, row(i), 3), op.get(s), op.f64Const(1), op.f64Sub, op.f64Store(),
      ...at(maxima, row(i), 3), op.get(top), op.get(k), op.f64ConvertI32S, op.f64Const(Math.LN2), op.f64Mul, op.f64Add, op.f64Store(),
    ]),
  };
})();

// softmaxLoss(logF, shifts, m, y, w, n, K) → Σ w·clamp(log1p(f − 1) + shift − m_y) in row order, i.e.
// Σ w·clamp(log S + max − m_y) (softmaxRows, then log1p over its f − 1); the clamp as binaryLoss's.
const SOFTMAX_LOSS: WasmFunction = (() => {
  const [logS, maxima, m, y, w, n, K, i, x, sum] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  return {
    name: 'softmaxLoss',
    params: [I32, I32, I32, I32, I32, I32, I32],
    results: [F64],
    locals: [I32, F64, F64],
    body: [
      ...forRows(i, n, [
        ...at(logS, row(i), 3), op.f64Load(), ...at(maxima, row(i), 3), op.f64Load(), op.f64Add,
        ...at(m, [op.get(i), op.get(K), op.i32Mul, ...at(y, row(i), 2), op.i32Load(), op.i32Add], 3), op.f64Load(), op.f64Sub, op.set(x),
        op.get(sum), ...at(w, row(i), 3), op.f64Load(), ...pmin(pmax([op.get(x)], [op.f64Const(LOSS_MIN)]), [op.f64Const(LOSS_MAX)]), op.f64Mul, op.f64Add, op.set(sum),
      ]),
      op.get(sum),
    ],
  };
})();

// gradients(proba, y, w, n, K, cls, factor, g, h, out): g = (p − [y = cls])·w,
// h = max(factor·p·(1 − p), EPS)·w with p = proba[i·K + cls]; out[0], out[1] = max |g|, max h.
// factor·p·(1 − p) ≥ +0 or NaN, so pmax(it, EPS) is Math.max's. The running maxima (pmax) would
// drop a NaN: they add Σ (x − x), which is NaN when some x is NaN or infinite (a unit from either
// is the same, quantise.ts) and 0 otherwise. Two rows a step (a lane each), then the last odd row
// alone; the maxima and sums of the two lanes are combined at the end, which gives the same
// results as one running value (max is order-free; a sum of zeros is 0, and NaN stays NaN).
const GRADIENTS: WasmFunction = (() => {
  const [proba, y, w, n, K, cls, factor, g, h, out, i, p, gi, hi, wi, gMax, hMax, gBad, hBad] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
  const [vp, vw, vg, vh, vgMax, vhMax, vgBad, vhBad, vCls, vFactor, vEps, vOne, even, vOne64] = [19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32];
  const result = (top: number, bad: number, offset: number): number[][] => [op.get(out), op.get(top), op.get(bad), op.f64Const(0), op.f64Mul, op.f64Add, op.f64Store(offset)];
  /** Lanes 0 and 1 of a vector local, combined into a scalar local by `combine` (a running max or sum). */
  const fold = (v: number, into: number, combine: (a: number[][], b: number[][]) => number[][]): number[][] => [
    ...combine([op.get(into)], [op.get(v), op.f64x2ExtractLane(0)]), op.set(into),
    ...combine([op.get(into)], [op.get(v), op.f64x2ExtractLane(1)]), op.set(into),
  ];
  const add = (a: number[][], b: number[][]): number[][] => [...a, ...b, op.f64Add];
  const pair: number[][] = [
    // p: the two rows' class-cls probabilities (a load and a lane load); w: their weights.
    ...at(proba, cell(i, K, cls), 3), op.v128Load64Zero(), op.set(vp),
    ...at(proba, [op.get(i), op.i32(1), op.i32Add, op.get(K), op.i32Mul, op.get(cls), op.i32Add], 3), op.get(vp), simd.v128Load64Lane(1), op.set(vp),
    ...at(w, row(i), 3), op.v128Load(), op.set(vw),
    // [y = cls] as f64 0 / 1: the i32 lanes' equality mask, and 1, converted.
    op.get(vp), ...at(y, row(i), 2), op.v128Load64Zero(), op.get(vCls), simd.i32x4Eq, op.get(vOne), op.v128And, simd.f64x2ConvertLowI32x4S, op.f64x2Sub, op.get(vw), op.f64x2Mul, op.set(vg),
    op.get(vFactor), op.get(vp), op.f64x2Mul, op.get(vOne64), op.get(vp), op.f64x2Sub, op.f64x2Mul, op.get(vEps), op.f64x2Pmax, op.get(vw), op.f64x2Mul, op.set(vh),
    ...at(g, row(i), 3), op.get(vg), op.v128Store(),
    ...at(h, row(i), 3), op.get(vh), op.v128Store(),
    op.get(vgMax), op.get(vg), simd.f64x2Abs, op.f64x2Pmax, op.set(vgMax),
    op.get(vhMax), op.get(vh), op.f64x2Pmax, op.set(vhMax),
    op.get(vgBad), op.get(vg), op.get(vg), op.f64x2Sub, op.f64x2Add, op.set(vgBad),
    op.get(vhBad), op.get(vh), op.get(vh), op.f64x2Sub, op.f64x2Add, op.set(vhBad),
  ];
  const single: number[][] = [
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
  ];
  return {
    name: 'gradients',
    params: [I32, I32, I32, I32, I32, I32, F64, I32, I32, I32],
    results: [],
    locals: [I32, F64, F64, F64, F64, F64, F64, F64, F64, ...Array<number>(12).fill(V128), I32, V128],
    body: [
      op.get(cls), simd.i32x4Splat, op.set(vCls), op.i32(1), simd.i32x4Splat, op.set(vOne),
      op.get(factor), op.f64x2Splat, op.set(vFactor), op.f64Const(EPS), op.f64x2Splat, op.set(vEps), op.f64Const(1), op.f64x2Splat, op.set(vOne64),
      op.get(n), op.i32(-2), op.i32And, op.set(even),
      op.i32(0), op.set(i),
      op.block, op.loop, op.get(i), op.get(even), op.i32GeU, op.brIf(1), ...pair, op.get(i), op.i32(2), op.i32Add, op.set(i), op.br(0), op.end, op.end,
      ...fold(vgMax, gMax, pmax), ...fold(vhMax, hMax, pmax), ...fold(vgBad, gBad, add), ...fold(vhBad, hBad, add),
      op.block, op.loop, op.get(i), op.get(n), op.i32GeU, op.brIf(1), ...single, op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(0), op.end, op.end,
      ...result(gMax, gBad, 0),
      ...result(hMax, hBad, 8),
    ],
  };
})();

// quantise(g, h, n, gScale, hScale, drawn, gq, hq, active): a = ⌊g·gScale + ½⌋, b likewise, as i32
// (a scale is 1 / unit, a power of two, so the product is the quotient g / unit, exactly);
// active = drawn (a byte per row; every row when the address is 0) and (a ≠ 0 or b ≠ 0).
// Two rows a step (a lane each), then the last odd row alone.
const QUANTISE: WasmFunction = (() => {
  const [g, h, n, gScale, hScale, drawn, gq, hq, active, i, a, b] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const [va, vb, vgScale, vhScale, vHalf, nonZero, even, vZero] = [12, 13, 14, 15, 16, 17, 18, 19];
  /** drawn[i + lane], or 1 with no drawn rows. */
  const drawnAt = (lane: number): number[][] => [op.i32(1), op.get(drawn), op.get(i), op.i32Add, op.i32Load8U(lane), op.get(drawn), op.i32Eqz, op.select];
  const pair: number[][] = [
    ...at(g, row(i), 3), op.v128Load(), op.get(vgScale), op.f64x2Mul, op.get(vHalf), op.f64x2Add, op.f64x2Floor, op.set(va),
    ...at(h, row(i), 3), op.v128Load(), op.get(vhScale), op.f64x2Mul, op.get(vHalf), op.f64x2Add, op.f64x2Floor, op.set(vb),
    ...at(gq, row(i), 2), op.get(va), op.i32x4TruncSatF64x2SZero, simd.v128Store64Lane(0),
    ...at(hq, row(i), 2), op.get(vb), op.i32x4TruncSatF64x2SZero, simd.v128Store64Lane(0),
    // vZero is never set: a v128 local starts at zero.
    op.get(va), op.get(vZero), op.f64x2Ne, op.get(vb), op.get(vZero), op.f64x2Ne, op.v128Or, op.set(nonZero),
    ...[0, 1].flatMap((lane) => [op.get(active), op.get(i), op.i32Add, ...drawnAt(lane), op.get(nonZero), op.i64x2ExtractLane(lane), op.i64Eqz, op.i32Eqz, op.i32And, op.i32Store8(lane)]),
  ];
  const single: number[][] = [
    ...at(g, row(i), 3), op.f64Load(), op.get(gScale), op.f64Mul, op.f64Const(0.5), op.f64Add, op.f64Floor, op.set(a),
    ...at(h, row(i), 3), op.f64Load(), op.get(hScale), op.f64Mul, op.f64Const(0.5), op.f64Add, op.f64Floor, op.set(b),
    ...at(gq, row(i), 2), ...toI32([op.get(a)]), op.i32Store(),
    ...at(hq, row(i), 2), ...toI32([op.get(b)]), op.i32Store(),
    op.get(active), op.get(i), op.i32Add,
    ...drawnAt(0),
    op.get(a), op.f64Const(0), op.f64Ne, op.get(b), op.f64Const(0), op.f64Ne, op.i32Or, op.i32And,
    op.i32Store8(),
  ];
  return {
    name: 'quantise',
    params: [I32, I32, I32, F64, F64, I32, I32, I32, I32],
    results: [],
    locals: [I32, F64, F64, ...Array<number>(6).fill(V128), I32, V128],
    body: [
      op.get(gScale), op.f64x2Splat, op.set(vgScale), op.get(hScale), op.f64x2Splat, op.set(vhScale), op.f64Const(0.5), op.f64x2Splat, op.set(vHalf),
      op.get(n), op.i32(-2), op.i32And, op.set(even),
      op.i32(0), op.set(i),
      op.block, op.loop, op.get(i), op.get(even), op.i32GeU, op.brIf(1), ...pair, op.get(i), op.i32(2), op.i32Add, op.set(i), op.br(0), op.end, op.end,
      op.block, op.loop, op.get(i), op.get(n), op.i32GeU, op.brIf(1), ...single, op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(0), op.end, op.end,
    ],
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
  softmaxLoss(logS: number, maxima: number, m: number, y: number, w: number, n: number, K: number): number;
  gradients(proba: number, y: number, w: number, n: number, K: number, cls: number, factor: number, g: number, h: number, out: number): void;
  quantise(g: number, h: number, n: number, gScale: number, hScale: number, drawn: number, gq: number, hq: number, active: number): void;
  addLeaves(m: number, outputs: number, k: number, value: number, nodeOfRow: number, n: number): void;
}

const ROW_KERNELS = [EXP_WASM, LOG1P_WASM, NEG_ABS, SIGMOIDS, BINARY_LOSS, ROW_MAX_SHIFT, SOFTMAX_ROWS, GRADIENTS, QUANTISE, ADD_LEAVES, SOFTMAX_LOSS];
const rowModule = compileOnce(() => wasmModule(ROW_KERNELS), ['boosting']);
const sharedRowModule = compileOnce(() => wasmModule(ROW_KERNELS, { shared: true }), ['boosting']);

/** The kernels over `memory` (shared or not), or null where the host has no WebAssembly SIMD. */
export function rowKernels(memory: WebAssembly.Memory): RowKernels | null {
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const module = shared ? sharedRowModule() : rowModule();
  return module ? (new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as RowKernels) : null;
}
