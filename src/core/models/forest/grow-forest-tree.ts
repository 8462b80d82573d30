import type { Random } from '../random.ts';
import { countHistogram, searchFeature, type CountHistogram, type NodeRows, type Split } from './gini-split.ts';
import type { ForestTree } from './types.ts';

export interface GrowForestParams {
  maxDepth: number;
  minSamplesLeaf: number;
  /** Features drawn per node (more are drawn while none of them gives a valid split, as scikit-learn). */
  maxFeatures: number;
}

/**
 * Grows one classification tree depth-wise on `data.rows[0 … count)` (in-bag rows, ascending).
 * Each level: for every open node, draw features (a partial Fisher–Yates, seeded per node in level
 * order), build each drawn feature's class-count histogram in one pass over the node's rows, keep
 * the best Gini split, then partition the node's segment stably (left rows first). Sibling
 * subtraction does not apply: each node draws its own features, so a child's histograms are
 * seldom those of its parent.
 */
export function growForestTree(data: NodeRows, count: number, params: GrowForestParams, random: Random, scratch?: CountHistogram): ForestTree {
  const { matrix, y, w, rows } = data;
  const K = data.classes;
  const F = matrix.features;
  const n = matrix.rows;
  let maxBins = 0;
  for (let f = 0; f < F; f++) maxBins = Math.max(maxBins, matrix.binCounts[f]!);
  const hist = scratch ?? countHistogram(maxBins, K);
  const perm = Int32Array.from({ length: F }, (_, f) => f);
  const spill = new Int32Array(count);
  const total = new Float64Array(K);
  const nodes = { feature: [] as number[], splitBin: [] as number[], defaultLeft: [] as number[], left: [] as number[], gain: [] as number[], value: [] as number[] };
  const addNode = (): number => {
    nodes.feature.push(-1);
    nodes.splitBin.push(0);
    nodes.defaultLeft.push(0);
    nodes.left.push(-1);
    nodes.gain.push(0);
    for (let c = 0; c < K; c++) nodes.value.push(0);
    return nodes.feature.length - 1;
  };
  // Open nodes of the current level: node id, segment start, segment end.
  let level: number[] = [addNode(), 0, count];
  const best: Split = { score: 0, feature: -1, bin: 0, defaultLeft: false };
  for (let depth = 0; level.length > 0; depth++) {
    const next: number[] = [];
    for (let j = 0; j < level.length; j += 3) {
      const node = level[j]!;
      const start = level[j + 1]!;
      const end = level[j + 2]!;
      total.fill(0);
      for (let k = start; k < end; k++) total[y[rows[k]!]!]! += w[rows[k]!]!;
      let W = 0;
      let parentScore = 0;
      let present = 0;
      for (let c = 0; c < K; c++) {
        const t = total[c]!;
        W += t;
        parentScore += t * t;
        if (t > 0) present++;
      }
      for (let c = 0; c < K; c++) nodes.value[node * K + c] = W > 0 ? total[c]! / W : 1 / K;
      if (depth >= params.maxDepth || present < 2 || end - start < 2 * params.minSamplesLeaf) continue;
      parentScore /= W;
      best.score = -Infinity;
      best.feature = -1;
      let tried = 0;
      let valid = false;
      for (let d = 0; d < F && !(valid && tried >= params.maxFeatures); d++) {
        const pick = d + random.int(F - d);
        const f = perm[pick]!;
        perm[pick] = perm[d]!;
        perm[d] = f;
        if (searchFeature(data, f, start, end, total, params.minSamplesLeaf, hist, best)) valid = true;
        tried++;
      }
      if (best.feature < 0) continue;
      const f = best.feature;
      const miss = matrix.binCounts[f]! - 1;
      const col = f * n;
      let l = start;
      let r = 0;
      for (let k = start; k < end; k++) {
        const i = rows[k]!;
        const b = matrix.bins[col + i]!;
        if (b === miss ? best.defaultLeft : b <= best.bin) rows[l++] = i;
        else spill[r++] = i;
      }
      rows.set(spill.subarray(0, r), l);
      const left = addNode();
      const right = addNode();
      nodes.feature[node] = f;
      nodes.splitBin[node] = best.bin;
      nodes.defaultLeft[node] = best.defaultLeft ? 1 : 0;
      nodes.left[node] = left;
      nodes.gain[node] = best.score - parentScore;
      next.push(left, start, l, right, l, end);
    }
    level = next;
  }
  return {
    feature: Int32Array.from(nodes.feature),
    splitBin: Int32Array.from(nodes.splitBin),
    defaultLeft: Uint8Array.from(nodes.defaultLeft),
    left: Int32Array.from(nodes.left),
    value: Float64Array.from(nodes.value),
    gain: Float64Array.from(nodes.gain),
  };
}
