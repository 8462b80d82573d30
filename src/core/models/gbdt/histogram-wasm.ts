import type { FeatureMatrix } from '../binning/types.ts';
import { I32, op, V128, wasmModule, type WasmFunction } from '../wasm-module.ts';
import { searchSlots, serialLevelWork, type GrowScratch, type LevelWork } from './grow-tree.ts';
import { cellSpans, type HistogramLayout } from './histogram.ts';

/*
 * The histogram loops of histogram.ts in WebAssembly SIMD: a bin's two cells (g, h) are one 128-bit
 * lane pair, so adding a row to a bin is one load, one f64x2.add and one store, with no bounds
 * checks. Each lane does the IEEE addition the JS loop does, in the same row order, so the sums are
 * the same bits (and exact: integer units below 2^53). Four times the JS loop's speed here.
 *
 * Every address is a byte offset into the module's memory, where the matrix (copied once), the
 * rows' g and h, the row lists and two levels of histograms live (a `WasmHistograms`).
 */

// root4(c0, c1, c2, c3, o0, o1, o2, o3, gh, ghEnd): columns at c*, one byte per row from row 0;
// each feature's bins at o* (16 bytes a bin); every row's (g, h) pair from gh to ghEnd.
const ROOT_CELL = (c: number, o: number, p: number, v: number): number[][] => [
  ...[op.get(c), op.i32Load8U(), op.i32(4), op.i32Shl, op.get(o), op.i32Add, op.tee(p)],
  ...[op.get(p), op.v128Load(), op.get(v), op.f64x2Add, op.v128Store()],
  ...[op.get(c), op.i32(1), op.i32Add, op.set(c)],
];

function rootKernel(name: string, features: number): WasmFunction {
  const gh = 2 * features;
  const end = gh + 1;
  const p = end + 1;
  const v = p + 1;
  const cells = Array.from({ length: features }, (_, f) => ROOT_CELL(f, features + f, p, v)).flat();
  return {
    name,
    params: Array<number>(2 * features + 2).fill(I32),
    results: [],
    locals: [I32, V128],
    body: [
      ...[op.block, op.get(gh), op.get(end), op.i32GeU, op.brIf(0), op.loop],
      ...[op.get(gh), op.v128Load(), op.set(v), ...cells],
      ...[op.get(gh), op.i32(16), op.i32Add, op.tee(gh), op.get(end), op.i32LtU, op.brIf(0), op.end, op.end],
    ],
  };
}

// segment4(c0, c1, c2, c3, o0, o1, o2, o3, gh, rows, rowsEnd): as root4 for the rows listed
// (Int32) from rows to rowsEnd.
function segmentKernel(name: string, features: number): WasmFunction {
  const gh = 2 * features;
  const rows = gh + 1;
  const end = rows + 1;
  const i = end + 1;
  const p = i + 1;
  const v = p + 1;
  const cells = Array.from({ length: features }, (_, f) => [
    ...[op.get(f), op.get(i), op.i32Add, op.i32Load8U(), op.i32(4), op.i32Shl, op.get(features + f), op.i32Add, op.tee(p)],
    ...[op.get(p), op.v128Load(), op.get(v), op.f64x2Add, op.v128Store()],
  ]).flat();
  return {
    name,
    params: Array<number>(2 * features + 3).fill(I32),
    results: [],
    locals: [I32, I32, V128],
    body: [
      ...[op.block, op.get(rows), op.get(end), op.i32GeU, op.brIf(0), op.loop],
      ...[op.get(rows), op.i32Load(), op.set(i), op.get(gh), op.get(i), op.i32(4), op.i32Shl, op.i32Add, op.v128Load(), op.set(v), ...cells],
      ...[op.get(rows), op.i32(4), op.i32Add, op.tee(rows), op.get(end), op.i32LtU, op.brIf(0), op.end, op.end],
    ],
  };
}

// subtract(big, parent, small, bigEnd): big = parent − small, 16 bytes at a time, up to bigEnd.
const SUBTRACT: WasmFunction = {
  name: 'subtract',
  params: [I32, I32, I32, I32],
  results: [],
  locals: [],
  body: [
    ...[op.block, op.get(0), op.get(3), op.i32GeU, op.brIf(0), op.loop],
    ...[op.get(0), op.get(1), op.v128Load(), op.get(2), op.v128Load(), op.f64x2Sub, op.v128Store()],
    ...[op.get(1), op.i32(16), op.i32Add, op.set(1), op.get(2), op.i32(16), op.i32Add, op.set(2)],
    ...[op.get(0), op.i32(16), op.i32Add, op.tee(0), op.get(3), op.i32LtU, op.brIf(0), op.end, op.end],
  ],
};

interface Kernels {
  root4(...args: number[]): void;
  root1(...args: number[]): void;
  segment4(...args: number[]): void;
  segment1(...args: number[]): void;
  subtract(big: number, parent: number, small: number, bigEnd: number): void;
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernels, or null where this host has no WebAssembly SIMD (or refuses to compile). */
function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    const bytes = wasmModule([rootKernel('root4', 4), rootKernel('root1', 1), segmentKernel('segment4', 4), segmentKernel('segment1', 1), SUBTRACT]);
    if (typeof WebAssembly !== 'undefined' && WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
  } catch {
    compiled = null;
  }
  return compiled;
}

/** The most memory a grower's histograms may take before the JS loops are used instead. */
export const WASM_HISTOGRAM_BYTES_LIMIT = 1024 * 2 ** 20;

export interface WasmHistograms {
  /** The grower's scratch, every array of it a view of the module's memory. */
  scratch: GrowScratch;
  work: LevelWork;
}

/**
 * The histogram loops in WebAssembly for one matrix and maximum depth, with the scratch arrays they
 * work on, or undefined when the host lacks WebAssembly SIMD or the memory needed (the matrix, 24
 * bytes a row, and two levels of up to min(2^maxDepth, rows) histograms) is over the limit.
 */
export function wasmHistograms(matrix: FeatureMatrix, layout: HistogramLayout, maxDepth: number, limit = WASM_HISTOGRAM_BYTES_LIMIT): WasmHistograms | undefined {
  const module = kernelModule();
  if (!module) return undefined;
  const n = matrix.rows;
  const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;
  const slots = Math.max(1, Math.min(2 ** Math.min(maxDepth, 30), n));
  const histBytes = slots * layout.slotSize * 8;
  const at = { bins: 0, gh: align(n * matrix.features), rows: 0, spare: 0, hist0: 0, hist1: 0, end: 0 };
  at.rows = at.gh + align(16 * n);
  at.spare = at.rows + align(4 * n);
  at.hist0 = at.spare + align(4 * n);
  at.hist1 = at.hist0 + histBytes;
  at.end = at.hist1 + histBytes;
  if (at.end > limit) return undefined;
  let memory: WebAssembly.Memory;
  let kernels: Kernels;
  try {
    memory = new WebAssembly.Memory({ initial: Math.ceil(at.end / 65536) || 1 });
    kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Kernels;
  } catch {
    return undefined;
  }
  const buffer = memory.buffer;
  new Uint8Array(buffer, at.bins, n * matrix.features).set(matrix.bins);
  const outOfRoom = (): never => {
    throw new Error('the WebAssembly histograms were sized for this tree depth; a larger buffer was asked for');
  };
  const scratch: GrowScratch = {
    hist: [new Float64Array(buffer, at.hist0, histBytes / 8), new Float64Array(buffer, at.hist1, histBytes / 8)],
    gh: new Float64Array(buffer, at.gh, 2 * n),
    rows: new Int32Array(buffer, at.rows, n),
    spareRows: new Int32Array(buffer, at.spare, n),
    allocate: { float64: outOfRoom, int32: outOfRoom },
  };
  const inMemory = (array: Float64Array | Int32Array): number => {
    if (array.buffer !== buffer) throw new Error('the WebAssembly histogram loops were handed an array outside their memory');
    return array.byteOffset;
  };
  const { offsets, slotSize } = layout;
  const column = (f: number): number => at.bins + f * n;
  const serial = serialLevelWork(matrix, layout);

  const work: LevelWork = {
    buildRoot(features, gh, hist, search, best) {
      const ghAt = inMemory(gh);
      const base = inMemory(hist);
      const o = (f: number): number => base + offsets[f]! * 16;
      let j = 0;
      for (; j + 4 <= features.length; j += 4) {
        const [f0, f1, f2, f3] = [features[j]!, features[j + 1]!, features[j + 2]!, features[j + 3]!];
        kernels.root4(column(f0), column(f1), column(f2), column(f3), o(f0), o(f1), o(f2), o(f3), ghAt, ghAt + 16 * n);
      }
      for (; j < features.length; j++) kernels.root1(column(features[j]!), o(features[j]!), ghAt, ghAt + 16 * n);
      if (search) searchSlots(hist, 1, layout, features, search, best);
    },

    buildLevel(features, rows, gh, segments, count, hist, parent, search, best) {
      const ghAt = inMemory(gh);
      const rowsAt = inMemory(rows);
      const histAt = inMemory(hist);
      const parentAt = inMemory(parent);
      const spans = cellSpans(layout, features);
      for (let s = 0; s < count; s++) {
        const cell = segments[4 * s]! * slotSize;
        for (let j = 0; j < spans.length; j += 2) hist.fill(0, cell + spans[j]!, cell + spans[j + 1]!);
      }
      let j = 0;
      for (; j + 4 <= features.length; j += 4) {
        const [f0, f1, f2, f3] = [features[j]!, features[j + 1]!, features[j + 2]!, features[j + 3]!];
        for (let s = 0; s < count; s++) {
          const base = histAt + segments[4 * s]! * slotSize * 8;
          const from = rowsAt + 4 * segments[4 * s + 1]!;
          const to = rowsAt + 4 * segments[4 * s + 2]!;
          kernels.segment4(column(f0), column(f1), column(f2), column(f3), base + offsets[f0]! * 16, base + offsets[f1]! * 16, base + offsets[f2]! * 16, base + offsets[f3]! * 16, ghAt, from, to);
        }
      }
      for (; j < features.length; j++) {
        const f = features[j]!;
        for (let s = 0; s < count; s++) {
          const base = histAt + segments[4 * s]! * slotSize * 8;
          kernels.segment1(column(f), base + offsets[f]! * 16, ghAt, rowsAt + 4 * segments[4 * s + 1]!, rowsAt + 4 * segments[4 * s + 2]!);
        }
      }
      for (let s = 0; s < count; s++) {
        const small = histAt + segments[4 * s]! * slotSize * 8;
        const big = histAt + (segments[4 * s]! ^ 1) * slotSize * 8;
        const from = parentAt + segments[4 * s + 3]! * slotSize * 8;
        for (let k = 0; k < spans.length; k += 2) {
          const start = spans[k]! * 8;
          kernels.subtract(big + start, from + start, small + start, big + spans[k + 1]! * 8);
        }
      }
      if (search) searchSlots(hist, 2 * count, layout, features, search, best);
    },

    partition: serial.partition,
  };
  return { scratch, work };
}
