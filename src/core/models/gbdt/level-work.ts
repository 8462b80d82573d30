import { buildLevelHistograms, buildRootHistogram, type BinnedColumns, type HistogramLayout } from './histogram.ts';
import type { Quantised } from './quantise.ts';
import type { Tree } from './types.ts';
import { bestSplit, type SplitParams } from './split-search.ts';

/*
 * The row loops of growing a tree (grow-tree.ts), behind `LevelWork`: histograms, the split search
 * that reads them, and partitioning a level's rows: the JS loops here (the reference), or their
 * WebAssembly kernels (histogram-wasm.ts).
 */

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
 * The row loops of a tree, which a grower may run its own way (histogram-wasm.ts) while growTree
 * stays one piece of code: histograms and the split search that reads them (as
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
  /**
   * The leaf of every row outside the tree's segments (active[i] ≠ 1) into nodeOfRow, after the
   * tree is grown, where the work has its own loop (else grow-tree's leafOf per row).
   */
  leaves?(tree: Tree, active: Uint8Array, nodeOfRow: Int32Array): void;
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
 * the first of `features` (every feature's bins sum to the same integers).
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
