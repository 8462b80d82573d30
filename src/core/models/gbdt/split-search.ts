import type { HistogramLayout } from './histogram.ts';

export interface Split {
  /** Loss reduction, XGBoost's un-halved form: G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ). */
  gain: number;
  feature: number;
  /** Rows with a real bin ≤ this go left. */
  bin: number;
  defaultLeft: boolean;
}

export interface SplitParams {
  lambda: number;
  minChildWeight: number;
  gamma: number;
}

/** XGBoost's kRtEps: a split must reduce the loss by more than this. */
export const MIN_GAIN = 1e-6;

/**
 * The best split of one node from its histogram slot. Candidates are every real bin boundary with
 * the missing bin sent left, then right (also "all real values left, missing right"). Ties go to the
 * first candidate met: lower feature index, then lower bin, then missing left; only a strictly
 * larger gain replaces the best. Returns undefined when no split gains more than max(gamma, 1e-6).
 */
export function bestSplit(
  hist: Float64Array,
  slot: number,
  layout: HistogramLayout,
  features: Int32Array,
  binCounts: Int32Array,
  total: { g: number; h: number },
  units: { g: number; h: number },
  params: SplitParams,
): Split | undefined {
  const search = new Search(total, units, params);
  const slotBase = slot * layout.slotSize;
  for (let j = 0; j < features.length; j++) {
    const f = features[j]!;
    const base = slotBase + layout.offsets[f]! * 2;
    const missing = binCounts[f]! - 1;
    const gm = hist[base + 2 * missing]!;
    const hm = hist[base + 2 * missing + 1]!;
    let gl = 0;
    let hl = 0;
    for (let b = 0; b < missing; b++) {
      const g = hist[base + 2 * b]!;
      const h = hist[base + 2 * b + 1]!;
      // An empty bin repeats the boundary before it, whose gain this one could only equal, never
      // beat (only a strictly greater gain wins): skipping it changes nothing, and most bins of a
      // deep node are empty.
      if (g === 0 && h === 0 && b > 0) continue;
      gl += g;
      hl += h;
      search.boundary(f, b, gl, hl, gm, hm);
    }
  }
  return search.best;
}

/** A bin boundary of one feature with its exact unit sums: real bins 0 … `bin` (the missing bin apart). */
export interface SplitCandidate {
  bin: number;
  gl: number;
  hl: number;
}

/**
 * `bestSplit` over given boundaries only: each feature's candidates (bins ascending) with the
 * feature's missing-bin sums. When the candidates include every boundary that could win (the GPU's
 * split-search kernel keeps all within a margin of each feature's best f32 gain), this is the same
 * split as `bestSplit` on the full histogram: the same arithmetic, in the same order.
 */
export function bestSplitOfCandidates(
  features: readonly { feature: number; gm: number; hm: number; candidates: readonly SplitCandidate[] }[],
  total: { g: number; h: number },
  units: { g: number; h: number },
  params: SplitParams,
): Split | undefined {
  const search = new Search(total, units, params);
  for (const { feature, gm, hm, candidates } of features) for (const c of candidates) search.boundary(feature, c.bin, c.gl, c.hl, gm, hm);
  return search.best;
}

/** The running best over boundaries met in order: lower feature, lower bin, missing left first. */
class Search {
  best: Split | undefined;
  private bestGain: number;
  private readonly G: number;
  private readonly H: number;
  private readonly parent: number;

  constructor(
    total: { g: number; h: number },
    private readonly units: { g: number; h: number },
    private readonly params: SplitParams,
  ) {
    this.G = total.g * units.g;
    this.H = total.h * units.h;
    this.parent = score(this.G, this.H, params.lambda);
    this.bestGain = Math.max(params.gamma, MIN_GAIN);
  }

  boundary(f: number, b: number, gl: number, hl: number, gm: number, hm: number): void {
    const { units, G, H } = this;
    const { lambda, minChildWeight } = this.params;
    // With an empty missing bin both sides are the same split, and the second cannot beat the first.
    const sides = gm === 0 && hm === 0 ? 1 : 2;
    for (let side = 0; side < sides; side++) {
      // side 0: missing left; side 1: missing right. Sums stay integers until here.
      const gL = (side === 0 ? gl + gm : gl) * units.g;
      const hL = (side === 0 ? hl + hm : hl) * units.h;
      const gR = G - gL;
      const hR = H - hL;
      if (hL < minChildWeight || hR < minChildWeight || hL <= 0 || hR <= 0) continue;
      const gain = score(gL, hL, lambda) + score(gR, hR, lambda) - this.parent;
      if (gain > this.bestGain) {
        this.bestGain = gain;
        this.best = { gain, feature: f, bin: b, defaultLeft: side === 0 };
      }
    }
  }
}

function score(g: number, h: number, lambda: number): number {
  return (g * g) / (h + lambda);
}

/** The leaf weight −G/(H+λ), before the learning rate. */
export function leafWeight(g: number, h: number, lambda: number): number {
  const d = h + lambda;
  return d > 0 ? -g / d : 0;
}
