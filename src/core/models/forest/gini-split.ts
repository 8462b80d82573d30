import type { ScanKernel } from './class-counts-wasm.ts';

/**
 * A class-count histogram of one (node, feature) pair: per bin, K + 1 integer cells at
 * `offset + bin · (K + 1)`: the bootstrap draws of each class's rows (c < K), then the number of
 * distinct rows (c = K). Class weights are applied when scanning (weight of class c = cw[c] · draws),
 * so every sum is an exact integer whichever engine adds it up, in whatever order.
 */
export interface FeatureHistogram {
  hist: Int32Array;
  offset: number;
  /** The lowest and highest occupied real bin (hi −1: none); the missing bin is the feature's last. */
  lo: number;
  hi: number;
  miss: number;
}

/**
 * Candidates.scan's loop in WebAssembly (class-counts-wasm.ts), for histograms in its memory:
 * `scan` returns whether some split is valid, its answer in `out` (best score, then the left
 * child's draws and distinct rows from index 2) and `ints` (bin at 2, missing-left at 3).
 */
export interface ScanLoop {
  hist: Int32Array;
  scan: ScanKernel['scan'];
  out: Float64Array;
  ints: Int32Array;
}

/** Per request of a level: each feature's best split at its node, and what it sends left. */
export class Candidates {
  /** The WebAssembly loop, used for histograms that lie in its memory (set by the CPU grower). */
  kernel: ScanLoop | undefined;
  found = new Uint8Array(0);
  score = new Float64Array(0);
  bin = new Int32Array(0);
  defaultLeft = new Uint8Array(0);
  /** Requests × (K + 1): the left child's class draws and distinct rows at the best split. */
  left = new Float64Array(0);
  private readonly sums: Float64Array;

  constructor(private readonly K: number) {
    this.sums = new Float64Array(K);
  }

  reserve(count: number): void {
    if (this.found.length >= count) return;
    const size = Math.max(count, this.found.length * 2);
    this.found = new Uint8Array(size);
    this.score = new Float64Array(size);
    this.bin = new Int32Array(size);
    this.defaultLeft = new Uint8Array(size);
    this.left = new Float64Array(size * (this.K + 1));
  }

  /**
   * Considers every split of one feature at a node whose class draws and distinct rows are
   * `node[at … at + K]` and keeps the best as request `r`: scikit-learn's Gini proxy
   * Σ L²/|L| + Σ R²/|R| over weighted class totals, strictly greater wins, bins ascending,
   * missing-left before missing-right; each child needs `minLeaf` distinct rows and some weight.
   */
  scan(r: number, h: FeatureHistogram, node: Float64Array, at: number, cw: Float64Array, minLeaf: number): void {
    const { K, sums: left } = this;
    const K1 = K + 1;
    const { hist, offset, lo, hi, miss } = h;
    const mAt = offset + miss * K1;
    const nodeCount = node[at + K]!;
    const missCount = hist[mAt + K]!;
    const realCount = nodeCount - missCount;
    this.found[r] = 0;
    this.score[r] = -Infinity;
    if (hi < 0 || !(lo < hi + (missCount > 0 ? 1 : 0))) return;
    const k = this.kernel;
    if (k && hist.buffer === k.hist.buffer && hist.byteOffset === k.hist.byteOffset) {
      if (!k.scan(offset, lo, hi, miss, K, node, at, cw, minLeaf)) return;
      this.found[r] = 1;
      this.score[r] = k.out[0]!;
      this.bin[r] = k.ints[2]!;
      this.defaultLeft[r] = k.ints[3]!;
      for (let c = 0; c < K1; c++) this.left[r * K1 + c] = k.out[2 + c]!;
      return;
    }
    left.fill(0);
    let leftCount = 0;
    let best = -Infinity;
    // Thresholds after bin b: lo … hi − 1 split the real bins; b = hi (missing right) splits off the missing rows.
    for (let b = lo; b <= hi; b++) {
      const bAt = offset + b * K1;
      const cb = hist[bAt + K]!;
      if (cb === 0) continue;
      leftCount += cb;
      for (let c = 0; c < K; c++) left[c]! += hist[bAt + c]!;
      for (let side = 0; side < 2; side++) {
        const missLeft = side === 0;
        if (missLeft && (missCount === 0 || b === hi)) continue;
        const lc = leftCount + (missLeft ? missCount : 0);
        const rc = nodeCount - lc;
        if (lc < minLeaf || rc < minLeaf || (b === hi && realCount === nodeCount)) continue;
        let sl = 0;
        let sr = 0;
        let lw = 0;
        let rw = 0;
        for (let c = 0; c < K; c++) {
          const ln = left[c]! + (missLeft ? hist[mAt + c]! : 0);
          const l = cw[c]! * ln;
          const rr = cw[c]! * (node[at + c]! - ln);
          lw += l;
          rw += rr;
          sl += l * l;
          sr += rr * rr;
        }
        if (!(lw > 0 && rw > 0)) continue;
        this.found[r] = 1;
        const score = sl / lw + sr / rw;
        if (score > best) {
          best = score;
          this.bin[r] = b;
          this.defaultLeft[r] = missLeft ? 1 : 0;
          const out = r * K1;
          for (let c = 0; c < K; c++) this.left[out + c] = left[c]! + (missLeft ? hist[mAt + c]! : 0);
          this.left[out + K] = lc;
        }
      }
    }
    this.score[r] = best;
  }
}

/** Σ (cw · t)² / W and W of a node's class draws `node[at … at + K)`: the Gini proxy before splitting. */
export function nodeWeight(node: Float64Array, at: number, cw: Float64Array, K: number): { weight: number; score: number; present: number } {
  let weight = 0;
  let score = 0;
  let present = 0;
  for (let c = 0; c < K; c++) {
    const t = cw[c]! * node[at + c]!;
    weight += t;
    score += t * t;
    if (t > 0) present++;
  }
  return { weight, score: weight > 0 ? score / weight : 0, present };
}
