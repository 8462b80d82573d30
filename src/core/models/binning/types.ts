/** How one feature column maps values to bins; fitted on the training rows only. */
export type FeatureBinning =
  | {
      kind: 'numeric';
      name: string;
      /** Ascending cut points: a value v falls in bin (number of cuts ≤ v), so a split at bin b is `v < cuts[b]`. */
      cuts: Float64Array;
    }
  | {
      kind: 'category';
      name: string;
      /** The category of each real bin, most frequent first; the "other" bin (if any) is not listed. */
      categories: string[];
      /** The bin shared by the rarer categories and by categories unseen in training, or -1 when every category has its own. */
      otherBin: number;
    };

/** The fitted binning of every feature, applied to training and test data alike. */
export interface FittedBinning {
  maxBins: number;
  features: FeatureBinning[];
}

/**
 * A quantile-binned feature matrix, 1 byte per cell. Feature f has `binCounts[f]` bins in all:
 * real bins 0 … binCounts[f] - 2, and the missing bin (null, NaN, ±Infinity) `binCounts[f] - 1`.
 */
export interface FeatureMatrix {
  rows: number;
  features: number;
  names: string[];
  /** Column-major: the bin of row i, feature f is `bins[f * rows + i]`. */
  bins: Uint8Array;
  /** Bins per feature including the missing bin (≤ maxBins). */
  binCounts: Int32Array;
  /** Per feature: the numeric cut points (empty for a category feature). */
  cutPoints: Float64Array[];
}

/** The missing bin of feature f. */
export function missingBin(matrix: Pick<FeatureMatrix, 'binCounts'>, f: number): number {
  return matrix.binCounts[f]! - 1;
}
