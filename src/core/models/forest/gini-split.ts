import type { FeatureMatrix } from '../binning/types.ts';

/** The rows of one tree: in-bag rows grouped by node, each node a contiguous segment. */
export interface NodeRows {
  matrix: FeatureMatrix;
  /** Class index of every matrix row. */
  y: Int32Array;
  /** Weight of every matrix row in this tree (bootstrap count × class weight). */
  w: Float64Array;
  rows: Int32Array;
  classes: number;
}

/** The best split found so far at a node; `score` is scikit-learn's Gini proxy Σ L²/|L| + Σ R²/|R|. */
export interface Split {
  score: number;
  feature: number;
  bin: number;
  defaultLeft: boolean;
}

/** Class-count histogram scratch for one feature: bins × classes weights and bins of row counts. */
export interface CountHistogram {
  hist: Float64Array;
  count: Int32Array;
  left: Float64Array;
}

export function countHistogram(maxBins: number, classes: number): CountHistogram {
  return { hist: new Float64Array(maxBins * classes), count: new Int32Array(maxBins), left: new Float64Array(classes) };
}

/**
 * Considers every split of feature f over the node's rows [start, end) and updates `best` when one
 * scores strictly higher (bins ascending, missing-left before missing-right). Each child must hold
 * at least `minLeaf` rows. Returns whether the feature had any valid split. The histogram is built
 * in one pass over the node's rows and only its occupied bins are scanned and cleared, so small
 * deep nodes cost O(rows), not O(bins).
 */
export function searchFeature(
  data: NodeRows,
  f: number,
  start: number,
  end: number,
  total: Float64Array,
  minLeaf: number,
  scratch: CountHistogram,
  best: Split,
): boolean {
  const { matrix, y, w, rows } = data;
  const K = data.classes;
  const { hist, count, left } = scratch;
  const n = matrix.rows;
  const col = f * n;
  const bins = matrix.bins;
  const miss = matrix.binCounts[f]! - 1;
  let lo = miss;
  let hi = -1;
  for (let k = start; k < end; k++) {
    const i = rows[k]!;
    const b = bins[col + i]!;
    hist[b * K + y[i]!]! += w[i]!;
    count[b]!++;
    if (b !== miss) {
      if (b < lo) lo = b;
      if (b > hi) hi = b;
    }
  }
  const nodeCount = end - start;
  const missCount = count[miss]!;
  const realCount = nodeCount - missCount;
  let found = false;
  if (hi >= 0 && lo < hi + (missCount > 0 ? 1 : 0)) {
    let W = 0;
    for (let c = 0; c < K; c++) W += total[c]!;
    let missW = 0;
    for (let c = 0; c < K; c++) missW += hist[miss * K + c]!;
    left.fill(0);
    let leftW = 0;
    let leftCount = 0;
    // Thresholds after bin b: lo … hi − 1 split the real bins; b = hi (missing right) splits off the missing rows.
    for (let b = lo; b <= hi; b++) {
      const cb = count[b]!;
      if (cb === 0) continue;
      leftCount += cb;
      for (let c = 0; c < K; c++) {
        const v = hist[b * K + c]!;
        left[c]! += v;
        leftW += v;
      }
      for (let side = 0; side < 2; side++) {
        const missLeft = side === 0;
        if (missLeft && (missCount === 0 || b === hi)) continue;
        const lc = leftCount + (missLeft ? missCount : 0);
        const rc = nodeCount - lc;
        if (lc < minLeaf || rc < minLeaf || (b === hi && realCount === nodeCount)) continue;
        const lw = leftW + (missLeft ? missW : 0);
        const rw = W - lw;
        if (!(lw > 0 && rw > 0)) continue;
        let sl = 0;
        let sr = 0;
        for (let c = 0; c < K; c++) {
          const l = left[c]! + (missLeft ? hist[miss * K + c]! : 0);
          const r = total[c]! - l;
          sl += l * l;
          sr += r * r;
        }
        found = true;
        const score = sl / lw + sr / rw;
        if (score > best.score) {
          best.score = score;
          best.feature = f;
          best.bin = b;
          best.defaultLeft = missLeft;
        }
      }
    }
  }
  if (hi >= 0) {
    hist.fill(0, lo * K, (hi + 1) * K);
    count.fill(0, lo, hi + 1);
  }
  hist.fill(0, miss * K, (miss + 1) * K);
  count[miss] = 0;
  return found;
}
