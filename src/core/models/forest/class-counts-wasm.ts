import type { FeatureMatrix } from '../binning/types.ts';
import { compileOnce, I32, op, wasmModule, type WasmFunction } from '../wasm-module.ts';

/*
 * The random forest's class-count histograms (class-counts.ts, addBatchClassCounts) in
 * WebAssembly: for each row of a node, its draws into its class's cell and 1 into the distinct-row
 * cell of its bin, for four features a pass (or one). Integer adds, so the counts are the JS
 * loop's exactly. Arguments are byte addresses into the memory of a `ClassCountMemory`.
 */

// countsW(c0 … c[W−1], o0 … o[W−1], rows, end, y, draws, binBytes, distinct), W = 1 … 4: columns at c*,
// one byte per row; feature s's histogram at o* (binBytes a bin, the distinct-row cell at byte
// `distinct` of a bin); the rows listed (i32) from rows to end.
function countsKernel(name: string, features: number): WasmFunction {
  const [rows, end, y, draws, binBytes, distinct] = Array.from({ length: 6 }, (_, j) => 2 * features + j) as [number, number, number, number, number, number];
  const [i, cls, d, a] = [distinct + 1, distinct + 2, distinct + 3, distinct + 4];
  const add = (address: number[][], amount: number[][]): number[][] => [...address, ...address, op.i32Load(), ...amount, op.i32Add, op.i32Store()];
  const cells = Array.from({ length: features }, (_, f) => [
    ...[op.get(f), op.get(i), op.i32Add, op.i32Load8U(), op.get(binBytes), op.i32Mul, op.get(features + f), op.i32Add, op.set(a)],
    ...add([op.get(a), op.get(cls), op.i32Add], [op.get(d)]),
    ...add([op.get(a), op.get(distinct), op.i32Add], [op.i32(1)]),
  ]).flat();
  const word = (base: number): number[][] => [op.get(base), op.get(i), op.i32(2), op.i32Shl, op.i32Add, op.i32Load()];
  return {
    name,
    params: Array<number>(2 * features + 6).fill(I32),
    results: [],
    locals: [I32, I32, I32, I32],
    body: [
      ...[op.block, op.get(rows), op.get(end), op.i32GeU, op.brIf(0), op.loop],
      ...[op.get(rows), op.i32Load(), op.set(i), ...word(y), op.i32(2), op.i32Shl, op.set(cls), ...word(draws), op.set(d), ...cells],
      ...[op.get(rows), op.i32(4), op.i32Add, op.tee(rows), op.get(end), op.i32LtU, op.brIf(0), op.end, op.end],
    ],
  };
}

/** counts1 … counts4: a batch of six features is one pass of four and one of two. */
const countsModule = compileOnce(() => wasmModule([1, 2, 3, 4].map((w) => countsKernel(`counts${w}`, w))));

/** Beyond this, the JS loops (a 32-bit memory; each thread would hold its own copy of the matrix). */
const WASM_LIMIT = 1 << 30;

/**
 * A forest tree's per-row arrays in one WebAssembly memory with the matrix's bins and the labels,
 * and the kernels over them; the arrays are views, which the JS code of CpuClassCounts uses as it
 * would its own.
 */
export interface ClassCountMemory {
  rows: Int32Array;
  spill: Int32Array;
  draws: Int32Array;
  hist: Int32Array;
  /** As addBatchClassCounts: features[from … to) of one node, histogram s of the batch at s · slot. */
  addBatch(rowsStart: number, rowsEnd: number, features: Int32Array, from: number, to: number, K1: number, slot: number): void;
}

/** The memory for a matrix, or undefined where the host lacks WebAssembly or the memory would be too large. */
export function classCountMemory(matrix: FeatureMatrix, y: Int32Array, histCells: number): ClassCountMemory | undefined {
  const module = countsModule();
  if (!module) return undefined;
  const n = matrix.rows;
  const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;
  const at = { bins: 0, y: align(n * matrix.features) };
  const drawsAt = at.y + align(4 * n);
  const rowsAt = drawsAt + align(4 * n);
  const spillAt = rowsAt + align(4 * n);
  const histAt = spillAt + align(4 * n);
  const bytes = histAt + 4 * histCells;
  if (bytes > WASM_LIMIT) return undefined;
  let memory: WebAssembly.Memory;
  let k: Record<string, (...args: number[]) => void>;
  try {
    memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) || 1 });
    k = new WebAssembly.Instance(module, { env: { memory } }).exports as typeof k;
  } catch {
    return undefined;
  }
  const buffer = memory.buffer;
  new Uint8Array(buffer, at.bins, n * matrix.features).set(matrix.bins);
  new Int32Array(buffer, at.y, n).set(y);
  const column = (f: number): number => at.bins + f * n;
  return {
    rows: new Int32Array(buffer, rowsAt, n),
    spill: new Int32Array(buffer, spillAt, n),
    draws: new Int32Array(buffer, drawsAt, n),
    hist: new Int32Array(buffer, histAt, histCells),
    addBatch(start, end, features, from, to, K1, slot) {
      const rows = rowsAt + 4 * start;
      const rowsEnd = rowsAt + 4 * end;
      const bin = 4 * K1;
      const distinct = 4 * (K1 - 1);
      const c = (r: number): number => column(features[r]!);
      const o = (r: number): number => histAt + 4 * (r - from) * slot;
      // Explicit calls (no arrays, no spread): a deep node's rows are few, and this runs per node.
      let r = from;
      for (; r + 4 <= to; r += 4) k.counts4!(c(r), c(r + 1), c(r + 2), c(r + 3), o(r), o(r + 1), o(r + 2), o(r + 3), rows, rowsEnd, at.y, drawsAt, bin, distinct);
      if (to - r === 3) k.counts3!(c(r), c(r + 1), c(r + 2), o(r), o(r + 1), o(r + 2), rows, rowsEnd, at.y, drawsAt, bin, distinct);
      else if (to - r === 2) k.counts2!(c(r), c(r + 1), o(r), o(r + 1), rows, rowsEnd, at.y, drawsAt, bin, distinct);
      else if (to - r === 1) k.counts1!(c(r), o(r), rows, rowsEnd, at.y, drawsAt, bin, distinct);
    },
  };
}
