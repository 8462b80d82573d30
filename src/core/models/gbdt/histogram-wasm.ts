import type { FeatureMatrix } from '../binning/types.ts';
import { compileOnce, I32, op, V128, wasmModule, type WasmFunction } from '../wasm-module.ts';
import { fillGoesLeft, type GrowScratch, type LevelWork } from './grow-tree.ts';
import { cellSpans, zeroBuiltSlots, type HistogramLayout } from './histogram.ts';
import { prepareSearch, SEARCH_SLOT, searchBytes, wasmSearchSlots, type SearchKernel } from './split-search-wasm.ts';

/*
 * The histogram loops of histogram.ts in WebAssembly SIMD: a bin's two cells (g, h) are one 128-bit
 * lane pair, so adding a row to a bin is one load, one f64x2.add and one store, with no bounds
 * checks. Each lane does the IEEE addition the JS loop does, in the same row order, so the sums are
 * the same bits (and exact: integer units below 2^53). Four times the JS loop's speed here.
 *
 * Every address is a byte offset into the module's memory, where the matrix (copied once), the
 * rows' g and h, the row lists and two levels of histograms live (a `WasmHistograms`).
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
}

const KERNELS = [rootKernel('root4', 4), rootKernel('root1', 1), segmentKernel('segment4', 4), segmentKernel('segment1', 1), pairwise('subtract', op.f64x2Sub), pairwise('add', op.f64x2Add), ZERO, PARTITION, SEARCH_SLOT, ROOT_ROWS];
/** The compiled kernels, for a memory of one thread and for a shared one. */
const plainModule = compileOnce(() => wasmModule(KERNELS));
const sharedModule = compileOnce(() => wasmModule(KERNELS, 1, true));

/** The kernels on `memory` (shared or not, as made), or undefined where they cannot run. */
export function histogramKernels(memory: WebAssembly.Memory, shared: boolean): HistogramKernels | undefined {
  const module = (shared ? sharedModule : plainModule)();
  if (!module) return undefined;
  try {
    return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as HistogramKernels;
  } catch {
    return undefined;
  }
}

/** The most memory a grower's histograms may take before the JS loops are used instead. */
export const WASM_HISTOGRAM_BYTES_LIMIT = 1024 * 2 ** 20;

/** Byte offsets of a grower's arrays in its memory: the matrix, every row's (g, h), the row lists, two levels of histograms. */
export interface WasmPlacement {
  bins: number;
  gh: number;
  rows: number;
  spare: number;
  hist0: number;
  hist1: number;
  /** 256 bytes: a partition's bin → left table. */
  table: number;
  /** The split search's arrays (split-search-wasm.ts). */
  search: number;
  /** A tree's quantised g, h (i32) and active bytes, copied in for rootRows. */
  quantised: number;
  /** Bytes of one level's histograms. */
  histBytes: number;
  end: number;
}

export function wasmPlacement(matrix: Pick<FeatureMatrix, 'rows' | 'features'>, layout: HistogramLayout, maxDepth: number): WasmPlacement {
  const n = matrix.rows;
  const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;
  // A level has at most 2^maxDepth nodes, and no more than there are rows (each node holds one).
  const histBytes = Math.max(1, Math.min(2 ** Math.min(maxDepth, 30), n)) * layout.slotSize * 8;
  const gh = align(n * matrix.features);
  const rows = gh + align(16 * n);
  const spare = rows + align(4 * n);
  const table = spare + align(4 * n);
  const search = table + 256;
  const quantised = search + searchBytes(matrix.features);
  const hist0 = quantised + align(9 * n);
  return { bins: 0, gh, rows, spare, table, search, quantised, hist0, hist1: hist0 + histBytes, histBytes, end: hist0 + 2 * histBytes };
}

/** The other level's histogram buffer than the one at `histAt`: free while the root is built. */
export function spareFor(at: WasmPlacement, histAt: number): number {
  return histAt === at.hist0 ? at.hist1 : at.hist0;
}

/**
 * The root's histogram (as buildRootHistogram) of the given features into the slot at `histAt`;
 * `spareAt`: a slot's room, used for the second copy (rootKernel) of these features' cells.
 */
export function wasmRoot(k: HistogramKernels, binsAt: number, n: number, offsets: Int32Array, features: Int32Array, ghAt: number, histAt: number, spareAt: number): void {
  const column = (f: number): number => binsAt + f * n;
  const o = (f: number): number => histAt + offsets[f]! * 16;
  const delta = spareAt - histAt;
  const group = (fs: number[]): void => {
    for (const f of fs) k.zero(o(f) + delta, o(f + 1) + delta);
    if (fs.length === 4) k.root4(...fs.map(column), ...fs.map(o), ghAt, ghAt + 16 * n, delta);
    else k.root1(column(fs[0]!), o(fs[0]!), ghAt, ghAt + 16 * n, delta);
    for (const f of fs) k.add(o(f), o(f), o(f) + delta, o(f + 1));
  };
  let j = 0;
  for (; j + 4 <= features.length; j += 4) group([features[j]!, features[j + 1]!, features[j + 2]!, features[j + 3]!]);
  for (; j < features.length; j++) group([features[j]!]);
}

/**
 * A level's histograms (as buildLevelHistograms) for the given features: `hist` is the level's
 * buffer as a view starting at byte `histAt`, `parentAt` the previous level's.
 */
export function wasmLevel(
  k: HistogramKernels,
  binsAt: number,
  n: number,
  layout: HistogramLayout,
  features: Int32Array,
  rowsAt: number,
  ghAt: number,
  segments: Int32Array,
  count: number,
  hist: Float64Array,
  histAt: number,
  parentAt: number,
): void {
  const { offsets, slotSize } = layout;
  const column = (f: number): number => binsAt + f * n;
  const spans = cellSpans(layout, features);
  const slotAt = (slot: number): number => histAt + slot * slotSize * 8;
  // Each small child's sibling slot (filled by subtraction at the end) holds its second copy meanwhile.
  const overSpans = (s: number, each: (small: number, spare: number, start: number, end: number) => void): void => {
    const small = slotAt(segments[4 * s]!);
    const spare = slotAt(segments[4 * s]! ^ 1);
    for (let x = 0; x < spans.length; x += 2) each(small, spare, spans[x]! * 8, spans[x + 1]! * 8);
  };
  zeroBuiltSlots(hist, slotSize, spans, segments, count);
  for (let s = 0; s < count; s++) overSpans(s, (_, spare, start, end) => k.zero(spare + start, spare + end));
  const deltaOf = (s: number): number => ((segments[4 * s]! ^ 1) - segments[4 * s]!) * slotSize * 8;
  let j = 0;
  for (; j + 4 <= features.length; j += 4) {
    const [f0, f1, f2, f3] = [features[j]!, features[j + 1]!, features[j + 2]!, features[j + 3]!];
    for (let s = 0; s < count; s++) {
      const base = slotAt(segments[4 * s]!);
      const from = rowsAt + 4 * segments[4 * s + 1]!;
      const to = rowsAt + 4 * segments[4 * s + 2]!;
      k.segment4(column(f0), column(f1), column(f2), column(f3), base + offsets[f0]! * 16, base + offsets[f1]! * 16, base + offsets[f2]! * 16, base + offsets[f3]! * 16, ghAt, from, to, deltaOf(s));
    }
  }
  for (; j < features.length; j++) {
    const f = features[j]!;
    for (let s = 0; s < count; s++) {
      const base = slotAt(segments[4 * s]!);
      k.segment1(column(f), base + offsets[f]! * 16, ghAt, rowsAt + 4 * segments[4 * s + 1]!, rowsAt + 4 * segments[4 * s + 2]!, deltaOf(s));
    }
  }
  for (let s = 0; s < count; s++) {
    overSpans(s, (small, spare, start, end) => k.add(small + start, small + start, spare + start, small + end));
    const from = parentAt + segments[4 * s + 3]! * slotSize * 8;
    overSpans(s, (small, big, start, end) => k.subtract(big + start, from + start, small + start, big + end));
  }
}

export interface WasmHistograms {
  /** The grower's scratch, every array of it a view of `memory`. */
  scratch: GrowScratch;
  /** The row loops on this thread. */
  work: LevelWork;
  memory: WebAssembly.Memory;
  kernels: HistogramKernels;
  at: WasmPlacement;
  /** The matrix with its bins in `memory`. */
  matrix: FeatureMatrix;
}

/**
 * The histogram loops in WebAssembly for one matrix and maximum depth, with the scratch arrays they
 * work on, or undefined when the host lacks WebAssembly SIMD (or shared WebAssembly memory, when
 * `shared`) or the memory needed (the matrix, 33 bytes a row, two levels of up to
 * min(2^maxDepth, rows) histograms) is over the limit.
 */
export function wasmHistograms(matrix: FeatureMatrix, layout: HistogramLayout, maxDepth: number, options: { limit?: number; shared?: boolean } = {}): WasmHistograms | undefined {
  const shared = options.shared ?? false;
  const at = wasmPlacement(matrix, layout, maxDepth);
  if (at.end > (options.limit ?? WASM_HISTOGRAM_BYTES_LIMIT)) return undefined;
  let memory: WebAssembly.Memory;
  try {
    const pages = Math.ceil(at.end / 65536) || 1;
    memory = new WebAssembly.Memory(shared ? { initial: pages, maximum: pages, shared: true } : { initial: pages });
  } catch {
    return undefined;
  }
  const kernels = histogramKernels(memory, shared);
  if (!kernels) return undefined;
  const n = matrix.rows;
  const buffer = memory.buffer;
  const bins = new Uint8Array(buffer, at.bins, n * matrix.features);
  bins.set(matrix.bins);
  const outOfRoom = (): never => {
    throw new Error('the WebAssembly histograms were sized for this tree depth; a larger buffer was asked for');
  };
  const scratch: GrowScratch = {
    hist: [new Float64Array(buffer, at.hist0, at.histBytes / 8), new Float64Array(buffer, at.hist1, at.histBytes / 8)],
    gh: new Float64Array(buffer, at.gh, 2 * n),
    rows: new Int32Array(buffer, at.rows, n),
    spareRows: new Int32Array(buffer, at.spare, n),
    allocate: { float64: outOfRoom, int32: outOfRoom },
  };
  const inMemory = (array: Float64Array | Int32Array): number => {
    if (array.buffer !== buffer) throw new Error('the WebAssembly histogram loops were handed an array outside their memory');
    return array.byteOffset;
  };
  const inside = { ...matrix, bins };

  const goesLeft = new Uint8Array(buffer, at.table, 256);
  prepareSearch(memory, at.search, layout, matrix.binCounts);
  const work: LevelWork = {
    buildRoot(features, gh, hist, search, best) {
      wasmRoot(kernels, at.bins, n, layout.offsets, features, inMemory(gh), inMemory(hist), spareFor(at, inMemory(hist)));
      if (search) wasmSearchSlots(kernels, memory, at.search, hist, inMemory(hist), 1, layout, features, search, best);
    },
    buildLevel(features, rows, gh, segments, count, hist, parent, search, best) {
      wasmLevel(kernels, at.bins, n, layout, features, inMemory(rows), inMemory(gh), segments, count, hist, inMemory(hist), inMemory(parent));
      if (search) wasmSearchSlots(kernels, memory, at.search, hist, inMemory(hist), 2 * count, layout, features, search, best);
    },
    rootRows(q, active, gh, rows) {
      const g = new Int32Array(buffer, at.quantised, n);
      const h = new Int32Array(buffer, at.quantised + 4 * n, n);
      const on = new Uint8Array(buffer, at.quantised + 8 * n, n);
      g.set(q.g);
      h.set(q.h);
      on.set(active);
      return kernels.rootRows(g.byteOffset, h.byteOffset, on.byteOffset, inMemory(gh), inMemory(rows), n);
    },
    partition(lists, splits, count, mids) {
      const rowsAt = inMemory(lists.rows);
      const spareAt = inMemory(lists.spareRows);
      for (let j = 0; j < count; j++) {
        const start = splits[6 * j]!;
        const end = splits[6 * j + 1]!;
        fillGoesLeft(goesLeft, splits, j);
        const mid = start + kernels.partition(rowsAt, spareAt, rowsAt + 4 * start, rowsAt + 4 * end, at.bins + splits[6 * j + 2]! * n, at.table);
        lists.rows.set(lists.spareRows.subarray(start, start + end - mid), mid);
        mids[j] = mid;
      }
    },
  };
  return { scratch, work, memory, kernels, at, matrix: inside };
}
