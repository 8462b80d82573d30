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
const MIN_GAIN = 1e-6;

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
  const { lambda, minChildWeight } = params;
  const G = total.g * units.g;
  const H = total.h * units.h;
  const parent = score(G, H, lambda);
  let best: Split | undefined;
  let bestGain = Math.max(params.gamma, MIN_GAIN);
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
      gl += hist[base + 2 * b]!;
      hl += hist[base + 2 * b + 1]!;
      for (let side = 0; side < 2; side++) {
        // side 0: missing left; side 1: missing right. Sums stay integers until here.
        const gL = (side === 0 ? gl + gm : gl) * units.g;
        const hL = (side === 0 ? hl + hm : hl) * units.h;
        const gR = G - gL;
        const hR = H - hL;
        if (hL < minChildWeight || hR < minChildWeight || hL <= 0 || hR <= 0) continue;
        const gain = score(gL, hL, lambda) + score(gR, hR, lambda) - parent;
        if (gain > bestGain) {
          bestGain = gain;
          best = { gain, feature: f, bin: b, defaultLeft: side === 0 };
        }
      }
    }
  }
  return best;
}

function score(g: number, h: number, lambda: number): number {
  return (g * g) / (h + lambda);
}

/** The leaf weight −G/(H+λ), before the learning rate. */
export function leafWeight(g: number, h: number, lambda: number): number {
  const d = h + lambda;
  return d > 0 ? -g / d : 0;
}
