import { BLOCK, type DesignColumn } from './design-matrix.ts';
import { jsVectors, type VectorSpace } from './lbfgs.ts';
import { EXP_SHIFT_WASM, EXP_WASM, expInPlace, LOG1P_WASM, log1pInPlace } from '../wasm-math.ts';
import {
  AXPY4_WASM,
  AXPY_WASM,
  BINARY_TAIL_WASM,
  DOT4_WASM,
  DOT_WASM,
  NEG_ABS_WASM,
  PICK_SHIFT_WASM,
  ROW_MAX_WASM,
  ROW_SUM_WASM,
  SCALE_ROWS_WASM,
  SPARSE_AXPY_WASM,
  SPARSE_DOT_WASM,
  SUBTRACT_WEIGHTS_WASM,
  SUM_WASM,
} from './fit-wasm.ts';
import { compileOnce, wasmModule } from '../wasm-module.ts';

/**
 * The loops that take nearly all of a logistic fit. Over the dense columns: scores
 * Z[zo + i] += a · x_j[start + i] (one column, or four in a row), and gradients
 * Σ_i Z[zo + i] · x_j[start + i] (one, or four sharing the loads of Z); the same over a sparse
 * column's entries [from, to) (Z at zo + row, rows of the whole matrix); exp in place over a
 * stretch of `buffer`, and log1p. `buffer` holds Z (free rows × BLOCK: a block's scores, then
 * residuals), then E and F (BLOCK scratch values each), then the four results of `dot4`.
 *
 * Two implementations with the same arithmetic in the same order, so they give the same bits:
 * WebAssembly SIMD (two f64 lanes; ~3.5× the plain loops in V8 here) where the host has it, and
 * plain JS otherwise. A dot product keeps four partial sums (rows i mod 4) added as
 * ((s0 + s1) + (s2 + s3)) + tail; axpy4 adds its four columns to each z in order, as four axpy;
 * sparse sums go entry by entry.
 */
export interface FitKernels {
  engine: 'wasm-simd' | 'js';
  buffer: Float64Array;
  Z: Float64Array;
  /** Offsets of E and F in `buffer`. */
  e: number;
  f: number;
  axpy(zo: number, a: number, column: number, start: number, m: number): void;
  axpy4(zo: number, a0: number, a1: number, a2: number, a3: number, c0: number, c1: number, c2: number, c3: number, start: number, m: number): void;
  dot(zo: number, column: number, start: number, m: number): number;
  /** The four dot products, in `out` (a view that the next call overwrites). */
  dot4(zo: number, c0: number, c1: number, c2: number, c3: number, start: number, m: number): Float64Array;
  sparseAxpy(zo: number, a: number, column: number, from: number, to: number): void;
  sparseDot(zo: number, column: number, from: number, to: number): number;
  /** buffer[offset + i] = exp(buffer[offset + i] − buffer[shift + i]) when a shift is given. */
  exp(offset: number, m: number, shift?: number): void;
  log1p(offset: number, m: number): void;
  /** Over the first K class rows of Z: E[i] = max(−∞, Z_0[i], …), E[i] = (0 + Z_0[i]) + …, Z_k[i] ·= E[i]. */
  rowMax(K: number, m: number): void;
  rowSum(K: number, m: number): void;
  scaleRows(K: number, m: number): void;
  /** ((0 + buffer[offset]) + buffer[offset + 1]) + …, m values in order. */
  sum(offset: number, m: number): number;
  /*
   * The objective's row loops of a block whose first row is `start` of the labels' rows (these
   * need `labels`): E[i] = −|Z[i]|; the binary loss Σ wᵢ·(max(s, 0) + F[i] − [yᵢ = 1]·s) with
   * Z[i] = wᵢ·(σ(s) − [yᵢ = 1]) (σ from E[i] = e^−|s|); F[i] = Z_{yᵢ}[i] − E[i]; Z_{yᵢ}[i] −= wᵢ.
   */
  negAbs(m: number): void;
  binaryTail(start: number, m: number): number;
  pickShift(start: number, m: number): void;
  subtractWeights(start: number, m: number): void;
}

/** A part's class index and sample weight per row, for the objective's row loops. */
export interface KernelLabels {
  y: Int32Array;
  sampleWeight: Float64Array;
}

const NONE_F = new Float32Array(0);
const NONE_I = new Int32Array(0);

export function fitKernels(columns: DesignColumn[], free: number, allowWasm = true, labels?: KernelLabels): FitKernels {
  return (allowWasm && wasmKernels(columns, free, labels)) || jsKernels(columns, free, labels);
}

const NO_LABELS: KernelLabels = { y: new Int32Array(0), sampleWeight: new Float64Array(0) };

const denseValues = (c: DesignColumn): Float32Array => (c.kind === 'dense' ? c.values : NONE_F);
const sparseRows = (c: DesignColumn): Int32Array => (c.kind === 'sparse' ? c.rows : NONE_I);
const sparseValues = (c: DesignColumn): Float32Array => (c.kind === 'sparse' ? c.values : NONE_F);

const bufferLength = (free: number): number => free * BLOCK + 2 * BLOCK + 4;

function jsKernels(design: DesignColumn[], free: number, labels = NO_LABELS): FitKernels {
  const { y, sampleWeight } = labels;
  const E = free * BLOCK;
  const F = E + BLOCK;
  const columns = design.map(denseValues);
  const rows = design.map(sparseRows);
  const entries = design.map(sparseValues);
  const buffer = new Float64Array(bufferLength(free));
  const Z = buffer.subarray(0, free * BLOCK);
  const out = buffer.subarray(free * BLOCK + 2 * BLOCK);
  const axpy = (zo: number, a: number, column: number, start: number, m: number): void => {
    const x = columns[column]!;
    for (let i = 0; i < m; i++) buffer[zo + i]! += a * x[start + i]!;
  };
  const dot = (zo: number, column: number, start: number, m: number): number => {
    const x = columns[column]!;
    const end = m & ~3;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let i = 0;
    for (; i < end; i += 4) {
      s0 += buffer[zo + i]! * x[start + i]!;
      s1 += buffer[zo + i + 1]! * x[start + i + 1]!;
      s2 += buffer[zo + i + 2]! * x[start + i + 2]!;
      s3 += buffer[zo + i + 3]! * x[start + i + 3]!;
    }
    let t = 0;
    for (; i < m; i++) t += buffer[zo + i]! * x[start + i]!;
    return s0 + s1 + (s2 + s3) + t;
  };
  return {
    engine: 'js',
    buffer,
    Z,
    e: free * BLOCK,
    f: free * BLOCK + BLOCK,
    axpy,
    axpy4(zo, a0, a1, a2, a3, c0, c1, c2, c3, start, m) {
      axpy(zo, a0, c0, start, m);
      axpy(zo, a1, c1, start, m);
      axpy(zo, a2, c2, start, m);
      axpy(zo, a3, c3, start, m);
    },
    dot,
    dot4(zo, c0, c1, c2, c3, start, m) {
      out[0] = dot(zo, c0, start, m);
      out[1] = dot(zo, c1, start, m);
      out[2] = dot(zo, c2, start, m);
      out[3] = dot(zo, c3, start, m);
      return out;
    },
    sparseAxpy(zo, a, column, from, to) {
      const r = rows[column]!;
      const v = entries[column]!;
      for (let p = from; p < to; p++) buffer[zo + r[p]!]! += a * v[p]!;
    },
    sparseDot(zo, column, from, to) {
      const r = rows[column]!;
      const v = entries[column]!;
      let s = 0;
      for (let p = from; p < to; p++) s += buffer[zo + r[p]!]! * v[p]!;
      return s;
    },
    exp: (offset, m, shift) => expInPlace(buffer, offset, m, shift),
    log1p: (offset, m) => log1pInPlace(buffer, offset, m),
    rowMax(K, m) {
      const e = free * BLOCK;
      for (let i = 0; i < m; i++) {
        let a = -Infinity;
        for (let k = 0; k < K; k++) a = Math.max(a, buffer[k * BLOCK + i]!);
        buffer[e + i] = a;
      }
    },
    rowSum(K, m) {
      const e = free * BLOCK;
      for (let i = 0; i < m; i++) {
        let a = 0;
        for (let k = 0; k < K; k++) a += buffer[k * BLOCK + i]!;
        buffer[e + i] = a;
      }
    },
    scaleRows(K, m) {
      const e = free * BLOCK;
      for (let k = 0; k < K; k++) for (let i = 0; i < m; i++) buffer[k * BLOCK + i]! *= buffer[e + i]!;
    },
    sum(offset, m) {
      let s = 0;
      for (let i = 0; i < m; i++) s += buffer[offset + i]!;
      return s;
    },
    negAbs(m) {
      for (let i = 0; i < m; i++) buffer[E + i] = -Math.abs(buffer[i]!);
    },
    binaryTail(start, m) {
      let loss = 0;
      for (let i = 0; i < m; i++) {
        const s = buffer[i]!;
        const e = buffer[E + i]!;
        const w = sampleWeight[start + i]!;
        const positive = y[start + i] === 1;
        loss += w * ((s > 0 ? s : 0) + buffer[F + i]! - (positive ? s : 0));
        const p = s >= 0 ? 1 / (1 + e) : e / (1 + e);
        buffer[i] = w * (p - (positive ? 1 : 0));
      }
      return loss;
    },
    pickShift(start, m) {
      for (let i = 0; i < m; i++) buffer[F + i] = buffer[y[start + i]! * BLOCK + i]! - buffer[E + i]!;
    },
    subtractWeights(start, m) {
      for (let i = 0; i < m; i++) buffer[y[start + i]! * BLOCK + i]! -= sampleWeight[start + i]!;
    },
  };
}

// Synchronous compilation: the module is 3.5 KB, under the 4 KB Chrome allows on a page's main thread.
const kernelModule = compileOnce(
  () =>
    wasmModule([
      AXPY_WASM,
      AXPY4_WASM,
      DOT_WASM,
      DOT4_WASM,
      SPARSE_AXPY_WASM,
      SPARSE_DOT_WASM,
      EXP_WASM,
      EXP_SHIFT_WASM,
      LOG1P_WASM,
      ROW_MAX_WASM,
      ROW_SUM_WASM,
      SCALE_ROWS_WASM,
      SUM_WASM,
      NEG_ABS_WASM,
      BINARY_TAIL_WASM,
      PICK_SHIFT_WASM,
      SUBTRACT_WEIGHTS_WASM,
    ]),
  ['logistic'],
);

/** WebAssembly memory of at least `bytes`, or null where the host will not give it (then the JS twins run). */
function allocate(bytes: number): WebAssembly.Memory | null {
  try {
    return new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
  } catch {
    return null;
  }
}

/** wasm32 addresses: keep well under 2 GiB. */
const MAX_BYTES = 1 << 30;

interface KernelExports {
  axpy(zp: number, a: number, xp: number, m: number): void;
  axpy4(zp: number, a0: number, a1: number, a2: number, a3: number, x0: number, x1: number, x2: number, x3: number, m: number): void;
  dot(rp: number, xp: number, m: number): number;
  dot4(rp: number, x0: number, x1: number, x2: number, x3: number, m: number, outp: number): void;
  sparseAxpy(zp: number, a: number, rp: number, vp: number, from: number, to: number, start: number): void;
  sparseDot(zp: number, rp: number, vp: number, from: number, to: number, start: number): number;
  exp(p: number, m: number): void;
  expShift(p: number, m: number, q: number): void;
  log1p(p: number, m: number): void;
  rowMax(zp: number, K: number, stride: number, m: number, ep: number): void;
  rowSum(zp: number, K: number, stride: number, m: number, ep: number): void;
  scaleRows(zp: number, K: number, stride: number, m: number, ep: number): void;
  sum(p: number, m: number): number;
  negAbs(zp: number, ep: number, m: number): void;
  binaryTail(zp: number, ep: number, fp: number, yp: number, wp: number, m: number): number;
  pickShift(zp: number, ep: number, fp: number, yp: number, m: number, stride: number): void;
  subtractWeights(zp: number, yp: number, wp: number, m: number, stride: number): void;
}

function wasmKernels(design: DesignColumn[], free: number, labels = NO_LABELS): FitKernels | null {
  const module = kernelModule();
  if (!module) return null;
  // The buffer first, then each column's arrays, then the labels' y and weights, each starting on 16 bytes.
  const length = bufferLength(free);
  // Dense columns are held as f64 here (promoted once, exactly): the loops then load two values per instruction.
  const arrays = [...design.map(denseValues), ...design.map(sparseRows), ...design.map(sparseValues)];
  const J = design.length;
  const at: number[] = [];
  let bytes = length * 8;
  arrays.forEach((a, j) => {
    at.push(bytes);
    bytes += Math.ceil((a.length * (j < J ? 8 : 4)) / 16) * 16;
  });
  const yAt = bytes;
  bytes += Math.ceil((labels.y.length * 4) / 16) * 16;
  const weightAt = bytes;
  bytes += labels.sampleWeight.length * 8;
  if (bytes > MAX_BYTES) return null;
  const memory = allocate(bytes);
  if (!memory) return null;
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
  arrays.forEach((a, j) => (j < J ? new Float64Array(memory.buffer, at[j], a.length) : a instanceof Int32Array ? new Int32Array(memory.buffer, at[j], a.length) : new Float32Array(memory.buffer, at[j], a.length)).set(a as never));
  new Int32Array(memory.buffer, yAt, labels.y.length).set(labels.y);
  new Float64Array(memory.buffer, weightAt, labels.sampleWeight.length).set(labels.sampleWeight);
  const [E, F] = [free * BLOCK * 8, (free + 1) * BLOCK * 8];
  const offsets = at.slice(0, J);
  const rowsAt = at.slice(J, 2 * J);
  const valuesAt = at.slice(2 * J);
  const buffer = new Float64Array(memory.buffer, 0, length);
  const outAt = (free * BLOCK + 2 * BLOCK) * 8;
  const out = buffer.subarray(free * BLOCK + 2 * BLOCK);
  const x = (column: number, start: number): number => offsets[column]! + start * 8;
  return {
    engine: 'wasm-simd',
    buffer,
    Z: buffer.subarray(0, free * BLOCK),
    e: free * BLOCK,
    f: free * BLOCK + BLOCK,
    axpy: (zo, a, column, start, m) => k.axpy(zo * 8, a, x(column, start), m),
    axpy4: (zo, a0, a1, a2, a3, c0, c1, c2, c3, start, m) => k.axpy4(zo * 8, a0, a1, a2, a3, x(c0, start), x(c1, start), x(c2, start), x(c3, start), m),
    dot: (zo, column, start, m) => k.dot(zo * 8, x(column, start), m),
    dot4(zo, c0, c1, c2, c3, start, m) {
      k.dot4(zo * 8, x(c0, start), x(c1, start), x(c2, start), x(c3, start), m, outAt);
      return out;
    },
    // Z at zo + row for rows of the whole matrix: as the JS side, with the byte base moved by start = 0.
    sparseAxpy: (zo, a, column, from, to) => k.sparseAxpy(zo * 8, a, rowsAt[column]!, valuesAt[column]!, from, to, 0),
    sparseDot: (zo, column, from, to) => k.sparseDot(zo * 8, rowsAt[column]!, valuesAt[column]!, from, to, 0),
    exp: (offset, m, shift) => (shift === undefined ? k.exp(offset * 8, m) : k.expShift(offset * 8, m, shift * 8)),
    log1p: (offset, m) => k.log1p(offset * 8, m),
    rowMax: (K, m) => k.rowMax(0, K, BLOCK * 8, m, free * BLOCK * 8),
    rowSum: (K, m) => k.rowSum(0, K, BLOCK * 8, m, free * BLOCK * 8),
    scaleRows: (K, m) => k.scaleRows(0, K, BLOCK * 8, m, free * BLOCK * 8),
    sum: (offset, m) => k.sum(offset * 8, m),
    negAbs: (m) => k.negAbs(0, E, m),
    binaryTail: (start, m) => k.binaryTail(0, E, F, yAt + 4 * start, weightAt + 8 * start, m),
    pickShift: (start, m) => k.pickShift(0, E, F, yAt + 4 * start, m, BLOCK),
    subtractWeights: (start, m) => k.subtractWeights(0, yAt + 4 * start, weightAt + 8 * start, m, BLOCK),
  };
}

/**
 * The optimiser's vectors in WebAssembly memory, with the SIMD dot and axpy (the same bits as
 * `jsVectors`), or the JS ones where WebAssembly SIMD is missing or the vectors would not fit.
 */
export function fitVectors(n: number, count: number, allowWasm = true): VectorSpace {
  const module = allowWasm ? kernelModule() : null;
  const size = Math.ceil((n * 8) / 16) * 16;
  if (!module || size * count > MAX_BYTES) return jsVectors(n);
  const memory = allocate(size * count);
  if (!memory) return jsVectors(n);
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
  let next = 0;
  return {
    alloc() {
      if (next === count) throw new Error('the optimiser asked for more vectors than it said');
      return new Float64Array(memory.buffer, size * next++, n);
    },
    dot: (a, b) => k.dot(a.byteOffset, b.byteOffset, n),
    axpy: (d, a, v) => k.axpy(d.byteOffset, a, v.byteOffset, n),
  };
}
