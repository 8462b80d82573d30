import type { FeatureMatrix } from '../binning/types.ts';
import type { GrowScratch } from './grow-tree.ts';
import { fillGoesLeft, type LevelWork } from './level-work.ts';
import { cellSpans, zeroBuiltSlots, type HistogramLayout } from './histogram.ts';
import { histogramKernels, type HistogramKernels } from './histogram-kernels.ts';
import { prepareSearch, searchBytes, wasmSearchSlots } from './split-search-wasm.ts';
import { dominantOf, type SparseRoot } from './sparse-root.ts';

/*
 * The histogram loops of histogram.ts on the WebAssembly kernels of histogram-kernels.ts: where the
 * matrix, the rows' g and h, the row lists and two levels of histograms lie in the module's memory
 * (a `WasmHistograms`), and the loops over features and nodes that call the kernels.
 */
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
  /** A tree's feature, split bin and default-left arrays (i32 each), for `leaves`. */
  tree: number;
  /** The root's total (g, h): 16 bytes. */
  total: number;
  /** Four tables of 256 bin counts (i32), while the listed features are chosen (sparse-root.ts). */
  counts: number;
  /** Where the listed rows of those features go (sparse-root.ts), past `end`: the memory grows for them. */
  sparse: number;
  treeSize: number;
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
  const tree = quantised + align(9 * n);
  const treeSize = 2 ** (Math.min(maxDepth, 30) + 1) - 1;
  const total = tree + 3 * align(4 * treeSize);
  const counts = total + 16;
  const hist0 = counts + 4096;
  const end = hist0 + 2 * histBytes;
  return { bins: 0, gh, rows, spare, table, search, quantised, tree, total, counts, treeSize, hist0, hist1: hist0 + histBytes, histBytes, sparse: end, end };
}

/** The other level's histogram buffer than the one at `histAt`: free while the root is built. */
function spareFor(at: WasmPlacement, histAt: number): number {
  return histAt === at.hist0 ? at.hist1 : at.hist0;
}

/** The features read sparsely at the root, where their rows lie in the memory, and where the root's total goes. */
export interface SparseAt {
  plan: Pick<SparseRoot, 'dominant' | 'starts'>;
  entriesAt: number;
  totalAt: number;
}

/**
 * The features with a dominant bin (sparse-root.ts), their other rows listed past `at.end` (the
 * memory grown for them) by the kernels; undefined where none has one or the list would pass `limit`.
 */
export function listSparse(k: HistogramKernels, memory: WebAssembly.Memory, at: WasmPlacement, n: number, features: number, limit: number): SparseAt | undefined {
  if (n === 0 || n > 2 ** 24) return undefined;
  const dominant = new Int32Array(features).fill(-1);
  const starts = new Int32Array(features + 1);
  const counts = new Int32Array(memory.buffer, at.counts, 1024);
  for (let f = 0; f < features; f++) {
    counts.fill(0);
    k.countBins(at.bins + f * n, n, at.counts);
    const top = dominantOf(counts, n);
    if (top) dominant[f] = top.bin;
    starts[f + 1] = starts[f]! + (top?.others ?? 0);
  }
  // One entry of room: listOthers writes one past its list.
  const end = at.sparse + 4 * (starts[features]! + 1);
  if (!dominant.some((d) => d >= 0) || end > limit) return undefined;
  try {
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / 65536));
  } catch {
    return undefined;
  }
  for (let f = 0; f < features; f++) {
    if (dominant[f]! < 0) continue;
    const listed = k.listOthers(at.bins + f * n, n, dominant[f]!, at.sparse + 4 * starts[f]!);
    if (listed !== at.sparse + 4 * starts[f + 1]!) throw new Error(`feature ${f}: ${(listed - at.sparse) / 4 - starts[f]!} rows listed where ${starts[f + 1]! - starts[f]!} were counted`);
  }
  return { plan: { dominant, starts }, entriesAt: at.sparse, totalAt: at.total };
}

/**
 * The root's histogram (as buildRootHistogram) of the given features into the slot at `histAt`
 * (zeroed); `spareAt`: a slot's room, used for the second copy (rootKernel) of these features'
 * cells. Features with a dominant bin (`sparse`) add only their listed rows; that bin then gets
 * the root's total minus the others.
 */
function wasmRoot(k: HistogramKernels, binsAt: number, n: number, offsets: Int32Array, features: Int32Array, ghAt: number, histAt: number, spareAt: number, sparse: SparseAt | undefined): void {
  const column = (f: number): number => binsAt + f * n;
  const o = (f: number): number => histAt + offsets[f]! * 16;
  const delta = spareAt - histAt;
  const end = ghAt + 16 * n;
  // Each feature's cells: its second copy zeroed, then (after the pass) added into the first.
  const zero = (f: number): void => k.zero(o(f) + delta, o(f + 1) + delta);
  const add = (f: number): void => k.add(o(f), o(f), o(f) + delta, o(f + 1));
  // The dense features (no dominant bin) in the order given; explicit calls, no arrays or spreads
  // (this runs for every tree, much of a short training before V8 optimises it).
  const dense = new Int32Array(features.length);
  let count = 0;
  for (let i = 0; i < features.length; i++) if (!sparse || sparse.plan.dominant[features[i]!]! < 0) dense[count++] = features[i]!;
  let j = 0;
  for (; j + 4 <= count; j += 4) {
    const [f0, f1, f2, f3] = [dense[j]!, dense[j + 1]!, dense[j + 2]!, dense[j + 3]!];
    zero(f0);
    zero(f1);
    zero(f2);
    zero(f3);
    k.root4(column(f0), column(f1), column(f2), column(f3), o(f0), o(f1), o(f2), o(f3), ghAt, end, delta);
    add(f0);
    add(f1);
    add(f2);
    add(f3);
  }
  for (; j < count; j++) {
    const f = dense[j]!;
    zero(f);
    k.root1(column(f), o(f), ghAt, end, delta);
    add(f);
  }
  if (!sparse || count === features.length) return;

  const { plan, entriesAt, totalAt } = sparse;
  k.total(ghAt, end, totalAt);
  for (const f of features) {
    const d = plan.dominant[f]!;
    if (d < 0) continue;
    k.zero(o(f) + delta, o(f + 1) + delta);
    k.rootSparse(entriesAt + 4 * plan.starts[f]!, entriesAt + 4 * plan.starts[f + 1]!, o(f), ghAt, delta);
    k.add(o(f), o(f), o(f) + delta, o(f + 1));
    k.fixDominant(o(f), offsets[f + 1]! - offsets[f]!, d, totalAt);
  }
}

/**
 * A level's histograms (as buildLevelHistograms) for the given features: `hist` is the level's
 * buffer as a view starting at byte `histAt`, `parentAt` the previous level's.
 */
function wasmLevel(
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
  /** The grower's scratch, every array of it a view of the module's memory. */
  scratch: GrowScratch;
  /** The row loops over it. */
  work: LevelWork;
}

/**
 * The histogram loops in WebAssembly for one matrix and maximum depth, with the scratch arrays they
 * work on, or undefined when the host lacks WebAssembly SIMD or the memory needed (the matrix, 33 bytes a row, two levels of up to
 * min(2^maxDepth, rows) histograms) is over the limit.
 */
export function wasmHistograms(matrix: FeatureMatrix, layout: HistogramLayout, maxDepth: number, options: { limit?: number } = {}): WasmHistograms | undefined {
  const at = wasmPlacement(matrix, layout, maxDepth);
  const limit = options.limit ?? WASM_HISTOGRAM_BYTES_LIMIT;
  if (at.end > limit) return undefined;
  let memory: WebAssembly.Memory;
  try {
    const pages = Math.ceil(at.end / 65536) || 1;
    memory = new WebAssembly.Memory({ initial: pages });
  } catch {
    return undefined;
  }
  const kernels = histogramKernels(memory);
  if (!kernels) return undefined;
  const n = matrix.rows;
  new Uint8Array(memory.buffer, at.bins, n * matrix.features).set(matrix.bins);
  const sparse = listSparse(kernels, memory, at, n, matrix.features, limit);
  const buffer = memory.buffer;
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

  const goesLeft = new Uint8Array(buffer, at.table, 256);
  prepareSearch(memory, at.search, layout, matrix.binCounts);
  const work: LevelWork = {
    buildRoot(features, gh, hist, search, best) {
      wasmRoot(kernels, at.bins, n, layout.offsets, features, inMemory(gh), inMemory(hist), spareFor(at, inMemory(hist)), sparse);
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
    leaves(tree, active, nodeOfRow) {
      const size = at.treeSize;
      if (tree.feature.length !== size) throw new Error(`a tree of ${tree.feature.length} nodes where ${size} were expected`);
      const slot = Math.ceil((4 * size) / 16) * 16;
      new Int32Array(buffer, at.tree, size).set(tree.feature);
      new Int32Array(buffer, at.tree + slot, size).set(tree.splitBin);
      new Int32Array(buffer, at.tree + 2 * slot, size).set(tree.defaultLeft);
      // The active bytes rootRows copied in; the spare row list is free once the tree is grown.
      kernels.leaves(at.bins, n, at.tree, at.tree + slot, at.tree + 2 * slot, at.search + 4 * (matrix.features + 1), maxDepth, at.quantised + 8 * n, at.spare);
      const leaves = scratch.spareRows;
      for (let i = 0; i < n; i++) if (active[i] !== 1) nodeOfRow[i] = leaves[i]!;
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
  return { scratch, work };
}
