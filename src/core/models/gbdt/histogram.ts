import type { FeatureMatrix } from '../binning/types.ts';

/**
 * Gradient / hessian histograms of a tree level: one slot per node, each slot holding every
 * feature's bins back to back, each bin two Float64 cells (sum of g units, sum of h units).
 * Sums are of integers, hence exact and independent of the order rows are added in.
 */
export interface HistogramLayout {
  /** Start bin of each feature within a slot; offsets[F] = bins per slot. */
  offsets: Int32Array;
  slotSize: number;
}

/** What the histogram loops read of a matrix (a helper thread gets just these, in shared memory). */
export type BinnedColumns = Pick<FeatureMatrix, 'rows' | 'bins'>;

export function histogramLayout(matrix: FeatureMatrix): HistogramLayout {
  const offsets = new Int32Array(matrix.features + 1);
  for (let f = 0; f < matrix.features; f++) offsets[f + 1] = offsets[f]! + matrix.binCounts[f]!;
  return { offsets, slotSize: offsets[matrix.features]! * 2 };
}

/**
 * The root's histogram: every row, in order, no gather through a row list (rows that should not
 * count carry g = h = 0). Sequential reads make this about twice as fast per row as the general
 * build, and the root is half of all histogram work. `gh` holds each row's g and h side by side
 * (g of row i at 2i, h at 2i + 1), as a bin's two cells are.
 */
export function buildRootHistogram(matrix: BinnedColumns, layout: HistogramLayout, features: Int32Array, gh: Float64Array, hist: Float64Array): void {
  const n = matrix.rows;
  const bins = matrix.bins;
  let j = 0;
  for (; j + 4 <= features.length; j += 4) {
    const c0 = features[j]! * n;
    const c1 = features[j + 1]! * n;
    const c2 = features[j + 2]! * n;
    const c3 = features[j + 3]! * n;
    const o0 = layout.offsets[features[j]!]! * 2;
    const o1 = layout.offsets[features[j + 1]!]! * 2;
    const o2 = layout.offsets[features[j + 2]!]! * 2;
    const o3 = layout.offsets[features[j + 3]!]! * 2;
    for (let i = 0; i < n; i++) {
      const g = gh[2 * i]!;
      const h = gh[2 * i + 1]!;
      let p = o0 + (bins[c0 + i]! << 1);
      hist[p]! += g;
      hist[p + 1]! += h;
      p = o1 + (bins[c1 + i]! << 1);
      hist[p]! += g;
      hist[p + 1]! += h;
      p = o2 + (bins[c2 + i]! << 1);
      hist[p]! += g;
      hist[p + 1]! += h;
      p = o3 + (bins[c3 + i]! << 1);
      hist[p]! += g;
      hist[p + 1]! += h;
    }
  }
  for (; j < features.length; j++) {
    const c = features[j]! * n;
    const o = layout.offsets[features[j]!]! * 2;
    for (let i = 0; i < n; i++) {
      const p = o + (bins[c + i]! << 1);
      hist[p]! += gh[2 * i]!;
      hist[p + 1]! += gh[2 * i + 1]!;
    }
  }
}

/**
 * One level's histograms, for the given features only: `segments` holds `count` quadruples (slot,
 * start, end, parent slot), one per split, naming the smaller child's slot in `hist` and its rows
 * rows[start … end) (g and h in `gh`, as for the root). That slot is zeroed and built; its
 * sibling (slot ^ 1) becomes the parent's slot in `parent` minus it.
 */
export function buildLevelHistograms(
  matrix: BinnedColumns,
  layout: HistogramLayout,
  features: Int32Array,
  rows: Int32Array,
  gh: Float64Array,
  segments: Int32Array,
  count: number,
  hist: Float64Array,
  parent: Float64Array,
): void {
  const { slotSize } = layout;
  const spans = cellSpans(layout, features);
  zeroBuiltSlots(hist, slotSize, spans, segments, count);
  addSegments(matrix, layout, features, rows, gh, segments, count, hist);
  for (let s = 0; s < count; s++) {
    const small = segments[4 * s]! * slotSize;
    const big = (segments[4 * s]! ^ 1) * slotSize;
    const from = segments[4 * s + 3]! * slotSize;
    for (let j = 0; j < spans.length; j += 2) {
      const end = spans[j + 1]!;
      for (let x = spans[j]!; x < end; x++) hist[big + x] = parent[from + x]! - hist[small + x]!;
    }
  }
}

/** Zeroes the cells `spans` (see cellSpans) of each segment's slot, the smaller children about to be built. */
export function zeroBuiltSlots(hist: Float64Array, slotSize: number, spans: Int32Array, segments: Int32Array, count: number): void {
  for (let s = 0; s < count; s++) {
    const base = segments[4 * s]! * slotSize;
    for (let j = 0; j < spans.length; j += 2) hist.fill(0, base + spans[j]!, base + spans[j + 1]!);
  }
}

/** The cells of the given features within a slot, as [start, end) pairs, neighbouring features merged. */
export function cellSpans(layout: HistogramLayout, features: Int32Array): Int32Array {
  const spans: number[] = [];
  for (const f of features) {
    const start = layout.offsets[f]! * 2;
    const end = layout.offsets[f + 1]! * 2;
    if (spans.length > 0 && spans[spans.length - 1] === start) spans[spans.length - 1] = end;
    else spans.push(start, end);
  }
  return Int32Array.from(spans);
}

/** Adds each segment's rows into its slot, four features per pass; a segment is one node's rows (ascending). */
function addSegments(
  matrix: BinnedColumns,
  layout: HistogramLayout,
  features: Int32Array,
  rows: Int32Array,
  gh: Float64Array,
  segments: Int32Array,
  count: number,
  hist: Float64Array,
): void {
  const n = matrix.rows;
  const bins = matrix.bins;
  const { offsets, slotSize } = layout;
  let j = 0;
  for (; j + 4 <= features.length; j += 4) {
    const c0 = features[j]! * n;
    const c1 = features[j + 1]! * n;
    const c2 = features[j + 2]! * n;
    const c3 = features[j + 3]! * n;
    for (let s = 0; s < count; s++) {
      const base = segments[4 * s]! * slotSize;
      const end = segments[4 * s + 2]!;
      const o0 = base + offsets[features[j]!]! * 2;
      const o1 = base + offsets[features[j + 1]!]! * 2;
      const o2 = base + offsets[features[j + 2]!]! * 2;
      const o3 = base + offsets[features[j + 3]!]! * 2;
      for (let k = segments[4 * s + 1]!; k < end; k++) {
        const i = rows[k]!;
        const g = gh[2 * i]!;
        const h = gh[2 * i + 1]!;
        let p = o0 + (bins[c0 + i]! << 1);
        hist[p]! += g;
        hist[p + 1]! += h;
        p = o1 + (bins[c1 + i]! << 1);
        hist[p]! += g;
        hist[p + 1]! += h;
        p = o2 + (bins[c2 + i]! << 1);
        hist[p]! += g;
        hist[p + 1]! += h;
        p = o3 + (bins[c3 + i]! << 1);
        hist[p]! += g;
        hist[p + 1]! += h;
      }
    }
  }
  for (; j < features.length; j++) {
    const c = features[j]! * n;
    for (let s = 0; s < count; s++) {
      const o = segments[4 * s]! * slotSize + offsets[features[j]!]! * 2;
      const end = segments[4 * s + 2]!;
      for (let k = segments[4 * s + 1]!; k < end; k++) {
        const i = rows[k]!;
        const p = o + (bins[c + i]! << 1);
        hist[p]! += gh[2 * i]!;
        hist[p + 1]! += gh[2 * i + 1]!;
      }
    }
  }
}

/** The larger sibling's histogram as the parent's minus the smaller sibling's (exact: integer sums). */
export function subtractHistogram(
  hist: Float64Array,
  parent: Float64Array,
  parentSlot: number,
  smallSlot: number,
  bigSlot: number,
  slotSize: number,
): void {
  const p = parentSlot * slotSize;
  const s = smallSlot * slotSize;
  const b = bigSlot * slotSize;
  for (let x = 0; x < slotSize; x++) hist[b + x] = parent[p + x]! - hist[s + x]!;
}
