import type { FeatureMatrix } from '../binning/types.ts';
import { buildLevelHistograms, buildRootHistogram, type BinnedColumns, type HistogramLayout } from './histogram.ts';
import type { Quantised } from './quantise.ts';
import { bestSplit, leafWeight, type Split, type SplitParams } from './split-search.ts';
import type { Tree } from './types.ts';

export interface GrowParams extends SplitParams {
  maxDepth: number;
  learningRate: number;
}

/** Where the scratch arrays live: the heap, or shared memory that helper threads also see. */
export interface ScratchAllocator {
  float64(length: number): Float64Array;
  int32(length: number): Int32Array;
}

export const heapAllocator: ScratchAllocator = {
  float64: (length) => new Float64Array(length),
  int32: (length) => new Int32Array(length),
};

/**
 * Buffers reused across trees: two levels of histograms; each row's quantised g and h side by side
 * (`gh`: g of row i at 2i, h at 2i + 1; 0 for an inactive row); the active rows grouped by node (one contiguous segment per node, rows ascending)
 * and room for the rows that go right while a segment is partitioned.
 */
export interface GrowScratch extends RowLists {
  hist: [Float64Array, Float64Array];
  gh: Float64Array;
  allocate: ScratchAllocator;
}

/**
 * The row list, and room for the rows going right while it is partitioned. Only row numbers move:
 * the histogram loops fetch g and h by row, which costs them little next to the bins they fetch so,
 * and a partition that moved g and h along was three times the stores.
 */
export interface RowLists {
  rows: Int32Array;
  spareRows: Int32Array;
}

/** What a node's split search needs besides its histogram (the same for every node of a tree). */
export interface SplitSearch {
  binCounts: Int32Array;
  units: { g: number; h: number };
  params: SplitParams;
}

/**
 * The row loops of a tree, which a caller may spread over threads (src/workers/histogram-pool*.ts)
 * while growTree stays one piece of code: histograms and the split search that reads them (as
 * `searchSlots`, into `best`, when `search` is given), and partitioning each level's rows.
 */
export interface LevelWork {
  /** The root's histogram into slot 0 of `hist`, from every row in order (inactive rows: g = h = 0). */
  buildRoot(features: Int32Array, gh: Float64Array, hist: Float64Array, search: SplitSearch | undefined, best: Float64Array): void;
  /** A level's histograms as `buildLevelHistograms`; its 2 × count slots are searched. */
  buildLevel(
    features: Int32Array,
    rows: Int32Array,
    gh: Float64Array,
    segments: Int32Array,
    count: number,
    hist: Float64Array,
    parent: Float64Array,
    search: SplitSearch | undefined,
    best: Float64Array,
  ): void;
  /** `rootRows` (the rows' g and h side by side, the active rows listed), where the work has its own. */
  rootRows?(q: Quantised, active: Uint8Array, gh: Float64Array, rows: Int32Array): number;
  /**
   * Splits segments of the row list stably into [rows going left][rows going right]. `splits`
   * holds `count` sextuples (start, end, feature, split bin, missing bin, missing goes left 0/1);
   * the right child's start comes back in mids[j].
   */
  partition(lists: RowLists, splits: Int32Array, count: number, mids: Int32Array): void;
}

/** The row loops on one thread. */
export function serialLevelWork(matrix: BinnedColumns, layout: HistogramLayout): LevelWork {
  const goesLeft = new Uint8Array(256);
  return {
    buildRoot: (features, gh, hist, search, best) => {
      buildRootHistogram(matrix, layout, features, gh, hist);
      if (search) searchSlots(hist, 1, layout, features, search, best);
    },
    buildLevel: (features, rows, gh, segments, count, hist, parent, search, best) => {
      buildLevelHistograms(matrix, layout, features, rows, gh, segments, count, hist, parent);
      if (search) searchSlots(hist, 2 * count, layout, features, search, best);
    },
    partition: (lists, splits, count, mids) => {
      for (let j = 0; j < count; j++) {
        const start = splits[6 * j]!;
        const end = splits[6 * j + 1]!;
        const mid = start + partitionRows(matrix, lists, splits, j, start, end, goesLeft);
        lists.rows.set(lists.spareRows.subarray(start, start + end - mid), mid);
        mids[j] = mid;
      }
    },
  };
}

/**
 * The best split (`bestSplit`) of slots 0 … count − 1 of `hist` over `features`, as quadruples (gain,
 * feature, bin, missing goes left 1/0) in `best`; gain −1 where none. A node's totals are read from
 * the first of `features` (every feature's bins sum to the same integers), so the features may be
 * searched in runs, one per thread: the first run's best, replaced by a later run's only when
 * strictly greater, is the best of the whole list.
 */
export function searchSlots(hist: Float64Array, count: number, layout: HistogramLayout, features: Int32Array, search: SplitSearch, best: Float64Array): void {
  for (let slot = 0; slot < count; slot++) {
    const split =
      features.length > 0 ? bestSplit(hist, slot, layout, features, search.binCounts, slotTotal(hist, slot, layout, features[0]!, search.binCounts), search.units, search.params) : undefined;
    best[4 * slot] = split ? split.gain : -1;
    best[4 * slot + 1] = split ? split.feature : 0;
    best[4 * slot + 2] = split ? split.bin : 0;
    best[4 * slot + 3] = split?.defaultLeft ? 1 : 0;
  }
}

export function createScratch(n: number, allocate: ScratchAllocator = heapAllocator): GrowScratch {
  return {
    hist: [allocate.float64(0), allocate.float64(0)],
    gh: allocate.float64(2 * n),
    rows: allocate.int32(n),
    spareRows: allocate.int32(n),
    allocate,
  };
}

export function emptyTree(maxDepth: number): Tree {
  const size = 2 ** (maxDepth + 1) - 1;
  return {
    feature: new Int32Array(size).fill(-2),
    splitBin: new Int32Array(size),
    defaultLeft: new Uint8Array(size),
    value: new Float64Array(size),
    gain: new Float64Array(size),
    cover: new Float64Array(size),
  };
}

/** An open node and its segment [start, end) of the row list. */
interface Segment {
  node: number;
  start: number;
  end: number;
}

/**
 * Grows one tree depth-wise. Each level: decide every open node's split from its histogram,
 * partition the rows of each splitting node into its children's segments, build the histograms of
 * the smaller child of each split (one pass over their segments), and get each larger child by
 * subtraction from its parent. `active` marks the rows whose gradients enter the histograms
 * (sampled, and not both zero); `nodeOfRow` comes back holding every row's leaf, active or not.
 * `work` runs the row loops (one thread unless given).
 */
export function growTree(
  matrix: FeatureMatrix,
  layout: HistogramLayout,
  features: Int32Array,
  q: Quantised,
  active: Uint8Array,
  params: GrowParams,
  scratch: GrowScratch,
  nodeOfRow: Int32Array,
  work: LevelWork = serialLevelWork(matrix, layout),
): Tree {
  const n = matrix.rows;
  const tree = emptyTree(params.maxDepth);
  const units = { g: q.gUnit, h: q.hUnit };
  const search: SplitSearch = { binCounts: matrix.binCounts, units, params };
  const { slotSize } = layout;
  const { rows, gh } = scratch;

  // The root reads every row in order (an inactive row adds g = h = 0); the root's segment lists
  // the active rows.
  const m = (work.rootRows ?? rootRows)(q, active, gh, rows);
  let hist = take(scratch, 0, slotSize);
  hist.fill(0, 0, slotSize);
  let best = new Float64Array(4);
  work.buildRoot(features, gh, hist, params.maxDepth > 0 ? search : undefined, best);

  let open: Segment[] = [{ node: 0, start: 0, end: m }];
  // Each open node's unit sums (g, h), from its histogram, or (the last level) from its parent's.
  let totals: Float64Array | undefined;
  for (let depth = 0; open.length > 0; depth++) {
    const splitting: number[] = [];
    const sums = new Float64Array(2 * open.length);
    open.forEach(({ node, start, end }, slot) => {
      const total = totals ? { g: totals[2 * slot]!, h: totals[2 * slot + 1]! } : slotTotal(hist, slot, layout, features[0]!, matrix.binCounts);
      sums.set([total.g, total.h], 2 * slot);
      const split =
        depth < params.maxDepth && best[4 * slot]! > 0
          ? { gain: best[4 * slot]!, feature: best[4 * slot + 1]!, bin: best[4 * slot + 2]!, defaultLeft: best[4 * slot + 3] === 1 }
          : undefined;
      if (!setNode(tree, node, total, split, units, params)) {
        setLeaf(nodeOfRow, rows, start, end, node);
        return;
      }
      splitting.push(slot);
    });
    if (splitting.length === 0) break;

    // Children of the j-th splitting node take slots 2j (left) and 2j + 1 (right). The smaller
    // (fewer active rows, left on a tie) is built from its rows and the other is the parent minus
    // it: `built` lists (small slot, start, end, parent slot) per split.
    const splits = new Int32Array(6 * splitting.length);
    splitting.forEach((slot, j) => {
      const { node, start, end } = open[slot]!;
      const f = tree.feature[node]!;
      splits.set([start, end, f, tree.splitBin[node]!, matrix.binCounts[f]! - 1, tree.defaultLeft[node]!], 6 * j);
    });
    const mids = new Int32Array(splitting.length);
    work.partition(scratch, splits, splitting.length, mids);
    if (depth + 1 >= params.maxDepth) {
      // The children are leaves, which need only their sums: no histograms for them.
      open = splitting.flatMap((slot, j) => {
        const { node, start, end } = open[slot]!;
        return [{ node: 2 * node + 1, start, end: mids[j]! }, { node: 2 * node + 2, start: mids[j]!, end }];
      });
      totals = childSums(hist, layout, splitting, splits, sums);
      continue;
    }
    const next: Segment[] = [];
    const built = new Int32Array(4 * splitting.length);
    splitting.forEach((slot, j) => {
      const { node, start, end } = open[slot]!;
      const mid = mids[j]!;
      next.push({ node: 2 * node + 1, start, end: mid }, { node: 2 * node + 2, start: mid, end });
      const leftIsSmall = mid - start <= end - mid;
      built.set([leftIsSmall ? 2 * j : 2 * j + 1, leftIsSmall ? start : mid, leftIsSmall ? mid : end, slot], 4 * j);
    });
    const nextHist = take(scratch, depth + 1, next.length * slotSize);
    best = new Float64Array(4 * next.length);
    work.buildLevel(features, rows, gh, built, splitting.length, nextHist, hist, depth + 1 < params.maxDepth ? search : undefined, best);
    open = next;
    hist = nextHist;
  }
  if (m < n) for (let i = 0; i < n; i++) if (active[i] !== 1) nodeOfRow[i] = leafOf(matrix, tree, i);
  return tree;
}

/**
 * The unit sums (g, h) of the children of each split, left then right: the left child's are its
 * parent's bins of the split feature up to the split bin (and the missing bin when missing values go
 * left), the right child's the parent's total minus those. Integer sums, so exactly what the
 * children's own histograms would hold.
 */
function childSums(hist: Float64Array, layout: HistogramLayout, splitting: number[], splits: Int32Array, parentSums: Float64Array): Float64Array {
  const out = new Float64Array(4 * splitting.length);
  splitting.forEach((slot, j) => {
    const base = slot * layout.slotSize + layout.offsets[splits[6 * j + 2]!]! * 2;
    const missing = splits[6 * j + 4]!;
    let g = splits[6 * j + 5] === 1 ? hist[base + 2 * missing]! : 0;
    let h = splits[6 * j + 5] === 1 ? hist[base + 2 * missing + 1]! : 0;
    for (let b = 0; b <= splits[6 * j + 3]!; b++) {
      g += hist[base + 2 * b]!;
      h += hist[base + 2 * b + 1]!;
    }
    out.set([g, h, parentSums[2 * slot]! - g, parentSums[2 * slot + 1]! - h], 4 * j);
  });
  return out;
}

/** Each row's g and h (0 for an inactive row) side by side in `gh`; the active rows listed in `rows`. Returns their count. */
export function rootRows(q: Quantised, active: Uint8Array, gh: Float64Array, rows: Int32Array): number {
  let m = 0;
  for (let i = 0; i < active.length; i++) {
    const on = active[i] === 1;
    gh[2 * i] = on ? q.g[i]! : 0;
    gh[2 * i + 1] = on ? q.h[i]! : 0;
    rows[m] = i;
    m += on ? 1 : 0;
  }
  return m;
}

function setLeaf(nodeOfRow: Int32Array, rows: Int32Array, start: number, end: number, node: number): void {
  for (let k = start; k < end; k++) nodeOfRow[rows[k]!] = node;
}

/**
 * Partitions rows[start … end) by the split in sextuple j of `splits` (as LevelWork.partition), stably:
 * rows going left are packed in place from `start`, rows going right go to the spare list from
 * `start`. Returns how many went left. Every row is written to both sides and one cursor moves, by
 * a table lookup (`goesLeft`, 256 bytes of scratch): no branch on the split, which the CPU cannot
 * predict.
 */
export function partitionRows(matrix: BinnedColumns, lists: RowLists, splits: Int32Array, j: number, start: number, end: number, goesLeft: Uint8Array): number {
  const { rows, spareRows } = lists;
  const column = splits[6 * j + 2]! * matrix.rows;
  fillGoesLeft(goesLeft, splits, j);
  const bins = matrix.bins;
  let w = start;
  let r = start;
  for (let k = start; k < end; k++) {
    const i = rows[k]!;
    const left = goesLeft[bins[column + i]!]!;
    rows[w] = i;
    spareRows[r] = i;
    w += left;
    r += 1 - left;
  }
  return w - start;
}

/** The bin → goes left (1 / 0) table of sextuple j of `splits`, for the bins up to its missing bin. */
export function fillGoesLeft(goesLeft: Uint8Array, splits: Int32Array, j: number): void {
  const splitBin = splits[6 * j + 3]!;
  const missing = splits[6 * j + 4]!;
  for (let b = 0; b <= missing; b++) goesLeft[b] = b === missing ? splits[6 * j + 5]! : b <= splitBin ? 1 : 0;
}

/** The leaf a row reaches (for the rows outside every segment: not sampled, or g = h = 0). */
function leafOf(matrix: FeatureMatrix, tree: Tree, i: number): number {
  const n = matrix.rows;
  let node = 0;
  for (let f = tree.feature[0]!; f >= 0; f = tree.feature[node]!) {
    const b = matrix.bins[f * n + i]!;
    const left = b === matrix.binCounts[f]! - 1 ? tree.defaultLeft[node] === 1 : b <= tree.splitBin[node]!;
    node = 2 * node + (left ? 1 : 2);
  }
  return node;
}

/**
 * Writes a node of the tree from its unit sums: its split, or (none given) a leaf with the weight
 * −G/(H+λ) times the learning rate. Returns whether it split. Every grower, CPU or GPU, ends here.
 */
export function setNode(tree: Tree, node: number, total: { g: number; h: number }, split: Split | undefined, units: { g: number; h: number }, params: GrowParams): boolean {
  tree.cover[node] = total.h * units.h;
  if (!split) {
    tree.feature[node] = -1;
    tree.value[node] = leafWeight(total.g * units.g, total.h * units.h, params.lambda) * params.learningRate;
    return false;
  }
  tree.gain[node] = split.gain;
  tree.feature[node] = split.feature;
  tree.splitBin[node] = split.bin;
  tree.defaultLeft[node] = split.defaultLeft ? 1 : 0;
  return true;
}

/** A node's gradient and hessian unit sums: the sum over any one feature's bins (all features agree). */
export function slotTotal(hist: Float64Array, slot: number, layout: HistogramLayout, f: number, binCounts: Int32Array): { g: number; h: number } {
  const base = slot * layout.slotSize + layout.offsets[f]! * 2;
  let g = 0;
  let h = 0;
  for (let b = 0; b < binCounts[f]!; b++) {
    g += hist[base + 2 * b]!;
    h += hist[base + 2 * b + 1]!;
  }
  return { g, h };
}

/** Histogram buffer `level % 2`, grown when too small (levels alternate between the two). */
function take(scratch: GrowScratch, level: number, size: number): Float64Array {
  const i = level % 2 === 0 ? 0 : 1;
  if (scratch.hist[i].length < size) scratch.hist[i] = scratch.allocate.float64(Math.max(size, scratch.hist[i].length * 2));
  return scratch.hist[i];
}
