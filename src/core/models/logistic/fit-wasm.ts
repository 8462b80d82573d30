import { F64, I32, op, V128, type WasmFunction } from '../wasm-module.ts';

/*
 * The column kernels in WebAssembly (SIMD, two f64 lanes, for dense columns), twins of the plain loops in
 * fit-kernels.ts: same operations in the same order. Pointers are byte addresses; Z / R are
 * f64, columns f32 (promoted exactly).
 */

/** Byte address base + (index << shift). */
const at = (base: number, index: number, shift: number): number[][] => [op.get(base), op.get(index), op.i32(shift), op.i32Shl, op.i32Add];
/** The f32 pair at x + 4·i as two f64 lanes. */
const pair = (x: number, i: number, offset = 0): number[][] => [...at(x, i, 3), op.v128Load(2 * offset)];
/** One value of a dense column. */
const one = (x: number, i: number): number[][] => [...at(x, i, 3), op.f64Load()];
/** for (; i < end; i += step) body */
const loop = (i: number, end: number, step: number, body: number[][]): number[][] => [
  op.block, op.loop,
  op.get(i), op.get(end), op.i32GeU, op.brIf(1),
  ...body,
  op.get(i), op.i32(step), op.i32Add, op.set(i),
  op.br(0), op.end, op.end,
];

/** axpy(zp, a, xp, m): z[i] += a · x[i]. */
export const AXPY_WASM: WasmFunction = (() => {
  const [zp, a, xp, m, i, va, end] = [0, 1, 2, 3, 4, 5, 6];
  return {
    name: 'axpy',
    params: [I32, F64, I32, I32],
    results: [],
    locals: [I32, V128, I32],
    body: [
      op.get(a), op.f64x2Splat, op.set(va),
      op.get(m), op.i32(-2), op.i32And, op.set(end),
      ...loop(i, end, 2, [...at(zp, i, 3), ...at(zp, i, 3), op.v128Load(), op.get(va), ...pair(xp, i), op.f64x2Mul, op.f64x2Add, op.v128Store()]),
      op.get(i), op.get(m), op.i32LtU, op.if,
      ...at(zp, i, 3), ...at(zp, i, 3), op.f64Load(), op.get(a), ...one(xp, i), op.f64Mul, op.f64Add, op.f64Store(),
      op.end,
    ],
  };
})();

/** axpy4(zp, a0…a3, x0…x3, m): z[i] += a0·x0[i], then a1·x1[i], a2·x2[i], a3·x3[i]. */
export const AXPY4_WASM: WasmFunction = (() => {
  const zp = 0;
  const a = [1, 2, 3, 4];
  const x = [5, 6, 7, 8];
  const [m, i, end, acc] = [9, 10, 11, 12];
  const v = [13, 14, 15, 16];
  return {
    name: 'axpy4',
    params: [I32, F64, F64, F64, F64, I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, V128, V128, V128, V128, V128],
    body: [
      ...a.flatMap((ac, c) => [op.get(ac), op.f64x2Splat, op.set(v[c]!)]),
      op.get(m), op.i32(-2), op.i32And, op.set(end),
      ...loop(i, end, 2, [
        ...at(zp, i, 3), op.v128Load(), op.set(acc),
        ...x.flatMap((xc, c) => [op.get(acc), op.get(v[c]!), ...pair(xc, i), op.f64x2Mul, op.f64x2Add, op.set(acc)]),
        ...at(zp, i, 3), op.get(acc), op.v128Store(),
      ]),
      op.get(i), op.get(m), op.i32LtU, op.if,
      ...at(zp, i, 3),
      ...at(zp, i, 3), op.f64Load(),
      ...x.flatMap((xc, c) => [op.get(a[c]!), ...one(xc, i), op.f64Mul, op.f64Add]),
      op.f64Store(),
      op.end,
    ],
  };
})();

/** The four-lane partial sums of one column: lanes (i mod 4 = 0, 1) and (2, 3), then the tail t. */
const reduce = (s0: number, s1: number, t: number): number[][] => [
  op.get(s0), op.f64x2ExtractLane(0), op.get(s0), op.f64x2ExtractLane(1), op.f64Add,
  op.get(s1), op.f64x2ExtractLane(0), op.get(s1), op.f64x2ExtractLane(1), op.f64Add,
  op.f64Add, op.get(t), op.f64Add,
];

/** dot(rp, xp, m) = Σ r[i] · x[i]. */
export const DOT_WASM: WasmFunction = (() => {
  const [rp, xp, m, i, s0, s1, end, t] = [0, 1, 2, 3, 4, 5, 6, 7];
  return {
    name: 'dot',
    params: [I32, I32, I32],
    results: [F64],
    locals: [I32, V128, V128, I32, F64],
    body: [
      op.get(m), op.i32(-4), op.i32And, op.set(end),
      ...loop(i, end, 4, [
        op.get(s0), ...at(rp, i, 3), op.v128Load(), ...pair(xp, i), op.f64x2Mul, op.f64x2Add, op.set(s0),
        op.get(s1), ...at(rp, i, 3), op.v128Load(16), ...pair(xp, i, 8), op.f64x2Mul, op.f64x2Add, op.set(s1),
      ]),
      ...loop(i, m, 1, [op.get(t), ...at(rp, i, 3), op.f64Load(), ...one(xp, i), op.f64Mul, op.f64Add, op.set(t)]),
      ...reduce(s0, s1, t),
    ],
  };
})();

/** dot4(rp, x0…x3, m, outp): the four dot products of r with x0…x3, stored at outp. */
export const DOT4_WASM: WasmFunction = (() => {
  const rp = 0;
  const x = [1, 2, 3, 4];
  const [m, outp, i, end, r0, r1, rv] = [5, 6, 7, 8, 9, 10, 11];
  const s = [12, 13, 14, 15, 16, 17, 18, 19];
  const t = [20, 21, 22, 23];
  return {
    name: 'dot4',
    params: [I32, I32, I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, V128, V128, F64, V128, V128, V128, V128, V128, V128, V128, V128, F64, F64, F64, F64],
    body: [
      op.get(m), op.i32(-4), op.i32And, op.set(end),
      ...loop(i, end, 4, [
        ...at(rp, i, 3), op.v128Load(), op.set(r0),
        ...at(rp, i, 3), op.v128Load(16), op.set(r1),
        ...x.flatMap((xc, c) => [
          op.get(s[2 * c]!), op.get(r0), ...pair(xc, i), op.f64x2Mul, op.f64x2Add, op.set(s[2 * c]!),
          op.get(s[2 * c + 1]!), op.get(r1), ...pair(xc, i, 8), op.f64x2Mul, op.f64x2Add, op.set(s[2 * c + 1]!),
        ]),
      ]),
      ...loop(i, m, 1, [
        ...at(rp, i, 3), op.f64Load(), op.set(rv),
        ...x.flatMap((xc, c) => [op.get(t[c]!), op.get(rv), ...one(xc, i), op.f64Mul, op.f64Add, op.set(t[c]!)]),
      ]),
      ...x.flatMap((_, c) => [op.get(outp), ...reduce(s[2 * c]!, s[2 * c + 1]!, t[c]!), op.f64Store(8 * c)]),
    ],
  };
})();

/** Byte address of z[rows[p] − start]: zp + ((rows[p] − start) << 3). */
const sparseAddress = (zp: number, rp: number, p: number, start: number): number[][] => [
  op.get(zp), ...at(rp, p, 2), op.i32Load(), op.get(start), op.i32Sub, op.i32(3), op.i32Shl, op.i32Add,
];

/** sparseAxpy(zp, a, rp, vp, from, to, start): z[rows[p] − start] += a · values[p] for p in [from, to). */
export const SPARSE_AXPY_WASM: WasmFunction = (() => {
  const [zp, a, rp, vp, from, to, start, address] = [0, 1, 2, 3, 4, 5, 6, 7];
  return {
    name: 'sparseAxpy',
    params: [I32, F64, I32, I32, I32, I32, I32],
    results: [],
    locals: [I32],
    body: loop(from, to, 1, [
      ...sparseAddress(zp, rp, from, start), op.tee(address),
      op.get(address), op.f64Load(), op.get(a), ...at(vp, from, 2), op.f32Load(), op.f64PromoteF32, op.f64Mul, op.f64Add,
      op.f64Store(),
    ]),
  };
})();

/** sparseDot(zp, rp, vp, from, to, start) = Σ z[rows[p] − start] · values[p] over p in [from, to), in order. */
export const SPARSE_DOT_WASM: WasmFunction = (() => {
  const [zp, rp, vp, from, to, start, s] = [0, 1, 2, 3, 4, 5, 6];
  return {
    name: 'sparseDot',
    params: [I32, I32, I32, I32, I32, I32],
    results: [F64],
    locals: [F64],
    body: [
      ...loop(from, to, 1, [op.get(s), ...sparseAddress(zp, rp, from, start), op.f64Load(), ...at(vp, from, 2), op.f32Load(), op.f64PromoteF32, op.f64Mul, op.f64Add, op.set(s)]),
      op.get(s),
    ],
  };
})();

/**
 * Across the K class rows of a block (row k at zp + k·stride bytes), two rows of the matrix at a
 * time: `rowMax` E[i] = max(−∞, Z₀[i], …, Z_{K−1}[i]), `rowSum` E[i] = ((0 + Z₀[i]) + Z₁[i]) + …,
 * `scaleRows` Z_k[i] ·= E[i], classes in order (m rounded up to even).
 */
function acrossClasses(name: 'rowMax' | 'rowSum' | 'scaleRows'): WasmFunction {
  const [zp, K, stride, m, ep, i, k, acc, e, row] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const zAt = [op.get(row), op.get(i), op.i32(3), op.i32Shl, op.i32Add];
  const start = name === 'rowMax' ? [op.f64Const(-Infinity), op.f64x2Splat, op.set(acc)] : name === 'rowSum' ? [op.f64Const(0), op.f64x2Splat, op.set(acc)] : [...at(ep, i, 3), op.v128Load(), op.set(e)];
  const step =
    name === 'scaleRows'
      ? [...zAt, ...zAt, op.v128Load(), op.get(e), op.f64x2Mul, op.v128Store()]
      : [op.get(acc), ...zAt, op.v128Load(), name === 'rowMax' ? op.f64x2Max : op.f64x2Add, op.set(acc)];
  return {
    name,
    params: [I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, V128, V128, I32],
    body: loop(i, m, 2, [
      ...start,
      op.get(zp), op.set(row), op.i32(0), op.set(k),
      ...loop(k, K, 1, [...step, op.get(row), op.get(stride), op.i32Add, op.set(row)]),
      ...(name === 'scaleRows' ? [] : [...at(ep, i, 3), op.get(acc), op.v128Store()]),
    ]),
  };
}

export const ROW_MAX_WASM = acrossClasses('rowMax');
export const ROW_SUM_WASM = acrossClasses('rowSum');
export const SCALE_ROWS_WASM = acrossClasses('scaleRows');

/*
 * The objective's per-row loops of a block, twins of the JS ones in fit-kernels.ts (scalar, in row
 * order, the same operations): y (i32) and the sample weights (f64) are the part's, from the
 * block's first row.
 */

/** negAbs(zp, ep, m): E[i] = −|Z[i]|. */
export const NEG_ABS_WASM: WasmFunction = (() => {
  const [zp, ep, m, i] = [0, 1, 2, 3];
  return {
    name: 'negAbs',
    params: [I32, I32, I32],
    results: [],
    locals: [I32],
    body: loop(i, m, 1, [...at(ep, i, 3), ...at(zp, i, 3), op.f64Load(), op.f64Abs, op.f64Neg, op.f64Store()]),
  };
})();

/**
 * binaryTail(zp, ep, fp, yp, wp, m) = Σ wᵢ·(max(s, 0) + F[i] − [yᵢ = 1]·s), s = Z[i], in row
 * order, with Z[i] = wᵢ·(σ(s) − [yᵢ = 1]) (σ from E[i] = e^−|s|: 1/(1 + e) for s ≥ 0, else e/(1 + e)).
 */
export const BINARY_TAIL_WASM: WasmFunction = (() => {
  const [zp, ep, fp, yp, wp, m, i, loss, s, e, w, positive, d] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  return {
    name: 'binaryTail',
    params: [I32, I32, I32, I32, I32, I32],
    results: [F64],
    locals: [I32, F64, F64, F64, F64, I32, F64],
    body: [
      ...loop(i, m, 1, [
        ...at(zp, i, 3), op.f64Load(), op.set(s),
        ...at(ep, i, 3), op.f64Load(), op.set(e),
        ...at(wp, i, 3), op.f64Load(), op.set(w),
        ...at(yp, i, 2), op.i32Load(), op.i32(1), op.i32Eq, op.set(positive),
        // loss += w · ((s > 0 ? s : 0) + F[i] − (positive ? s : 0))
        op.get(loss), op.get(w),
        op.get(s), op.f64Const(0), op.get(s), op.f64Const(0), op.f64Gt, op.select,
        ...at(fp, i, 3), op.f64Load(), op.f64Add,
        op.get(s), op.f64Const(0), op.get(positive), op.select, op.f64Sub,
        op.f64Mul, op.f64Add, op.set(loss),
        // Z[i] = w · ((s ≥ 0 ? 1 / (1 + e) : e / (1 + e)) − (positive ? 1 : 0))
        op.f64Const(1), op.get(e), op.f64Add, op.set(d),
        ...at(zp, i, 3), op.get(w),
        op.f64Const(1), op.get(d), op.f64Div, op.get(e), op.get(d), op.f64Div, op.get(s), op.f64Const(0), op.f64Ge, op.select,
        op.f64Const(1), op.f64Const(0), op.get(positive), op.select, op.f64Sub,
        op.f64Mul, op.f64Store(),
      ]),
      op.get(loss),
    ],
  };
})();

/** sum(p, m) = ((0 + p[0]) + p[1]) + …, in order. */
export const SUM_WASM: WasmFunction = (() => {
  const [p, m, i, s] = [0, 1, 2, 3];
  return {
    name: 'sum',
    params: [I32, I32],
    results: [F64],
    locals: [I32, F64],
    body: [...loop(i, m, 1, [op.get(s), ...at(p, i, 3), op.f64Load(), op.f64Add, op.set(s)]), op.get(s)],
  };
})();

/** Byte address of Z_{y[i]}[i]: zp + ((y[i] · stride + i) << 3), stride in values. */
const classCell = (zp: number, yp: number, i: number, stride: number): number[][] => [
  op.get(zp), ...at(yp, i, 2), op.i32Load(), op.get(stride), op.i32Mul, op.get(i), op.i32Add, op.i32(3), op.i32Shl, op.i32Add,
];

/** pickShift(zp, ep, fp, yp, m, stride): F[i] = Z_{y[i]}[i] − E[i]. */
export const PICK_SHIFT_WASM: WasmFunction = (() => {
  const [zp, ep, fp, yp, m, stride, i] = [0, 1, 2, 3, 4, 5, 6];
  return {
    name: 'pickShift',
    params: [I32, I32, I32, I32, I32, I32],
    results: [],
    locals: [I32],
    body: loop(i, m, 1, [...at(fp, i, 3), ...classCell(zp, yp, i, stride), op.f64Load(), ...at(ep, i, 3), op.f64Load(), op.f64Sub, op.f64Store()]),
  };
})();

/** subtractWeights(zp, yp, wp, m, stride): Z_{y[i]}[i] −= w[i]. */
export const SUBTRACT_WEIGHTS_WASM: WasmFunction = (() => {
  const [zp, yp, wp, m, stride, i, cell] = [0, 1, 2, 3, 4, 5, 6];
  return {
    name: 'subtractWeights',
    params: [I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32],
    body: loop(i, m, 1, [...classCell(zp, yp, i, stride), op.tee(cell), op.get(cell), op.f64Load(), ...at(wp, i, 3), op.f64Load(), op.f64Sub, op.f64Store()]),
  };
})();
