import type { FeatureMatrix } from '../binning/types.ts';
import { buildHistograms, buildRootHistogram, subtractHistogram, type HistogramLayout } from './histogram.ts';
import type { Quantised } from './quantise.ts';
import { bestSplit, leafWeight, type SplitParams } from './split-search.ts';
import type { Tree } from './types.ts';

export interface GrowParams extends SplitParams {
  maxDepth: number;
  learningRate: number;
}

/** Buffers reused across trees: two levels of histograms and per-row scratch. */
export interface GrowScratch {
  hist: [Float64Array, Float64Array];
  rows: Int32Array;
  slotOfRow: Int32Array;
  gl: Float64Array;
  hl: Float64Array;
}

export function createScratch(n: number): GrowScratch {
  return {
    hist: [new Float64Array(0), new Float64Array(0)],
    rows: new Int32Array(n),
    slotOfRow: new Int32Array(n),
    gl: new Float64Array(n),
    hl: new Float64Array(n),
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

/**
 * Grows one tree depth-wise. Each level: decide every open node's split from its histogram,
 * partition the rows, build the histograms of the smaller child of each split in one pass over
 * their rows, and get each larger child by subtraction from its parent. `active` marks the rows
 * whose gradients enter the histograms (sampled, and not both zero); `nodeOfRow` comes back
 * holding every row's leaf, active or not.
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
): Tree {
  const n = matrix.rows;
  const tree = emptyTree(params.maxDepth);
  const units = { g: q.gUnit, h: q.hUnit };
  const activeCount = new Int32Array(tree.feature.length);
  nodeOfRow.fill(0);

  let open = [0];
  let hist = take(scratch, 0, layout.slotSize);
  hist.fill(0, 0, layout.slotSize);
  for (let i = 0; i < n; i++) {
    const on = active[i] === 1;
    scratch.gl[i] = on ? q.g[i]! : 0;
    scratch.hl[i] = on ? q.h[i]! : 0;
  }
  buildRootHistogram(matrix, layout, features, scratch.gl, scratch.hl, hist);

  for (let depth = 0; open.length > 0; depth++) {
    const splitting: number[] = [];
    open.forEach((node, slot) => {
      const total = slotTotal(hist, slot, layout, features[0]!, matrix.binCounts);
      tree.cover[node] = total.h * units.h;
      const split = depth < params.maxDepth ? bestSplit(hist, slot, layout, features, matrix.binCounts, total, units, params) : undefined;
      if (!split) {
        tree.feature[node] = -1;
        tree.value[node] = leafWeight(total.g * units.g, total.h * units.h, params.lambda) * params.learningRate;
        return;
      }
      tree.feature[node] = split.feature;
      tree.splitBin[node] = split.bin;
      tree.defaultLeft[node] = split.defaultLeft ? 1 : 0;
      tree.gain[node] = split.gain;
      splitting.push(slot);
    });
    if (splitting.length === 0) break;

    partition(matrix, tree, active, nodeOfRow, activeCount);

    // Children of the j-th splitting node take slots 2j (left) and 2j + 1 (right).
    const next: number[] = [];
    const slotOfNode = new Map<number, number>();
    const smallSlots: number[] = [];
    for (const slot of splitting) {
      const node = open[slot]!;
      const left = 2 * node + 1;
      const right = left + 1;
      slotOfNode.set(left, next.length).set(right, next.length + 1);
      smallSlots.push(next.length + (activeCount[left]! <= activeCount[right]! ? 0 : 1));
      next.push(left, right);
    }
    const built = new Int32Array(tree.feature.length).fill(-1);
    for (const s of smallSlots) built[next[s]!] = s;
    const nextHist = take(scratch, (depth + 1) % 2, next.length * layout.slotSize);
    for (const s of smallSlots) nextHist.fill(0, s * layout.slotSize, (s + 1) * layout.slotSize);
    // The list is grouped by slot (a counting sort), rows ascending within a slot: the scattered
    // adds then stay inside one node's histogram at a time, which is about 2× faster.
    const cursor = new Int32Array(next.length);
    let m = 0;
    for (const s of smallSlots) {
      cursor[s] = m;
      m += activeCount[next[s]!]!;
    }
    const { rows, slotOfRow, gl, hl } = scratch;
    const { g: gq, h: hq } = q;
    for (let i = 0; i < n; i++) {
      const s = built[nodeOfRow[i]!]!;
      if (s < 0 || !active[i]) continue;
      const k = cursor[s]!++;
      rows[k] = i;
      slotOfRow[k] = s;
      gl[k] = gq[i]!;
      hl[k] = hq[i]!;
    }
    buildHistograms(matrix, layout, features, scratch.rows, scratch.slotOfRow, scratch.gl, scratch.hl, m, nextHist);
    splitting.forEach((parentSlot, j) => {
      const small = smallSlots[j]!;
      const big = small % 2 === 0 ? small + 1 : small - 1;
      subtractHistogram(nextHist, hist, parentSlot, small, big, layout.slotSize);
    });
    open = next;
    hist = nextHist;
  }
  return tree;
}

/** Moves every row at a node that just split to its child, counting active rows per child. */
function partition(matrix: FeatureMatrix, tree: Tree, active: Uint8Array, nodeOfRow: Int32Array, counts: Int32Array): void {
  const n = matrix.rows;
  const { bins, binCounts } = matrix;
  const { feature, splitBin, defaultLeft } = tree;
  for (let i = 0; i < n; i++) {
    const node = nodeOfRow[i]!;
    const f = feature[node]!;
    if (f < 0) continue;
    const b = bins[f * n + i]!;
    const left = b === binCounts[f]! - 1 ? defaultLeft[node] === 1 : b <= splitBin[node]!;
    const child = 2 * node + (left ? 1 : 2);
    nodeOfRow[i] = child;
    counts[child]! += active[i]!;
  }
}

/** A node's gradient and hessian unit sums: the sum over any one feature's bins (all features agree). */
function slotTotal(hist: Float64Array, slot: number, layout: HistogramLayout, f: number, binCounts: Int32Array): { g: number; h: number } {
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
  if (scratch.hist[i].length < size) scratch.hist[i] = new Float64Array(Math.max(size, scratch.hist[i].length * 2));
  return scratch.hist[i];
}
