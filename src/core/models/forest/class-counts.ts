import type { FeatureMatrix } from '../binning/types.ts';
import { classCountMemory, type ClassCountMemory } from './class-counts-wasm.ts';
import { addBatchClassCounts, addClassCounts, BATCH, BATCH_MIN_ROWS } from './class-count-loops.ts';
import type { FeatureHistogram, ScanLoop } from './gini-split.ts';

/** The (node, feature) pairs of the current level whose class-count histograms the grower needs. */
export interface HistogramRequests {
  count: number;
  /** Node of each request: its index within the level (0 … level size − 1). */
  node: Int32Array;
  feature: Int32Array;
}

/**
 * A level's decisions, as the row partition needs them. Node j of the level splits on `feature[j]`
 * (−1: it does not split) and sends a row left when its bin ≤ `bin[j]`, or when the bin is the
 * missing one and `defaultLeft[j]` is 1. Its children are nodes `leftNext[j]` and `rightNext[j]` of
 * the next level, or −1 where a child is a leaf (its rows leave the tree's work).
 */
export interface LevelSplits {
  nodes: number;
  nextNodes: number;
  feature: Int32Array;
  bin: Int32Array;
  defaultLeft: Uint8Array;
  leftNext: Int32Array;
  rightNext: Int32Array;
  /** Distinct in-bag rows of each child that goes on (by next-level node). */
  nextRows: Int32Array;
}

/** Receives request `r`'s histogram; it is valid only during the call. */
export type HistogramVisitor = (r: number, histogram: FeatureHistogram) => void;

/**
 * What grows a forest tree's class-count histograms, level by level: the CPU reference below, or
 * the WebGPU kernels (src/gpu/forest-count-source.ts). Both add the same integers, so the grower
 * (grow-forest-tree.ts) makes the same decisions on both.
 */
export interface ClassCountSource {
  /** Starts a tree: row i is drawn `draws[i]` times (0: out of bag); every in-bag row is in node 0. */
  beginTree(draws: Int32Array, inBag: number): void | Promise<void>;
  /** Builds the requested histograms and hands each to `visit`, in any order. */
  histograms(requests: HistogramRequests, visit: HistogramVisitor): void | Promise<void>;
  /** Moves the rows of the level's nodes to the next level's. */
  partition(splits: LevelSplits): void | Promise<void>;
  /** How many more features a node with no valid split asks for at once (any number gives the same tree). */
  readonly retryBatch: number;
}

/**
 * The CPU reference: the in-bag rows in one list, each node of the level a contiguous segment of
 * it. A histogram is one pass over the node's rows, and only its occupied bins are cleared, so
 * small deep nodes cost O(rows), not O(bins). The partition is stable (left rows first).
 */
export class CpuClassCounts implements ClassCountSource {
  readonly retryBatch = 1;
  private readonly K1: number;
  private readonly rows: Int32Array;
  private readonly spill: Int32Array;
  private readonly hist: Int32Array;
  /** Cells of one histogram in `hist` (a batch's histograms lie one after another). */
  private readonly slot: number;
  private draws: Int32Array = new Int32Array(0);
  private start = new Int32Array(1);
  private end = new Int32Array(1);
  private nextStart = new Int32Array(1);
  private nextEnd = new Int32Array(1);
  /** Rows [0, used) of `rows` belong to held nodes. */
  private used = 0;

  /** The batch loop in WebAssembly, with the arrays above in its memory (undefined: JS, the reference). */
  private readonly wasm: ClassCountMemory | undefined;

  constructor(
    private readonly matrix: FeatureMatrix,
    private readonly y: Int32Array,
    classes: number,
    allowWasm = true,
  ) {
    this.K1 = classes + 1;
    let maxBins = 0;
    for (let f = 0; f < matrix.features; f++) maxBins = Math.max(maxBins, matrix.binCounts[f]!);
    this.slot = maxBins * this.K1;
    this.wasm = allowWasm ? classCountMemory(matrix, y, BATCH * this.slot, classes) : undefined;
    this.rows = this.wasm?.rows ?? new Int32Array(matrix.rows);
    this.spill = this.wasm?.spill ?? new Int32Array(matrix.rows);
    this.hist = this.wasm?.hist ?? new Int32Array(BATCH * this.slot);
  }

  /** The tree's draws, in the WebAssembly memory when the batch loop runs there. */
  /** The split scan in WebAssembly over this source's histograms, when they are in its memory. */
  scanKernel(): ScanLoop | undefined {
    const w = this.wasm;
    return w?.scan ? { hist: w.hist, scan: w.scan, out: w.scanOut, ints: w.scanInts } : undefined;
  }

  private take(draws: Int32Array): Int32Array {
    if (!this.wasm) return draws;
    this.wasm.draws.set(draws);
    return this.wasm.draws;
  }

  beginTree(draws: Int32Array): void {
    this.draws = this.take(draws);
    const rows = this.rows;
    let count = 0;
    if (this.wasm) count = this.wasm.inBag(draws.length);
    else {
      // Branch-free: about a third of the rows are out of bag, at random.
      for (let i = 0; i < draws.length; i++) {
        rows[count] = i;
        count += (0 - draws[i]!) >>> 31;
      }
    }
    this.used = count;
    this.start[0] = 0;
    this.end[0] = count;
  }

  /** Starts a tree holding no node yet (nodes come later through `adopt`): the GPU engine's helper for small nodes. */
  beginEmpty(draws: Int32Array): void {
    this.draws = this.take(draws);
    this.used = 0;
    this.start[0] = -1;
  }

  /** Whether node j of the current level is held here. */
  holds(j: number): boolean {
    return this.start[j]! >= 0;
  }

  /** Takes node j of the current level (after `partition`), with these rows. */
  adopt(j: number, rows: ArrayLike<number>): void {
    this.rows.set(rows, this.used);
    this.start[j] = this.used;
    this.used += rows.length;
    this.end[j] = this.used;
  }

  histograms(requests: HistogramRequests, visit: HistogramVisitor): void {
    const { matrix, hist, K1, slot } = this;
    for (let r = 0; r < requests.count; ) {
      const j = requests.node[r]!;
      let e = r + 1;
      while (e < requests.count && requests.node[e] === j && e - r < BATCH) e++;
      if (!this.holds(j)) {
        r = e;
        continue;
      }
      const start = this.start[j]!;
      const end = this.end[j]!;
      if (e - r === 1 || end - start < BATCH_MIN_ROWS) {
        for (; r < e; r++) {
          const f = requests.feature[r]!;
          const miss = matrix.binCounts[f]! - 1;
          const range = addClassCounts(matrix, this.y, this.draws, this.rows, start, end, f, K1, hist);
          const lo = range >> 16;
          const hi = (range & 0xffff) - 1;
          visit(r, { hist, offset: 0, lo, hi, miss });
          if (hi >= 0) hist.fill(0, lo * K1, (hi + 1) * K1);
          hist.fill(0, miss * K1, (miss + 1) * K1);
        }
        continue;
      }
      if (this.wasm) this.wasm.addBatch(start, end, requests.feature, r, e, K1, slot);
      else addBatchClassCounts(matrix, this.y, this.draws, this.rows, start, end, requests.feature, r, e, K1, hist, slot);
      for (let s = 0; r < e; r++, s++) {
        const miss = matrix.binCounts[requests.feature[r]!]! - 1;
        const offset = s * slot;
        let lo = 0;
        while (lo < miss && hist[offset + lo * K1 + K1 - 1] === 0) lo++;
        let hi = miss - 1;
        while (hi >= lo && hist[offset + hi * K1 + K1 - 1] === 0) hi--;
        if (hi < 0) lo = miss;
        visit(r, { hist, offset, lo, hi, miss });
        if (hi >= 0) hist.fill(0, offset + lo * K1, offset + (hi + 1) * K1);
        hist.fill(0, offset + miss * K1, offset + (miss + 1) * K1);
      }
    }
  }

  partition(splits: LevelSplits): void {
    const { matrix, rows, spill } = this;
    const n = matrix.rows;
    const bins = matrix.bins;
    if (this.nextStart.length < splits.nextNodes) {
      this.nextStart = new Int32Array(Math.max(splits.nextNodes, this.nextStart.length * 2));
      this.nextEnd = new Int32Array(this.nextStart.length);
    }
    const { nextStart, nextEnd } = this;
    nextStart.fill(-1, 0, splits.nextNodes);
    for (let j = 0; j < splits.nodes; j++) {
      const f = splits.feature[j]!;
      if (f < 0 || !this.holds(j)) continue;
      const start = this.start[j]!;
      const end = this.end[j]!;
      const miss = matrix.binCounts[f]! - 1;
      const bin = splits.bin[j]!;
      const missLeft = splits.defaultLeft[j]! & 1;
      let l = start;
      let r = 0;
      if (this.wasm) {
        l = start + this.wasm.partition(start, end, f, bin, miss, missLeft);
        r = end - l;
      } else {
        const col = f * n;
        // Branch-free (which way a row goes is a coin toss to the branch predictor): each row is
        // written to both lists and only one of them moves on. bin < miss, so b ≤ bin is a real bin.
        for (let k = start; k < end; k++) {
          const i = rows[k]!;
          const b = bins[col + i]!;
          const left = (((bin - b) >>> 31) ^ 1) | (missLeft & (((b ^ miss) - 1) >>> 31));
          rows[l] = i;
          spill[r] = i;
          l += left;
          r += left ^ 1;
        }
      }
      rows.set(spill.subarray(0, r), l);
      const left = splits.leftNext[j]!;
      const right = splits.rightNext[j]!;
      if (left >= 0) {
        nextStart[left] = start;
        nextEnd[left] = l;
      }
      if (right >= 0) {
        nextStart[right] = l;
        nextEnd[right] = end;
      }
    }
    [this.start, this.nextStart] = [nextStart, this.start];
    [this.end, this.nextEnd] = [nextEnd, this.end];
  }
}
