/**
 * The features a forest node draws: a partial Fisher–Yates over all F features, one at a time, from
 * the node's own mulberry32 stream. The stream is keyed by the node's path from the root (the tree's
 * seed, then left / right at each level), not by the order nodes are visited, so a grower that goes
 * node by node (the CPU), a whole level at once (the GPU) or in worker threads draws the same
 * features at the same node.
 */
export class FeatureDraws {
  private readonly perm: Int32Array;
  private readonly picks: Int32Array;
  private count = 0;
  private state = 0;

  constructor(readonly features: number) {
    this.perm = Int32Array.from({ length: features }, (_, f) => f);
    this.picks = new Int32Array(features);
  }

  /** Starts the sequence of the node with `key` from its first draw. */
  start(key: number): void {
    // Undoing the last node's swaps (newest first) restores the identity in O(draws), not O(F).
    const { perm, picks } = this;
    for (let d = this.count - 1; d >= 0; d--) {
      const p = picks[d]!;
      const f = perm[d]!;
      perm[d] = perm[p]!;
      perm[p] = f;
    }
    this.count = 0;
    this.state = key >>> 0;
  }

  /** Features drawn so far from the current node's sequence. */
  get drawn(): number {
    return this.count;
  }

  /** The next feature of the sequence; −1 once all are drawn. */
  next(): number {
    const d = this.count;
    const F = this.features;
    if (d >= F) return -1;
    // mulberry32, as createRandom (src/core/models/random.ts).
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const pick = d + Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * (F - d));
    const { perm } = this;
    const f = perm[pick]!;
    perm[pick] = perm[d]!;
    perm[d] = f;
    this.picks[d] = pick;
    this.count = d + 1;
    return f;
  }
}

/** The root's key for a tree's seed. */
export function rootKey(treeSeed: number): number {
  return mix32(treeSeed ^ 0x3c6ef372);
}

/** A child's key: its parent's key and the side it is on. */
export function childKey(key: number, right: boolean): number {
  return mix32(((key ^ (right ? 0xa54ff53a : 0x510e527f)) + 0x9b05688c) >>> 0);
}

/** MurmurHash3's finaliser: neighbouring inputs give unrelated outputs (mulberry32 seeds that differ by its step would give shifted streams). */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}
