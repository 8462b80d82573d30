import type { FeatureMatrix } from '../binning/types.ts';
import type { HistogramLayout } from './histogram.ts';
import { serialLevelWork, slotTotal, type LevelWork, type RowLists, type SplitSearch } from './level-work.ts';
import type { Quantised } from './quantise.ts';
import { leafWeight, type Split, type SplitParams } from './split-search.ts';
import type { Tree } from './types.ts';

export interface GrowParams extends SplitParams {
  maxDepth: number;
  learningRate: number;
}

/** Where the scratch arrays live: the heap, or a WebAssembly memory sized in advance (histogram-wasm.ts), which refuses to grow them. */
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
  if (m < n && work.leaves) work.leaves(tree, active, nodeOfRow);
  else if (m < n) for (let i = 0; i < n; i++) if (active[i] !== 1) nodeOfRow[i] = leafOf(matrix, tree, i);
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

/** Histogram buffer `level % 2`, grown when too small (levels alternate between the two). */
function take(scratch: GrowScratch, level: number, size: number): Float64Array {
  const i = level % 2 === 0 ? 0 : 1;
  if (scratch.hist[i].length < size) scratch.hist[i] = scratch.allocate.float64(Math.max(size, scratch.hist[i].length * 2));
  return scratch.hist[i];
}
