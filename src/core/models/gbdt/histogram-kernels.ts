import { compileOnce, I32, op, V128, wasmModule, type WasmFunction } from '../wasm-module.ts';
import { rowWalkKernel } from './tree-margins-wasm.ts';
import { SEARCH_SLOT, type SearchKernel } from './split-search-wasm.ts';
import { COUNT_BINS, FIX_DOMINANT, LIST_OTHERS, ROOT_SPARSE } from './sparse-root.ts';

/*
 * The kernels of the histogram loops (histogram.ts) in WebAssembly SIMD: a bin's two cells (g, h)
 * are one 128-bit lane pair, so adding a row to a bin is one load, one f64x2.add and one store, with
 * no bounds checks. Each lane does the IEEE addition the JS loop does, in the same row order, so the sums are
 * the same bits (and exact: integer units below 2^53). Four times the JS loop's speed here.
 *
 * Every address is a byte offset into the module's memory, where the matrix (copied once), the
 * rows' g and h, the row lists and two levels of histograms live (histogram-wasm.ts places them).
 */

// root4(c0, c1, c2, c3, o0, o1, o2, o3, gh, ghEnd, delta): columns at c*, one byte per row from row 0;
// each feature's bins at o* (16 bytes a bin); every row's (g, h) pair from gh to ghEnd. Rows go in
// pairs, the second of each into a second copy of the histograms `delta` bytes on: a feature whose
// consecutive rows share a bin (common: near-constant columns) then waits on no store of the row
// before. The caller adds the copies; sums of integers, so the same bits as one copy.
const ROOT_CELL = (c: number, o: number, p: number, v: number, second: number | undefined): number[][] => [
  ...[op.get(c), op.i32Load8U(second === undefined ? 0 : 1), op.i32(4), op.i32Shl, op.get(o), op.i32Add, ...(second === undefined ? [] : [op.get(second), op.i32Add]), op.tee(p)],
  ...[op.get(p), op.v128Load(), op.get(v), op.f64x2Add, op.v128Store()],
];

function rootKernel(name: string, features: number): WasmFunction {
  const gh = 2 * features;
  const end = gh + 1;
  const delta = end + 1;
  const p = delta + 1;
  const [va, vb] = [p + 1, p + 2];
  const pair = Array.from({ length: features }, (_, f) => [
    ...ROOT_CELL(f, features + f, p, va, undefined),
    ...ROOT_CELL(f, features + f, p, vb, delta),
    ...[op.get(f), op.i32(2), op.i32Add, op.set(f)],
  ]).flat();
  const last = Array.from({ length: features }, (_, f) => ROOT_CELL(f, features + f, p, va, undefined)).flat();
  return {
    name,
    params: Array<number>(2 * features + 3).fill(I32),
    results: [],
    locals: [I32, V128, V128],
    body: [
      ...[op.block, op.loop, op.get(gh), op.i32(16), op.i32Add, op.get(end), op.i32GeU, op.brIf(1)],
      ...[op.get(gh), op.v128Load(), op.set(va), op.get(gh), op.v128Load(16), op.set(vb), ...pair],
      ...[op.get(gh), op.i32(32), op.i32Add, op.set(gh), op.br(0), op.end, op.end],
      // An odd row count leaves one row.
      ...[op.get(gh), op.get(end), op.i32LtU, op.if, op.get(gh), op.v128Load(), op.set(va), ...last, op.end],
    ],
  };
}

// segment4(c0, c1, c2, c3, o0, o1, o2, o3, gh, rows, rowsEnd, delta): as root4 for the rows listed
// (Int32) from rows to rowsEnd, in pairs, the second of each into the copy `delta` bytes on.
function segmentKernel(name: string, features: number): WasmFunction {
  const gh = 2 * features;
  const rows = gh + 1;
  const end = rows + 1;
  const delta = end + 1;
  const [i, j, p, va, vb] = [delta + 1, delta + 2, delta + 3, delta + 4, delta + 5];
  const cell = (f: number, row: number, v: number, second: boolean): number[][] => [
    ...[op.get(f), op.get(row), op.i32Add, op.i32Load8U(), op.i32(4), op.i32Shl, op.get(features + f), op.i32Add, ...(second ? [op.get(delta), op.i32Add] : []), op.tee(p)],
    ...[op.get(p), op.v128Load(), op.get(v), op.f64x2Add, op.v128Store()],
  ];
  const load = (row: number, offset: number, v: number): number[][] => [
    ...[op.get(rows), op.i32Load(offset), op.set(row), op.get(gh), op.get(row), op.i32(4), op.i32Shl, op.i32Add, op.v128Load(), op.set(v)],
  ];
  const pair = Array.from({ length: features }, (_, f) => [...cell(f, i, va, false), ...cell(f, j, vb, true)]).flat();
  const last = Array.from({ length: features }, (_, f) => cell(f, i, va, false)).flat();
  return {
    name,
    params: Array<number>(2 * features + 4).fill(I32),
    results: [],
    locals: [I32, I32, I32, V128, V128],
    body: [
      ...[op.block, op.loop, op.get(rows), op.i32(4), op.i32Add, op.get(end), op.i32GeU, op.brIf(1)],
      ...load(i, 0, va), ...load(j, 4, vb), ...pair,
      ...[op.get(rows), op.i32(8), op.i32Add, op.set(rows), op.br(0), op.end, op.end],
      // An odd row count leaves one row.
      ...[op.get(rows), op.get(end), op.i32LtU, op.if, ...load(i, 0, va), ...last, op.end],
    ],
  };
}

// total(gh, end, out): the sum of the (g, h) pairs from gh to end, stored at out.
const TOTAL: WasmFunction = {
  name: 'total',
  params: [I32, I32, I32],
  results: [],
  locals: [V128],
  body: [
    ...[op.f64Const(0), op.f64x2Splat, op.set(3)],
    ...[op.block, op.get(0), op.get(1), op.i32GeU, op.brIf(0), op.loop],
    ...[op.get(3), op.get(0), op.v128Load(), op.f64x2Add, op.set(3)],
    ...[op.get(0), op.i32(16), op.i32Add, op.tee(0), op.get(1), op.i32LtU, op.brIf(0), op.end, op.end],
    ...[op.get(2), op.get(3), op.v128Store()],
  ],
};

// subtract(big, parent, small, bigEnd): big = parent − small, 16 bytes at a time, up to bigEnd; add
// likewise (sum = a + b).
function pairwise(name: string, combine: number[]): WasmFunction {
  return {
    name,
    params: [I32, I32, I32, I32],
    results: [],
    locals: [],
    body: [
      ...[op.block, op.get(0), op.get(3), op.i32GeU, op.brIf(0), op.loop],
      ...[op.get(0), op.get(1), op.v128Load(), op.get(2), op.v128Load(), combine, op.v128Store()],
      ...[op.get(1), op.i32(16), op.i32Add, op.set(1), op.get(2), op.i32(16), op.i32Add, op.set(2)],
      ...[op.get(0), op.i32(16), op.i32Add, op.tee(0), op.get(3), op.i32LtU, op.brIf(0), op.end, op.end],
    ],
  };
}

// zero(at, end): 0 from at to end, 16 bytes at a time.
const ZERO: WasmFunction = {
  name: 'zero',
  params: [I32, I32],
  results: [],
  locals: [],
  body: [
    ...[op.block, op.get(0), op.get(1), op.i32GeU, op.brIf(0), op.loop],
    ...[op.get(0), op.f64Const(0), op.f64x2Splat, op.v128Store()],
    ...[op.get(0), op.i32(16), op.i32Add, op.tee(0), op.get(1), op.i32LtU, op.brIf(0), op.end, op.end],
  ],
};

// partition(rows, spare, k, end, column, table) → rows gone left: the row list's entries from byte
// k to end split stably (as partitionRows), left rows packed from k, right rows into the spare list
// at the same place; `table` maps a bin to 1 (left) or 0.
const PARTITION: WasmFunction = {
  name: 'partition',
  params: [I32, I32, I32, I32, I32, I32],
  results: [I32],
  locals: [I32, I32, I32, I32, I32],
  body: [
    // w (6) = k; r (7) = spare + (k − rows); the first k (10), for the count at the end.
    ...[op.get(2), op.tee(10), op.set(6), op.get(1), op.get(2), op.get(0), op.i32Sub, op.i32Add, op.set(7)],
    ...[op.block, op.get(2), op.get(3), op.i32GeU, op.brIf(0), op.loop],
    ...[op.get(2), op.i32Load(), op.set(8)],
    ...[op.get(5), op.get(4), op.get(8), op.i32Add, op.i32Load8U(), op.i32Add, op.i32Load8U(), op.set(9)],
    ...[op.get(6), op.get(8), op.i32Store(), op.get(7), op.get(8), op.i32Store()],
    ...[op.get(6), op.get(9), op.i32(2), op.i32Shl, op.i32Add, op.set(6)],
    ...[op.get(7), op.i32(4), op.get(9), op.i32(2), op.i32Shl, op.i32Sub, op.i32Add, op.set(7)],
    ...[op.get(2), op.i32(4), op.i32Add, op.tee(2), op.get(3), op.i32LtU, op.brIf(0), op.end, op.end],
    ...[op.get(6), op.get(10), op.i32Sub, op.i32(2), op.i32ShrU],
  ],
};

// rootRows(gq, hq, active, gh, rows, n) → active rows: each row's quantised g and h (i32) as f64 side
// by side in gh, 0 for a row not active (active[i] ≠ 1); rows lists the active ones (as grow-tree's
// rootRows, with an i32 select where it branches).
const ROOT_ROWS: WasmFunction = (() => {
  const [gq, hq, active, gh, rows, n, i, m, on] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const word = (base: number): number[][] => [op.get(base), op.get(i), op.i32(2), op.i32Shl, op.i32Add];
  const cell = (from: number, offset: number): number[][] => [
    op.get(gh), op.get(i), op.i32(4), op.i32Shl, op.i32Add,
    ...word(from), op.i32Load(), op.i32(0), op.get(on), op.select, op.f64ConvertI32S, op.f64Store(offset),
  ];
  return {
    name: 'rootRows',
    params: [I32, I32, I32, I32, I32, I32],
    results: [I32],
    locals: [I32, I32, I32],
    body: [
      ...[op.block, op.loop, op.get(i), op.get(n), op.i32GeU, op.brIf(1)],
      ...[op.get(active), op.get(i), op.i32Add, op.i32Load8U(), op.i32(1), op.i32Eq, op.set(on)],
      ...cell(gq, 0), ...cell(hq, 8),
      ...[op.get(rows), op.get(m), op.i32(2), op.i32Shl, op.i32Add, op.get(i), op.i32Store()],
      ...[op.get(m), op.get(on), op.i32Add, op.set(m)],
      ...[op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(0), op.end, op.end],
      op.get(m),
    ],
  };
})();

// leaves(bins, n, feature, splitBin, defaultLeft, binCounts, steps, active, out): out[i] (i32) = the
// leaf of row i (walkOps) for every row i < n with active[i] ≠ 1: the rows no segment of the tree
// held (not sampled, or g = h = 0), which still need their leaf for the margins.
const [ACTIVE, OUT] = [7, 8];
const LEAVES = rowWalkKernel(
  'leaves',
  2,
  (l) => [[op.get(OUT), op.get(l.i), op.i32(2), op.i32Shl, op.i32Add, op.get(l.node), op.i32Store()]],
  (l) => [[op.get(ACTIVE), op.get(l.i), op.i32Add, op.i32Load8U(), op.i32(1), op.i32Eq]],
);

/** The kernels, bound to one memory. */
export interface HistogramKernels extends SearchKernel {
  root4(...args: number[]): void;
  root1(...args: number[]): void;
  segment4(...args: number[]): void;
  segment1(...args: number[]): void;
  subtract(big: number, parent: number, small: number, bigEnd: number): void;
  add(sum: number, a: number, b: number, sumEnd: number): void;
  zero(at: number, end: number): void;
  partition(rows: number, spare: number, k: number, end: number, column: number, table: number): number;
  rootRows(gq: number, hq: number, active: number, gh: number, rows: number, n: number): number;
  leaves(bins: number, n: number, feature: number, splitBin: number, defaultLeft: number, binCounts: number, steps: number, active: number, out: number): void;
  rootSparse(entries: number, end: number, o: number, gh: number, delta: number): void;
  countBins(column: number, n: number, counts: number): void;
  listOthers(column: number, n: number, dominant: number, out: number): number;
  fixDominant(o: number, bins: number, dominant: number, total: number): void;
  total(gh: number, end: number, out: number): void;
}

const KERNELS = [rootKernel('root4', 4), rootKernel('root1', 1), segmentKernel('segment4', 4), segmentKernel('segment1', 1), pairwise('subtract', op.f64x2Sub), pairwise('add', op.f64x2Add), ZERO, PARTITION, SEARCH_SLOT, ROOT_ROWS, LEAVES, ROOT_SPARSE, TOTAL, COUNT_BINS, LIST_OTHERS, FIX_DOMINANT];
const kernelModule = compileOnce(() => wasmModule(KERNELS), ['boosting']);

/** The kernels on `memory`, or undefined where they cannot run. */
export function histogramKernels(memory: WebAssembly.Memory): HistogramKernels | undefined {
  const module = kernelModule();
  if (!module) return undefined;
  try {
    return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as HistogramKernels;
  } catch {
    return undefined;
  }
}
